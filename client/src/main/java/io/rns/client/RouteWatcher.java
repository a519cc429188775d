package io.rns.client;

import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.WatchEvent;
import io.rns.rpc.v1.WatchRequest;
import io.rns.rpc.v1.WatchResponse;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows route changes with watch polls ({@link NamesrvClient#watch}): keeps a view of the watched topics' routes
 * and tells a {@link Listener} of every change, in revision order, exactly once. It asks one node at a time and
 * resumes from the last revision it saw; when a node fails or refuses (shutting down, too many watches) it moves to
 * the next one and resumes there with no gap and no repeat (a node that has not applied that revision yet waits
 * until it has, so the view never goes back). A node that no longer holds the revision answers with a reset,
 * which replaces the view. In leaderless mode revisions are per node, so a move to another node starts with a reset.
 *
 * <p>Listeners run on the client's I/O threads, one call at a time per watcher: they must be quick.
 */
public final class RouteWatcher implements AutoCloseable {
    /** What a watcher tells. */
    public interface Listener {
        /** The whole view (the first answer, or after the node no longer held the watcher's revision). */
        void onReset(Map<String, TopicRoute> routes, long revision);

        /** One topic's route changed; {@code route} is null when the topic has no route any more. */
        void onChange(String topic, TopicRoute route, long revision);

        /**
         * A poll failed; the watcher retries on the next node unless {@code fatal} (a refusal no retry can fix). Also
         * told (kind PROTOCOL_ERROR, not fatal) when a node answers what no correct node does — a revision that goes
         * back, an event already seen —, which the watcher then ignores.
         */
        default void onProblem(NamesrvException e, boolean fatal) {
        }
    }

    /** What to watch: some topics, one cluster's topics, or all topics. */
    public record Scope(List<String> topics, String cluster, boolean everyTopic) {
        public Scope {
            topics = List.copyOf(topics);
        }

        public static Scope topics(String... topics) {
            if (topics.length == 0) {
                throw new IllegalArgumentException("name at least one topic");
            }
            return new Scope(List.of(topics), null, false);
        }

        public static Scope cluster(String cluster) {
            return new Scope(List.of(), Objects.requireNonNull(cluster, "cluster"), false);
        }

        public static Scope all() {
            return new Scope(List.of(), null, true);
        }

        WatchRequest.Builder request() {
            WatchRequest.Builder b = WatchRequest.newBuilder().addAllTopics(topics).setAll(everyTopic);
            if (cluster != null) {
                b.setCluster(cluster);
            }
            return b;
        }
    }

    /** Refusals that the next node would repeat. */
    private static final Set<ErrorCode> FATAL = EnumSet.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.PERMISSION_DENIED,
            ErrorCode.UNSUPPORTED_REQUEST, ErrorCode.CONSISTENCY_NOT_SUPPORTED);
    private static final long MAX_BACKOFF_MS = 2_000;
    /** Added to the poll's wait for the request's own deadline. */
    private static final long DEADLINE_MARGIN_MS = 5_000;

    private final Caller caller;
    private final ScheduledExecutorService scheduler;
    private final Scope scope;
    private final Listener listener;
    private final Consistency firstRead;
    private final int maxWaitMs;
    private final List<String> endpoints;
    private final Map<String, TopicRoute> view = new ConcurrentHashMap<>();
    private volatile long revision;
    private volatile boolean closed;
    private volatile String lastEndpoint;
    /** A reset was received: later polls resume from {@link #revision}. */
    private boolean haveView;
    private int next;
    private int failures;

    RouteWatcher(Caller caller, ScheduledExecutorService scheduler, Scope scope, Listener listener,
            Consistency firstRead, Duration maxWait) {
        this.caller = caller;
        this.scheduler = scheduler;
        this.scope = Objects.requireNonNull(scope, "scope");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.firstRead = firstRead;
        this.maxWaitMs = (int) Math.max(1, maxWait.toMillis());
        this.endpoints = caller.router().endpoints();
        this.next = Math.max(0, endpoints.indexOf(caller.router().current()));
    }

    void start() {
        poll();
    }

    /** The revision the view is at (0 before the first answer). */
    public long revision() {
        return revision;
    }

    /** A copy of the view: every watched topic that has a route, at {@link #revision()}. */
    public Map<String, TopicRoute> routes() {
        return Map.copyOf(view);
    }

    /** The node that gave the last answer, or null. */
    public String endpoint() {
        return lastEndpoint;
    }

    private synchronized void poll() {
        if (closed) {
            return;
        }
        String endpoint = endpoints.get(next % endpoints.size());
        boolean start = !haveView || (caller.leaderless() && !endpoint.equals(lastEndpoint));
        WatchRequest.Builder w = scope.request().setMaxWaitMs(maxWaitMs);
        if (!start) {
            w.setFromRevision(revision);
        }
        RequestEnvelope.Builder b = RequestEnvelope.newBuilder().setWatch(w);
        if (start) {
            b.setRead(ReadOptions.newBuilder()
                    .setConsistency(firstRead != null ? firstRead : caller.effectiveDefaultConsistency()));
        }
        caller.once(endpoint, b, Duration.ofMillis(maxWaitMs + DEADLINE_MARGIN_MS))
                .whenComplete((resp, err) -> answered(endpoint, resp, err));
    }

    private synchronized void answered(String endpoint, ResponseEnvelope resp, Throwable err) {
        if (closed) {
            return;
        }
        if (err != null) {
            NamesrvException e = err instanceof NamesrvException ne ? ne
                    : err.getCause() instanceof NamesrvException ne2 ? ne2 : null;
            if (e == null) { // the client was closed under us, or a bug: nothing to retry
                closed = true;
                return;
            }
            retryElsewhere(endpoint, e, false);
            return;
        }
        ResponseHeader h = resp.getHeader();
        if (h.getCode() != ErrorCode.OK) {
            boolean fatal = FATAL.contains(h.getCode());
            NamesrvException e = new NamesrvException(NamesrvException.Kind.SERVER, h.getCode(), h.getMessage(), !fatal,
                    h.getLeaderHint(), ResponseMeta.of(h, endpoint), false, endpoint, 1, null);
            if (fatal) {
                closed = true;
                listener.onProblem(e, true);
                return;
            }
            retryElsewhere(endpoint, e, true);
            return;
        }
        if (!apply(endpoint, resp.getWatch())) {
            retryElsewhere(endpoint, null, true); // that node is behind what it claims: ask the next one
            return;
        }
        failures = 0;
        lastEndpoint = endpoint;
        poll();
    }

    /** Applies an answer; false if the whole answer went back (not applied). */
    private boolean apply(String endpoint, WatchResponse w) {
        // in leaderless mode a move to another node starts again from that node's own revisions
        if (w.getRevision() < revision && !(w.getReset() && caller.leaderless())) {
            anomaly(endpoint, "answered revision " + w.getRevision() + ", below the " + revision
                    + " this watcher has seen; ignored");
            return false;
        }
        if (w.getReset()) {
            haveView = true;
            Map<String, TopicRoute> routes = new LinkedHashMap<>();
            for (WatchEvent e : w.getEventsList()) {
                routes.put(e.getTopic(), e.getRoute());
            }
            view.clear();
            view.putAll(routes);
            revision = w.getRevision();
            listener.onReset(Map.copyOf(routes), revision);
            return true;
        }
        for (WatchEvent e : w.getEventsList()) {
            if (e.getRevision() <= revision) {
                anomaly(endpoint, "sent " + e.getTopic() + " at revision " + e.getRevision() + ", not after the "
                        + revision + " this watcher has seen; ignored");
                continue;
            }
            if (e.getDeleted()) {
                view.remove(e.getTopic());
                listener.onChange(e.getTopic(), null, e.getRevision());
            } else {
                view.put(e.getTopic(), e.getRoute());
                listener.onChange(e.getTopic(), e.getRoute(), e.getRevision());
            }
        }
        revision = Math.max(revision, w.getRevision());
        return true;
    }

    /**
     * An answer no correct node gives (a revision that goes back, an event already seen): not applied, and told as a
     * non-fatal PROTOCOL_ERROR problem, so that it is seen rather than silently absorbed.
     */
    private void anomaly(String endpoint, String what) {
        listener.onProblem(new NamesrvException(NamesrvException.Kind.PROTOCOL_ERROR, ErrorCode.ERROR_CODE_UNSPECIFIED,
                "watch protocol anomaly: the node " + what, false, "", null, false, endpoint, 1, null), false);
    }

    /**
     * Moves to the next node after a backoff; a refusal from a busy node moves on at once the first time. {@code e}:
     * the problem to tell, null when it was told already.
     */
    private void retryElsewhere(String endpoint, NamesrvException e, boolean refused) {
        if (e != null) {
            listener.onProblem(e, false);
        }
        caller.router().failed(endpoint);
        next++;
        failures++;
        long delay = refused && failures == 1 ? 0 : Math.min(MAX_BACKOFF_MS, 50L << Math.min(6, failures));
        try {
            scheduler.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException shutDown) {
            closed = true;
        }
    }

    /** Stops polling; the poll in flight is left to end on its own (its answer is ignored). */
    @Override
    public synchronized void close() {
        closed = true;
    }
}
