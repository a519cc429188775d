package io.rns.client;

import com.google.protobuf.ByteString;
import io.rns.client.NamesrvException.Kind;
import io.rns.client.internal.Router;
import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.transport.RpcConnectException;
import io.rns.rpc.transport.RpcTimeoutException;
import io.rns.rpc.transport.RpcTransportException;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.OpenSessionRequest;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The retry / failover / leader-following engine behind {@link NamesrvClient}. */
final class Caller {
    private static final Logger log = LoggerFactory.getLogger(Caller.class);

    private final RpcClient rpc;
    private final Router router;
    private final long requestTimeoutNanos;
    private final long overallTimeoutNanos;
    private final RetryPolicy retry;
    private final Consistency defaultConsistency;
    private final boolean defaultConsistencyExplicit;
    private volatile boolean leaderless;
    private final String clientId;
    /** account:secret for nodes with auth.enabled=true; empty = none. */
    private final ByteString credentials;
    private final Random random;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong highestSeenIndex = new AtomicLong();
    private final SessionPool sessions;

    /**
     * @param defaultConsistencyExplicit whether the default level was chosen by the user: in leaderless mode an
     *                                   implicit default becomes STALE, an explicit one is sent as-is
     */
    Caller(RpcClient rpc, Router router, Duration requestTimeout, Duration overallTimeout, RetryPolicy retry,
            Consistency defaultConsistency, boolean defaultConsistencyExplicit, String clientId, Random random,
            ScheduledExecutorService scheduler, boolean exactlyOnce, ByteString credentials) {
        this.credentials = credentials;
        this.rpc = rpc;
        this.router = router;
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.overallTimeoutNanos = overallTimeout.toNanos();
        this.retry = retry;
        this.defaultConsistency = defaultConsistency;
        this.defaultConsistencyExplicit = defaultConsistencyExplicit;
        this.clientId = clientId;
        this.random = random;
        this.scheduler = scheduler;
        this.sessions = new SessionPool(exactlyOnce, this::openSession);
    }

    SessionPool sessions() {
        return sessions;
    }

    /** Opens a client session (a write without a session of its own) and completes with its id. */
    private CompletableFuture<Long> openSession() {
        RequestEnvelope.Builder open = RequestEnvelope.newBuilder()
                .setOpenSession(OpenSessionRequest.getDefaultInstance());
        return plainCall(open, CallOptions.DEFAULT, false, false).thenApply(a -> {
            if (!a.response().hasOpenSession() || a.response().getOpenSession().getSessionId() == 0) {
                throw new NamesrvException(Kind.PROTOCOL_ERROR, ErrorCode.ERROR_CODE_UNSPECIFIED,
                        "protocol error: OpenSession answered without a session id", false, "",
                        ResponseMeta.of(a.response().getHeader(), a.endpoint()), false, a.endpoint(), 1, null);
            }
            return a.response().getOpenSession().getSessionId();
        });
    }

    public long highestSeenIndex() {
        return highestSeenIndex.get();
    }

    /**
     * Switches reads to leaderless behaviour: an implicit default level becomes STALE, and no min_index floor is
     * sent or tracked (each node has its own index; indexes of different nodes are not comparable).
     */
    public void setLeaderless(boolean on) {
        leaderless = on;
        if (on)
            highestSeenIndex.set(0);
    }

    public boolean leaderless() {
        return leaderless;
    }

    /** The level of reads whose CallOptions name none. */
    public Consistency effectiveDefaultConsistency() {
        return leaderless && !defaultConsistencyExplicit ? Consistency.STALE : defaultConsistency;
    }

    public Router router() {
        return router;
    }

    /** An OK response and the endpoint that gave it. */
    public record Answer(ResponseEnvelope response, String endpoint) {
    }

