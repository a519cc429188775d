package io.rns.cli.shadow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history of a shadow run: which differences are open, since when, which were resolved and how long they lasted
 * (to the granularity of the poll interval: a difference is resolved at the first poll that no longer sees it), and
 * which nodes could not be read. Not thread-safe: one poll after another.
 */
public final class DifferenceLog {
    /** Resolved differences kept for the summary; beyond this only counted. */
    static final int MAX_RESOLVED = 10_000;

    private final Instant started;
    private final Map<String, Tracked> open = new TreeMap<>();
    private final List<Tracked> resolved = new ArrayList<>();
    private final Map<String, Unreachable> unreachable = new TreeMap<>();
    private long resolvedDropped;
    private int polls;
    private int cleanPolls;
    private int consecutiveClean;
    private Poll last;

    public DifferenceLog(Instant started) {
        this.started = started;
    }

    /** A difference across polls. {@code resolvedAt} is null while it is open; {@code values} are the last seen. */
    public record Tracked(Difference.Kind kind, String key, Instant firstSeen, Instant lastSeen, Instant resolvedAt,
            Map<String, String> values) {

        /** How long it lasted (resolved), or has lasted until {@code now} (open). */
        public Duration lasted(Instant now) {
            return Duration.between(firstSeen, resolvedAt != null ? resolvedAt : now);
        }
    }

    /** A node that could not be read in some polls. */
    public record Unreachable(int polls, Instant lastAt, String lastFailure) {
    }

    /**
     * What one poll changed.
     *
     * @param keys
     *            the keys compared: every broker, cluster, topic and KV entry some node answered
     * @param clean
     *            every node was read and no difference that {@linkplain Difference.Kind#blocksMigration() blocks the
     *            migration} is open
     */
    public record Poll(int number, Instant at, int keys, List<Difference> appeared, List<Tracked> resolved,
            List<Tracked> open, List<NodeView> unreachable, boolean clean) {
    }

    /** Records one poll's views. */
    public Poll record(Instant at, List<NodeView> views) {
        polls++;
        Map<String, Difference> now = new LinkedHashMap<>();
        for (Difference d : Comparison.compare(views))
            now.put(d.id(), d);
        List<Difference> appeared = new ArrayList<>();
        for (Difference d : now.values()) {
            Tracked before = open.get(d.id());
            if (before == null)
                appeared.add(d);
            open.put(d.id(),
                    new Tracked(d.kind(), d.key(), before == null ? at : before.firstSeen(), at, null, d.values()));
        }
        List<Tracked> gone = new ArrayList<>();
        for (String id : List.copyOf(open.keySet())) {
            if (!now.containsKey(id)) {
                Tracked t = open.remove(id);
                Tracked done = new Tracked(t.kind(), t.key(), t.firstSeen(), t.lastSeen(), at, t.values());
                gone.add(done);
                if (resolved.size() < MAX_RESOLVED)
                    resolved.add(done);
                else
                    resolvedDropped++;
            }
        }
        List<NodeView> failed = views.stream().filter(v -> !v.reachable()).toList();
        for (NodeView v : failed)
            unreachable.merge(v.addr(), new Unreachable(1, at, v.failure()),
                    (a, b) -> new Unreachable(a.polls() + 1, b.lastAt(), b.lastFailure()));
        boolean clean = failed.isEmpty() && open.values().stream().noneMatch(t -> t.kind().blocksMigration());
        if (clean) {
            cleanPolls++;
            consecutiveClean++;
        } else {
            consecutiveClean = 0;
        }
        long keys = views.stream().filter(NodeView::reachable).flatMap(v -> v.values().keySet().stream()).distinct()
                .count();
        last = new Poll(polls, at, (int) keys, appeared, gone, List.copyOf(open.values()), failed, clean);
        return last;
    }

    public Instant started() {
        return started;
    }

    public int polls() {
        return polls;
    }

    public int cleanPolls() {
        return cleanPolls;
    }

    /** Clean polls in a row, up to the last one. */
    public int consecutiveClean() {
        return consecutiveClean;
    }

    /** The last poll, or null before the first. */
    public Poll last() {
        return last;
    }

    public List<Tracked> open() {
        return List.copyOf(open.values());
    }

    public List<Tracked> resolved() {
        return Collections.unmodifiableList(resolved);
    }

    /** Resolved differences beyond {@link #MAX_RESOLVED}, counted but not kept. */
    public long resolvedDropped() {
        return resolvedDropped;
    }

    public Map<String, Unreachable> unreachable() {
        return Collections.unmodifiableMap(unreachable);
    }
}
