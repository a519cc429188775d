package io.rns.namesrv.watch;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.read.WireRoutes;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.TopicRoute;
import io.rns.statemachine.ImageChange;
import io.rns.statemachine.RouteImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's history of route changes and the watch polls waiting on it.
 *
 * <p>The state machine hands every published image to {@link #onChange} on the apply thread; that only queues it.
 * The hub's own thread diffs it ({@link RouteDiff}), appends the changes to a bounded history (at most
 * {@code watch.history-changes} changes and {@code watch.history-bytes} of encoded routes; the oldest revisions go
 * first, whole, and the floor moves up to them), and answers the polls the new changes concern, after their
 * coalescing window. A poll from a revision below the floor (or below a snapshot install) gets a reset: the current
 * routes it selects. A poll from a revision this node has not applied yet waits until it has, so a watcher that
 * moves to a node further behind never sees the past again.
 *
 * <p>Bounded: {@code watch.max-per-connection} polls per connection and {@code watch.max-watchers} in all, beyond
 * which a poll is refused TOO_MANY_WATCHES; a poll holds no buffer of its own (a watcher too slow to keep up falls
 * below the floor and is answered a reset), and the polls of a connection that closes are dropped at once.
 */
public final class WatchHub implements AutoCloseable {
    /** At most this many changes in one delta answer (cut at a whole revision; the watcher asks again at once). */
    static final int MAX_CHANGES_PER_ANSWER = 5_000;
    /** Change notices waiting for the hub's thread; beyond it the detail is dropped and watchers get a reset. */
    private static final int INBOX_CAPACITY = 10_000;
    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

    private final NamesrvConfig.Watch config;
    private final ScheduledThreadPoolExecutor thread;

    private final ArrayDeque<ImageChange> inbox = new ArrayDeque<>();
    private boolean draining; // guarded by inbox

    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<RouteChange> history = new ArrayDeque<>();
    private long historyBytes; // sum of RouteChange.bytes() over history
    private RouteImage latest;
    private long head;
    private long floor;
    private final Set<Poll> polls = new LinkedHashSet<>();
    private final Map<Long, Integer> perConnection = new HashMap<>();
    private final Set<Long> hooked = new HashSet<>();
    private boolean closed;

    /** What a poll asked for. */
    private record Ask(WatchSelector selector, long from, long atLeast, long coalesceMs, long connectionId) {
        long target() {
            return Math.max(from, atLeast);
        }
    }

    /** One waiting poll. Its fields other than the future are guarded by the hub's lock. */
    private static final class Poll {
        final Ask ask;
        final CompletableFuture<WatchResult> future = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        boolean coalescing;
        /** This node had applied the poll's revision when it was last looked at. */
        boolean caughtUp;

        Poll(Ask ask) {
            this.ask = ask;
        }
    }