    /**
     * One attempt at one endpoint with this client's id and credentials, no retry, no redirect: for a long poll,
     * whose deadline is its own. Completes with the response whatever its code, or exceptionally with a
     * {@link NamesrvException} (a transport failure or timeout; retriable).
     */
    public CompletableFuture<ResponseEnvelope> once(String endpoint, RequestEnvelope.Builder request,
            Duration timeout) {
        RequestEnvelope req = request.clone().setClientId(clientId).setAuth(credentials).build();
        CompletableFuture<ResponseEnvelope> f;
        try {
            f = rpc.call(endpoint, req, timeout);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((resp, err) -> {
            if (err == null) {
                router.learn(resp.getHeader(), endpoint);
                return resp;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof RpcTransportException te) {
                throw transportFailure(te, endpoint, true, 1);
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    /**
     * A transport failure as the client reports it: TIMEOUT, CONNECT_FAILED or CONNECTION_CLOSED, retriable; a write's
     * outcome is unknown once its request was sent (except on a connect failure).
     */
    private static NamesrvException transportFailure(RpcTransportException te, String endpoint, boolean isRead,
            int attempts) {
        if (te instanceof RpcTimeoutException) {
            return timeoutFailure(te, te.getMessage(), isRead, attempts);
        }
        Kind kind = te instanceof RpcConnectException ? Kind.CONNECT_FAILED : Kind.CONNECTION_CLOSED;
        boolean unknown = !isRead && !(te instanceof RpcConnectException) && te.requestSent();
        return new NamesrvException(kind, ErrorCode.ERROR_CODE_UNSPECIFIED, te.getMessage(), true, "", null, unknown,
                endpoint, attempts, te);
    }

    private static NamesrvException timeoutFailure(RpcTransportException te, String message, boolean isRead,
            int attempts) {
        boolean unknown = !isRead && te != null && te.requestSent();
        return new NamesrvException(Kind.TIMEOUT, ErrorCode.DEADLINE_EXCEEDED, message, true, "", null, unknown,
                te == null ? null : te.endpoint(), attempts, te);
    }

    /** Completes with an OK answer, or exceptionally with a {@link NamesrvException} (see NamesrvClient). */
    public CompletableFuture<Answer> call(RequestEnvelope.Builder request, CallOptions options, boolean isRead) {
        return call(request, options, isRead, isRead);
    }

    /** As {@link #call(RequestEnvelope.Builder, CallOptions, boolean)}; {@code readOptions=false} sends no ReadOptions. */
    public CompletableFuture<Answer> call(RequestEnvelope.Builder request, CallOptions options, boolean isRead,
            boolean readOptions) {
        // a pinned call is one attempt at one node, nothing more: it opens no session elsewhere
        boolean pinned = options != null && options.node() != null;
        if (!isRead && !leaderless && !pinned && sessions.applies(request)) {
            return inSession(request.clone(), options, true);
        }
        return plainCall(request, options, isRead, readOptions);
    }

    private CompletableFuture<Answer> plainCall(RequestEnvelope.Builder request, CallOptions options, boolean isRead,
            boolean readOptions) {
        Call c = new Call(request.clone(), options == null ? CallOptions.DEFAULT : options, isRead, readOptions,
                !isRead);
        c.next();
        return c.result;
    }

    /**
     * A write as the next request of a session lane: every attempt carries the same (session, sequence). When the
     * session turns out to be expired and no attempt's outcome is unknown, nothing was applied, so the write is run
     * once more in a new session ({@code mayReopen}); otherwise the caller gets SESSION_EXPIRED, outcome unknown.
     */
    private CompletableFuture<Answer> inSession(RequestEnvelope.Builder request, CallOptions options,
            boolean mayReopen) {
        return sessions.acquire().thenCompose(lane -> {
            if (lane == null) {
                return plainCall(request, options, false, false);
            }
            RequestEnvelope.Builder stamped = request.clone().setSessionId(lane.id).setSessionSeq(lane.nextSeq());
            return plainCall(stamped, options, false, false).handle((answer, err) -> {
                if (err == null) {
                    sessions.release(lane);
                    return CompletableFuture.completedFuture(answer);
                }
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof NamesrvException ne && ne.code() == ErrorCode.SESSION_EXPIRED) {
                    sessions.expired(lane); // gone for good: the lane is not handed back
                    if (mayReopen && !ne.outcomeUnknown()) {
                        log.debug("session {} expired; opening a new one for this write", lane.id);
                        return inSession(request, options, false);
                    }
                    return CompletableFuture.<Answer>failedFuture(cause);
                }
                sessions.release(lane); // the next write on it has a higher sequence number: this one is fenced
                return CompletableFuture.<Answer>failedFuture(cause);
            }).thenCompose(f -> f);
        });
    }

    /**
     * A request that is not a write (no outcome is ever unknown, no ReadOptions) but is served by the leader, so it
     * is routed like a write: to the known leader, following NOT_LEADER hints (heartbeats, the lease table).
     */
    public CompletableFuture<Answer> callLeader(RequestEnvelope.Builder request, CallOptions options) {
        Call c = new Call(request.clone(), options == null ? CallOptions.DEFAULT : options, true, false, true);
        c.next();
        return c.result;
    }

    private final class Call {
        final RequestEnvelope.Builder base;
        final CallOptions options;
        final boolean isRead;
        final boolean readOptions;
        final boolean toLeader;
        final long deadline;
        final CompletableFuture<Answer> result = new CompletableFuture<>();
        int attempts;
        int failures;
        boolean anyUnknown;
        NamesrvException last;
        String redirect;

        Call(RequestEnvelope.Builder base, CallOptions options, boolean isRead, boolean readOptions, boolean toLeader) {
            this.base = base;
            this.options = options;
            this.isRead = isRead;
            this.readOptions = readOptions;
            this.toLeader = toLeader;
            this.deadline = System.nanoTime() + overallTimeoutNanos;
        }

        String pick() {
            if (options.node() != null)
                return options.node();
            if (redirect != null) {
                String r = redirect;
                redirect = null;
                return r;
            }
            return toLeader ? router.forWrite() : router.current();
        }

        void next() {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                giveUp(last != null ? last : timeout(null, "overall timeout passed before the first attempt"));
                return;
            }
            String endpoint = pick();
            attempts++;
            RequestEnvelope.Builder b = base.clone().setClientId(clientId).setAuth(credentials);
            if (readOptions) {
                Consistency level = options.consistency() != null ? options.consistency()
                        : effectiveDefaultConsistency();
                long minIndex = leaderless ? options.minIndex() : Math.max(options.minIndex(), highestSeenIndex.get());
                b.setRead(ReadOptions.newBuilder().setConsistency(level).setMinIndex(minIndex)
                        .setMaxStalenessMs(options.maxStalenessMs()));
            }
            long attemptNanos = Math.min(requestTimeoutNanos, remaining);
            CompletableFuture<ResponseEnvelope> f;
            try {
                f = rpc.call(endpoint, b.build(), Duration.ofNanos(attemptNanos));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((resp, err) -> {
                try {
                    onResult(endpoint, resp, err);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        void onResult(String endpoint, ResponseEnvelope resp, Throwable err) {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (!(cause instanceof RpcTransportException te)) {
                    result.completeExceptionally(cause); // closed client, malformed request: not retriable
                    return;
                }
                NamesrvException e = transport(te, endpoint);
                router.failed(endpoint);
                retryLater(e);
                return;
            }
            ResponseHeader h = resp.getHeader();
            router.learn(h, endpoint);
            ResponseMeta meta = ResponseMeta.of(h, endpoint);
            ErrorCode code = h.getCode();
            if (code == ErrorCode.OK) {
                if (!leaderless)
                    highestSeenIndex.accumulateAndGet(h.getAppliedIndex(), Math::max);
                result.complete(new Answer(resp, endpoint));
                return;
            }
            if (code == ErrorCode.ERROR_CODE_UNSPECIFIED || code == ErrorCode.UNRECOGNIZED) {
                giveUp(new NamesrvException(Kind.PROTOCOL_ERROR, ErrorCode.ERROR_CODE_UNSPECIFIED,
                        "protocol error: response without an error code (code " + h.getCodeValue() + "): "
                                + h.getMessage(),
                        false, h.getLeaderHint(), meta, false, endpoint, attempts, null));
                return;
            }
            boolean unknown = !isRead && (code == ErrorCode.OUTCOME_UNKNOWN || code == ErrorCode.DEADLINE_EXCEEDED);
            boolean retriable = h.getRetriable() || unknown || code == ErrorCode.NOT_LEADER;
            NamesrvException e = new NamesrvException(Kind.SERVER, code, h.getMessage(), retriable, h.getLeaderHint(),
                    meta, unknown, endpoint, attempts, null);
            if (code == ErrorCode.NOT_LEADER) {
                String hint = h.getLeaderHint();
                if (!hint.isEmpty() && !hint.equals(endpoint) && Endpoints.isValid(hint)) {
                    redirect = hint;
                    retryNow(e);
                    return;
                }
                router.failed(endpoint);
                retryLater(e);
                return;
            }
            if (!retriable) {
                giveUp(e);
                return;
            }
            router.failed(endpoint);
            retryLater(e);
        }

        NamesrvException transport(RpcTransportException te, String endpoint) {
            return transportFailure(te, endpoint, isRead, attempts);
        }

        NamesrvException timeout(RpcTransportException te, String message) {
            return timeoutFailure(te, message, isRead, attempts);
        }

        private boolean canRetry(NamesrvException e) {
            anyUnknown |= e.outcomeUnknown();
            last = e;
            if (options.node() != null)
                return false; // pinned: exactly one attempt
            return attempts < retry.maxAttempts() && !result.isDone();
        }

        void retryNow(NamesrvException e) {
            if (!canRetry(e)) {
                giveUp(e);
                return;
            }
            log.debug("attempt {} redirected to {}: {}", attempts, redirect, e.getMessage());
            next();
        }

        void retryLater(NamesrvException e) {
            if (!canRetry(e)) {
                giveUp(e);
                return;
            }
            failures++;
            long base = retry.baseDelayNanos(failures);
            long delay = (long) (base * (1.0 - retry.jitter() * random.nextDouble()));
            long remaining = deadline - System.nanoTime();
            if (delay >= remaining) {
                giveUp(e);
                return;
            }
            log.debug("attempt {} failed ({}); retrying in {} us", attempts, e.getMessage(), delay / 1000);
            try {
                scheduler.schedule(this::next, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException rex) {
                giveUp(e);
            }
        }

        void giveUp(NamesrvException e) {
            anyUnknown |= e.outcomeUnknown();
            result.completeExceptionally(e.finalFor(anyUnknown && !isRead, attempts));
        }
    }
}
