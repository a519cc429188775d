package io.rns.namesrv.write;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.consensus.Proposer;
import io.rns.namesrv.consensus.ReadBarrier;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RouteImage;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The write path on the node that applies writes (the Raft leader, or any leaderless node; api/ forwards the rest)
 * (DESIGN §2): the {@link RecordFactory} turns request + image into a record or "no change"; a record is proposed
 * with the leader's term; a "no change" is confirmed against a fresh image after a read barrier (an in-flight
 * committed entry could otherwise be missed) and answered without a log entry. The result is a {@link WriteOutcome}.
 *
 * <p>Exactly-once: {@link #session} gives the view of this service for one request's {@link SessionStamp}; every
 * record it proposes carries the stamp, and apply returns a retry's first result and refuses a late copy of an older
 * request (see log.proto ClientSession).
 *
 * @param leaseConfirmsUnchanged confirm "no change" with a lease-based ReadIndex (write.unchanged-barrier)
 * @param sessions               how sessions are opened; {@link SessionPolicy#OFF} ignores stamps (leaderless)
 * @param stamp                  the session of the request this view serves, or {@link SessionStamp#NONE}
 */
public record WriteService(Proposer proposer, ReadBarrier barrier, NodeStatus status, Clock clock,
        boolean leaseConfirmsUnchanged, SessionPolicy sessions, SessionStamp stamp) {

    /** Without sessions (tests, and callers that never carry one). */
    public WriteService(Proposer proposer, ReadBarrier barrier, NodeStatus status, Clock clock,
            boolean leaseConfirmsUnchanged) {
        this(proposer, barrier, status, clock, leaseConfirmsUnchanged, SessionPolicy.OFF, SessionStamp.NONE);
    }

    /** This service for a request carrying {@code s}; the same service when sessions are off or {@code s} is NONE. */
    public WriteService session(SessionStamp s) {
        if (!sessions.enabled() || s.equals(stamp)) {
            return this;
        }
        return new WriteService(proposer, barrier, status, clock, leaseConfirmsUnchanged, sessions, s);
    }

    /** Opens a client session: its id is the index of the OpenSession record. */
    public CompletableFuture<WriteOutcome> openSession(long timeoutMs) {
        if (!sessions.enabled()) {
            throw new RnsException(ErrorCode.UNSUPPORTED_REQUEST,
                    "client sessions exist in raft mode only: a leaderless node applies every write it receives");
        }
        return propose(RecordFactory.openSession(sessions.timeoutMs(), sessions.maxOpen(), clock.millis()), timeoutMs);
    }

    /** Request + image + leader time -> the record to propose, or empty for "no change". */
    @FunctionalInterface
    public interface RecordFn {
        /** May throw RnsException for a request-level refusal. */
        Optional<LogRecord> toRecord(RouteImage image, long leaderTimeMs);
    }

    /**
     * A registration that passed {@code RequestValidator.validate}; {@code leaseMs} is the effective lease. An
     * identical one is a heartbeat, not a log entry.
     */
    public CompletableFuture<WriteOutcome> register(RegisterBrokerRequest r, int leaseMs, long timeoutMs) {
        return write((image, now) -> RecordFactory.register(r, leaseMs, image, now), timeoutMs);
    }

    /** Always logged: apply decides, conditionally on the epoch (a refusal here would race with registrations). */
    public CompletableFuture<WriteOutcome> unregister(UnregisterBrokerRequest r, long timeoutMs) {
        return write((image, now) -> Optional.of(RecordFactory.unregister(r, now)), timeoutMs);
    }

    /** The expiry of one broker epoch (liveness on the leader; a closed connection in leaderless mode). */
    public CompletableFuture<WriteOutcome> expire(String cluster, String brokerName, long brokerId, String brokerAddr,
            long epoch, long timeoutMs) {
        return write((image, now) -> Optional
                .of(RecordFactory.expiry(cluster, brokerName, brokerId, brokerAddr, epoch, now)), timeoutMs);
    }

    public CompletableFuture<WriteOutcome> deleteTopic(DeleteTopicRequest r, long timeoutMs) {
        return write((image, now) -> RecordFactory.deleteTopic(r, image, now), timeoutMs);
    }

    public CompletableFuture<WriteOutcome> kvPut(KvPutRequest r, long timeoutMs) {
        return write((image, now) -> RecordFactory.kvPut(r, image, now), timeoutMs);
    }

    public CompletableFuture<WriteOutcome> kvDelete(KvDeleteRequest r, long timeoutMs) {
        return write((image, now) -> RecordFactory.kvDelete(r, image, now), timeoutMs);
    }

    public CompletableFuture<WriteOutcome> changeWritePerm(ChangeWritePermRequest r, long timeoutMs) {
        return write((image, now) -> RecordFactory.changeWritePerm(r, image, now), timeoutMs);
    }

    public CompletableFuture<WriteOutcome> registerTopic(RegisterTopicRequest r, long timeoutMs) {
        return write((image, now) -> RecordFactory.registerTopic(r, image, now), timeoutMs);
    }

    CompletableFuture<WriteOutcome> write(RecordFn fn, long timeoutMs) {
        RouteImage image = status.image();
        Optional<LogRecord> record = fn.toRecord(image, clock.millis());
        if (record.isEmpty()) {
            return confirmUnchanged(image, timeoutMs, fn);
        }
        return propose(record.get(), timeoutMs);
    }

    private CompletableFuture<WriteOutcome> propose(LogRecord record, long timeoutMs) {
        LogRecord stamped = stamp.present() ? RecordFactory.inSession(record, stamp.id(), stamp.seq()) : record;
        return proposer.propose(stamped, timeoutMs).thenApply(result -> {
            if (result instanceof ApplyResult.Applied a) {
                return new WriteOutcome.Applied(a.index(), a, status.image());
            }
            if (result instanceof ApplyResult.Rejected r) {
                return new WriteOutcome.Rejected(r);
            }
            // Skipped cannot happen for a fresh proposal; report it rather than pretend
            throw new RnsException(ErrorCode.INTERNAL, "proposed entry " + result.index() + " was skipped by apply");
        });
    }

    /**
     * "No change" is an answer about the current state: make sure the image is current (ReadIndex, lease-confirmed
     * or quorum-confirmed per write.unchanged-barrier) and re-check — unless the image is still the one
     * {@code checked} was (images are immutable and replaced on every apply, so the same instance means nothing was
     * applied in between and the answer stands).
     */
    private CompletableFuture<WriteOutcome> confirmUnchanged(RouteImage checked, long timeoutMs, RecordFn fn) {
        return barrier.readBarrier(leaseConfirmsUnchanged, timeoutMs).thenCompose(idx -> {
            RouteImage fresh = status.image();
            if (fresh == checked) {
                return CompletableFuture.completedFuture(new WriteOutcome.Unchanged(fresh));
            }
            Optional<LogRecord> again = fn.toRecord(fresh, clock.millis());
            if (again.isEmpty()) {
                return CompletableFuture.completedFuture(new WriteOutcome.Unchanged(fresh));
            }
            return propose(again.get(), timeoutMs);
        });
    }
}
