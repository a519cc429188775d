package io.rns.client;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.RequestEnvelope.BodyCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Client sessions for exactly-once writes (Raft dissertation 6.3; rns.rpc.v1 RequestEnvelope.session_id). A session is
 * a lane with at most one write in flight, so its sequence numbers reach the leader in order: a call takes an idle
 * lane (opening a new session when none is idle), gives its request the lane's next sequence number, keeps that pair
 * across every retry on every node, and hands the lane back when the call ends, whatever the outcome. The next write
 * on the lane has a higher number, so a copy of an earlier attempt that arrives late is refused by the state machine
 * (STALE_SEQUENCE) instead of undoing a later write.
 *
 * <p>Sessions are used in raft mode only, and not by calls pinned to one node (one attempt, no retry). A server that does not know OpenSession (UNSUPPORTED_REQUEST: a leaderless
 * node or an older version) turns them off for this client, which then writes at least once, as before.
 */
final class SessionPool {
    private static final Logger log = LoggerFactory.getLogger(SessionPool.class);

    /** The requests the state machine applies as log records: the ones a session makes exactly-once. */
    static final Set<BodyCase> SESSION_WRITES = EnumSet.of(BodyCase.REGISTER_BROKER, BodyCase.UNREGISTER_BROKER,
            BodyCase.DELETE_TOPIC, BodyCase.KV_PUT, BodyCase.KV_DELETE, BodyCase.CHANGE_WRITE_PERM,
            BodyCase.REGISTER_TOPIC);

    /** One session; owned by one call at a time. */
    static final class Lane {
        final long id;
        private long lastSeq;

        Lane(long id) {
            this.id = id;
        }

        long nextSeq() {
            return ++lastSeq;
        }
    }

    private final ArrayDeque<Lane> idle = new ArrayDeque<>();
    private final Supplier<CompletableFuture<Long>> opener;
    private volatile boolean enabled;
    private int opened;

    /** {@code opener} opens a session on the cluster and completes with its id. */
    SessionPool(boolean enabled, Supplier<CompletableFuture<Long>> opener) {
        this.enabled = enabled;
        this.opener = opener;
    }

    /** Whether a write of this kind gets a session now. */
    boolean applies(RequestEnvelope.Builder request) {
        return enabled && SESSION_WRITES.contains(request.getBodyCase());
    }

    /**
     * An idle lane, or a newly opened session. Completes with null when sessions turned out to be unsupported (the
     * write then goes without one); exceptionally when opening failed otherwise.
     */
    CompletableFuture<Lane> acquire() {
        synchronized (this) {
            Lane l = idle.pollFirst();
            if (l != null) {
                return CompletableFuture.completedFuture(l);
            }
        }
        return opener.get().handle((id, err) -> {
            if (err == null) {
                synchronized (this) {
                    opened++;
                }
                return new Lane(id);
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof NamesrvException ne && ne.code() == ErrorCode.UNSUPPORTED_REQUEST) {
                if (enabled) {
                    log.info("the cluster does not open client sessions ({}); writes go at-least-once",
                            ne.getMessage());
                }
                enabled = false;
                return null;
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    /** The call on the lane ended; the lane may serve the next call. */
    synchronized void release(Lane lane) {
        idle.addFirst(lane);
    }

    /**
     * The lane's session expired. Idle lanes were opened around the same time and idle since, so they are dropped
     * too: the next calls open fresh sessions instead of each meeting SESSION_EXPIRED once.
     */
    synchronized void expired(Lane lane) {
        idle.clear();
    }

    /** Sessions opened so far by this client (for tests and diagnostics). */
    synchronized int opened() {
        return opened;
    }
}
