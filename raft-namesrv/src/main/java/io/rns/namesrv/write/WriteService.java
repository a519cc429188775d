package io.rns.namesrv.write;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.api.ErrorMapping;
import io.rns.namesrv.api.Responses;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RouteImage;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The write path (DESIGN §2). On the leader: the operation turns request + image into a record or "no change";
 * a record is proposed with the leader's term; a "no change" is confirmed against a fresh image after a read barrier
 * (an in-flight committed entry could otherwise be missed) and answered without a log entry. On a follower: the
 * request is forwarded once to the leader (hops 0 -> 1); a forwarded request that meets a non-leader is answered
 * NOT_LEADER with the leader hint, never forwarded again.
 */
public final class WriteService {

    /** One kind of write. */
    public interface WriteOp {
        /** The record to propose, or empty for "no change". May throw RnsException for a request-level refusal. */
        Optional<LogRecord> toRecord(RouteImage image, long leaderTimeMs);

        /** The response body after the record was applied successfully on this (leader) node. */
        ResponseEnvelope.Builder applied(ApplyResult.Applied result, RouteImage after);

        /** The response body when nothing needed to change. */
        ResponseEnvelope.Builder unchanged(RouteImage image);
    }

    private final Consensus consensus;
    private final Responses responses;
    private final LeaderForwarder forwarder;
    private final Clock clock;
    private final boolean leaseConfirmsUnchanged;

    /** {@code leaseConfirmsUnchanged}: confirm "no change" with a lease-based ReadIndex (write.unchanged-barrier). */
    public WriteService(
            Consensus consensus,
            Responses responses,
            LeaderForwarder forwarder,
            Clock clock,
            boolean leaseConfirmsUnchanged) {
        this.consensus = consensus;
        this.responses = responses;
        this.forwarder = forwarder;
        this.clock = clock;
        this.leaseConfirmsUnchanged = leaseConfirmsUnchanged;
    }

    public CompletableFuture<ResponseEnvelope> write(RequestEnvelope request, long timeoutMs, WriteOp op) {
        NodeState s = consensus.state();
        if (!s.acceptsWrites()) {
            return notLeader(request, s, timeoutMs, 0);
        }
        RouteImage image = consensus.image();
        Optional<LogRecord> record = op.toRecord(image, clock.millis());
        if (record.isEmpty()) {
            return confirmUnchanged(image, timeoutMs, op);
        }
        return propose(record.get(), timeoutMs, op);
    }

    private CompletableFuture<ResponseEnvelope> propose(LogRecord record, long timeoutMs, WriteOp op) {
        CompletableFuture<ResponseEnvelope> answered = consensus
                .propose(record, timeoutMs)
                .thenApply(result -> {
                    if (result instanceof ApplyResult.Applied a) {
                        return responses.ok(op.applied(a, consensus.image()), null);
                    }
                    if (result instanceof ApplyResult.Rejected r) {
                        ErrorMapping.Mapped m = ErrorMapping.map(r);
                        return responses.error(m.code(), m.message());
                    }
                    // Skipped cannot happen for a fresh proposal; report it rather than pretend
                    return responses.error(
                            ErrorCode.INTERNAL, "proposed entry " + result.index() + " was skipped by apply");
                });
        // Once a record was handed to the log, no failure may be reported as definite: a consensus failure already
        // says what it knows; anything else (e.g. building the answer after apply) means the outcome is unknown.
        return answered.exceptionally(t -> {
            Throwable e =
                    t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (e instanceof io.rns.namesrv.consensus.ConsensusException) {
                throw t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
            }
            return responses.error(
                    ErrorCode.OUTCOME_UNKNOWN,
                    "the write was proposed but its answer could not be " + "built (" + e
                            + "); it may have been applied");
        });
    }

    /**
     * "No change" is an answer about the current state: make sure the image is current (ReadIndex, lease-confirmed
     * or quorum-confirmed per write.unchanged-barrier) and re-check —
     * unless the image is still the one {@code checked} was (images are immutable and replaced on every apply, so
     * the same instance means nothing was applied in between and the answer stands).
     */
    private CompletableFuture<ResponseEnvelope> confirmUnchanged(RouteImage checked, long timeoutMs, WriteOp op) {
        return consensus.readBarrier(leaseConfirmsUnchanged, timeoutMs).thenCompose(idx -> {
            RouteImage fresh = consensus.image();
            if (fresh == checked) {
                return CompletableFuture.completedFuture(responses.ok(op.unchanged(fresh), null));
            }
            Optional<LogRecord> again = op.toRecord(fresh, clock.millis());
            if (again.isEmpty()) {
                return CompletableFuture.completedFuture(responses.ok(op.unchanged(fresh), null));
            }
            return propose(again.get(), timeoutMs, op);
        });
    }

    /**
     * For requests only the leader serves: forwards once to the leader (recording how long the request waited here
     * since {@code arrivalNanos}), or answers NOT_LEADER when already forwarded or no leader is known.
     */
    public CompletableFuture<ResponseEnvelope> forwardOrRefuse(
            RequestEnvelope request, long timeoutMs, long arrivalNanos) {
        return notLeader(request, consensus.state(), timeoutMs, arrivalNanos);
    }

    private CompletableFuture<ResponseEnvelope> notLeader(
            RequestEnvelope request, NodeState s, long timeoutMs, long arrivalNanos) {
        String hint = responses.leaderHint(s);
        if (request.getHops() > 0 || hint.isEmpty()) {
            String why = hint.isEmpty()
                    ? "this node is not the leader and knows no leader (election in progress or no quorum)"
                    : "this node is not the leader (request already forwarded once)";
            return CompletableFuture.completedFuture(responses.error(ErrorCode.NOT_LEADER, why));
        }
        if (forwarder == null) {
            return CompletableFuture.failedFuture(
                    new RnsException(ErrorCode.NOT_LEADER, "this node is not the leader"));
        }
        long queuedMs = arrivalNanos == 0
                ? 0
                : Math.max(0, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivalNanos));
        return forwarder.forward(
                request.toBuilder()
                        .setQueuedMs((int) Math.min(Integer.MAX_VALUE, request.getQueuedMs() + queuedMs))
                        .build(),
                hint,
                timeoutMs);
    }
}