    /** {@code initial} is the state machine's image when the hub subscribes to it: the history starts there. */
    public WatchHub(String nodeId, NamesrvConfig.Watch config, RouteImage initial) {
        this.config = config;
        this.latest = initial;
        this.head = initial.appliedIndex();
        this.floor = head;
        this.thread = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("rns-watch-" + nodeId));
        this.thread.setRemoveOnCancelPolicy(true);
    }

    /** The state machine's change listener: queues the notice for the hub's thread; quick, never blocks. */
    public void onChange(ImageChange c) {
        synchronized (inbox) {
            if (inbox.size() >= INBOX_CAPACITY) {
                log.warn("watch: {} route changes wait to be diffed; dropping their detail, watchers get a reset "
                        + "at revision {}", inbox.size(), c.after().appliedIndex());
                inbox.clear();
                inbox.add(new ImageChange(c.before(), c.after(), Collections.emptySortedSet(),
                        Collections.emptySortedSet(), true));
            } else {
                inbox.add(c);
            }
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            thread.execute(this::drain);
        } catch (RuntimeException shutDown) {
            synchronized (inbox) {
                draining = false;
            }
        }
    }

    /**
     * Processes queued changes until the inbox is empty. Whatever happens, the hub is never left marked as draining
     * with nobody draining (it would then take no change again); a change that cannot be processed resets the
     * watchers instead.
     */
    private void drain() {
        boolean emptied = false;
        try {
            while (true) {
                ImageChange c;
                synchronized (inbox) {
                    c = inbox.poll();
                    if (c == null) {
                        draining = false;
                        emptied = true;
                        return;
                    }
                }
                processOrReset(c);
            }
        } finally {
            if (!emptied) {
                synchronized (inbox) {
                    draining = false; // the next change schedules a new drain
                }
            }
        }
    }

    private void processOrReset(ImageChange c) {
        try {
            process(c);
        } catch (RuntimeException e) {
            log.error("watch: cannot process the change to revision {}; watchers get a reset", c.after().appliedIndex(),
                    e);
            try {
                process(new ImageChange(c.before(), c.after(), Collections.emptySortedSet(),
                        Collections.emptySortedSet(), true));
            } catch (RuntimeException again) {
                log.error("watch: cannot reset the watchers at revision {}", c.after().appliedIndex(), again);
            }
        }
    }

    private void process(ImageChange c) {
        long revision = c.after().appliedIndex();
        List<RouteChange> found = c.reset() ? List.of() : RouteDiff.of(c);
        List<Runnable> answers = new ArrayList<>();
        synchronized (lock) {
            if (revision <= head && !c.reset()) {
                return; // already part of the initial image
            }
            latest = c.after();
            head = revision;
            if (c.reset()) {
                history.clear();
                historyBytes = 0;
                floor = head;
            } else {
                for (RouteChange rc : found) {
                    history.addLast(rc);
                    historyBytes += rc.bytes();
                }
                trim();
            }
            for (Poll p : List.copyOf(polls)) { // answering a poll takes it out of the set
                if (!p.coalescing) {
                    Runnable a = evaluate(p, found);
                    if (a != null) {
                        answers.add(a);
                    }
                }
            }
        }
        answers.forEach(Runnable::run);
    }

    /**
     * Drops the oldest revisions, whole, until the history fits both its count and its byte bound (each change holds
     * its topic's whole route: a topic served by hundreds of brokers makes every change large); the floor moves up
     * to the last one dropped.
     */
    private void trim() {
        if (fits()) {
            return;
        }
        while (!history.isEmpty() && !fits()) {
            floor = Math.max(floor, dropOldest().revision());
        }
        while (!history.isEmpty() && history.peekFirst().revision() <= floor) {
            dropOldest();
        }
    }

    private boolean fits() {
        return history.size() <= config.historyChanges() && historyBytes <= config.historyBytes();
    }

    private RouteChange dropOldest() {
        RouteChange c = history.pollFirst();
        historyBytes -= c.bytes();
        return c;
    }

    /** The {@code from} of a poll that starts a watch: its answer is a reset. */
    public static final long START = -1;

    /**
     * Starts a poll. {@code from} {@link #START} asks for a reset once this node has applied {@code atLeast} (the
     * index a read barrier returned); otherwise the changes after {@code from}, waiting up to {@code waitMs} for one. The
     * connection's first poll hooks {@code onConnectionClose} once; its polls are dropped when it closes.
     *
     * @throws RnsException TOO_MANY_WATCHES beyond the connection's or the node's limit, SHUTTING_DOWN once closed
     */
    public CompletableFuture<WatchResult> poll(WatchSelector selector, long from, long atLeast, long waitMs,
            long coalesceMs, long connectionId, Consumer<Runnable> onConnectionClose) {
        Poll p = new Poll(new Ask(selector, from, atLeast, coalesceMs, connectionId));
        Runnable now;
        boolean hook;
        synchronized (lock) {
            if (closed) {
                throw new RnsException(ErrorCode.SHUTTING_DOWN, "this node is shutting down");
            }
            now = evaluateNew(p);
            if (now == null) {
                admit(p);
            }
            hook = now == null && hooked.add(connectionId);
        }
        if (now != null) {
            now.run();
            return p.future;
        }
        if (hook) {
            onConnectionClose.accept(() -> connectionClosed(connectionId));
        }
        ScheduledFuture<?> d = thread.schedule(() -> expire(p), waitMs, TimeUnit.MILLISECONDS);
        synchronized (lock) {
            p.deadline = d;
        }
        if (p.future.isDone()) {
            d.cancel(false);
        }
        return p.future;
    }

    private void admit(Poll p) {
        int mine = perConnection.getOrDefault(p.ask.connectionId(), 0);
        if (mine >= config.maxPerConnection()) {
            throw new RnsException(ErrorCode.TOO_MANY_WATCHES, "this connection already holds " + mine
                    + " watch polls (watch.max-per-connection=" + config.maxPerConnection() + ")");
        }
        if (polls.size() >= config.maxWatchers()) {
            throw new RnsException(ErrorCode.TOO_MANY_WATCHES, "this node already holds " + polls.size()
                    + " watch polls (watch.max-watchers=" + config.maxWatchers() + "); try another node or later");
        }
        perConnection.put(p.ask.connectionId(), mine + 1);
        polls.add(p);
    }

    /** A new poll: answered at once if it needs a reset or changes are already there; else null (it waits). */
    private Runnable evaluateNew(Poll p) {
        if (needsReset(p)) {
            return reset(p);
        }
        p.caughtUp = head >= p.ask.target();
        if (p.caughtUp && p.ask.from() != START && anySelectedAfter(p.ask.selector(), p.ask.from())) {
            return delta(p);
        }
        return null;
    }

    /** A waiting poll after {@code found} was appended: its answer now, null if it waits (or started coalescing). */
    private Runnable evaluate(Poll p, List<RouteChange> found) {
        if (needsReset(p)) {
            return take(p) ? reset(p) : null;
        }
        if (head < p.ask.target()) {
            return null;
        }
        // a poll that waited for this node to catch up: the earlier changes after its revision count too
        boolean changed = p.caughtUp ? anySelected(p.ask.selector(), found)
                : anySelectedAfter(p.ask.selector(), p.ask.from());
        p.caughtUp = true;
        if (!changed) {
            return null;
        }
        if (p.ask.coalesceMs() > 0) {
            p.coalescing = true;
            thread.schedule(() -> expire(p), p.ask.coalesceMs(), TimeUnit.MILLISECONDS);
            return null;
        }
        return take(p) ? delta(p) : null;
    }

    private boolean needsReset(Poll p) {
        return p.ask.from() == START ? head >= p.ask.atLeast() : p.ask.from() < floor;
    }

    private boolean anySelectedAfter(WatchSelector s, long from) {
        Iterator<RouteChange> it = history.descendingIterator();
        while (it.hasNext()) {
            RouteChange c = it.next();
            if (c.revision() <= from) {
                return false;
            }
            if (s.selects(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anySelected(WatchSelector s, List<RouteChange> changes) {
        for (RouteChange c : changes) {
            if (s.selects(c)) {
                return true;
            }
        }
        return false;
    }

    /** Removes a waiting poll from the books; false if it was already answered. */
    private boolean take(Poll p) {
        if (!polls.remove(p)) {
            return false;
        }
        perConnection.computeIfPresent(p.ask.connectionId(), (id, n) -> n <= 1 ? null : n - 1);
        if (p.deadline != null) {
            p.deadline.cancel(false);
        }
        return true;
    }

    /** The poll's deadline or the end of its coalescing window: answer with what there is. */
    private void expire(Poll p) {
        Runnable a;
        synchronized (lock) {
            if (!take(p)) {
                return;
            }
            if (needsReset(p)) {
                a = reset(p);
            } else if (head < p.ask.target()) {
                long behind = head;
                a = p.ask.from() == START
                        ? () -> p.future
                                .completeExceptionally(new RnsException(ErrorCode.MIN_INDEX_NOT_REACHED,
                                        "this node's watch history reached revision " + behind + ", not "
                                                + p.ask.atLeast() + " which the read barrier requires; try again"))
                        : empty(p, p.ask.from());
            } else {
                a = delta(p);
            }
        }
        a.run();
    }

    private Runnable empty(Poll p, long revision) {
        WatchResult r = new WatchResult(List.of(), revision, false, floor);
        return () -> p.future.complete(r);
    }

    /** The selected changes after the poll's revision (under the lock), as a completion to run after it. */
    private Runnable delta(Poll p) {
        ArrayDeque<RouteChange> newestFirst = new ArrayDeque<>();
        Iterator<RouteChange> it = history.descendingIterator();
        while (it.hasNext()) {
            RouteChange c = it.next();
            if (c.revision() <= p.ask.from()) {
                break;
            }
            if (p.ask.selector().selects(c)) {
                newestFirst.addFirst(c);
            }
        }
        long revision = head;
        List<RouteChange> out = new ArrayList<>(Math.min(newestFirst.size(), MAX_CHANGES_PER_ANSWER));
        for (RouteChange c : newestFirst) {
            if (out.size() >= MAX_CHANGES_PER_ANSWER && c.revision() != out.get(out.size() - 1).revision()) {
                revision = out.get(out.size() - 1).revision(); // cut at a whole revision; the rest comes next poll
                break;
            }
            out.add(c);
        }
        WatchResult r = new WatchResult(out, revision, false, floor);
        return () -> p.future.complete(r);
    }

    /** The current routes the poll selects, built after the lock is released from the image taken under it. */
    private Runnable reset(Poll p) {
        RouteImage image = latest;
        long revision = head;
        long f = floor;
        return () -> {
            try {
                p.future.complete(new WatchResult(view(image, p.ask.selector()), revision, true, f));
            } catch (RuntimeException e) {
                p.future.completeExceptionally(e);
            }
        };
    }

    private static List<RouteChange> view(RouteImage image, WatchSelector s) {
        List<RouteChange> out = new ArrayList<>();
        long revision = image.appliedIndex();
        Iterable<String> topics = s.all() ? image.topics()
                : s.cluster() != null ? image.topicsOfCluster(s.cluster()) : new TreeSet<>(s.topics());
        for (String topic : topics) {
            image.route(topic).map(WireRoutes::route).filter(s::selects)
                    .ifPresent(r -> out.add(new RouteChange(revision, topic, r, clustersOf(r))));
        }
        return out;
    }

    private static Set<String> clustersOf(TopicRoute r) {
        Set<String> out = new HashSet<>();
        r.getBrokerDatasList().forEach(b -> out.add(b.getCluster()));
        return out;
    }

    private void connectionClosed(long connectionId) {
        List<Poll> gone = new ArrayList<>();
        synchronized (lock) {
            hooked.remove(connectionId);
            for (Poll p : List.copyOf(polls)) {
                if (p.ask.connectionId() == connectionId && take(p)) {
                    gone.add(p);
                }
            }
            perConnection.remove(connectionId);
        }
        for (Poll p : gone) {
            p.future.completeExceptionally(
                    new RnsException(ErrorCode.SHUTTING_DOWN, "the watcher's connection closed"));
        }
    }

    /** The hub's numbers at one instant (for status and metrics). */
    public Stats stats() {
        synchronized (lock) {
            return new Stats(polls.size(), floor, history.size(), historyBytes);
        }
    }

    /**
     * @param waiting      polls waiting now
     * @param floor        the oldest revision a watcher can resume from
     * @param historySize  changes held now
     * @param historyBytes what those changes count against {@code watch.history-bytes}
     */
    public record Stats(int waiting, long floor, int historySize, long historyBytes) {
    }

    /** Fails every waiting poll with SHUTTING_DOWN and stops the hub's thread. */
    @Override
    public void close() {
        List<Poll> gone;
        synchronized (lock) {
            closed = true;
            gone = new ArrayList<>(polls);
            for (Poll p : gone) {
                take(p);
            }
        }
        for (Poll p : gone) {
            p.future.completeExceptionally(new RnsException(ErrorCode.SHUTTING_DOWN, "this node is shutting down"));
        }
        thread.shutdownNow();
    }
}
