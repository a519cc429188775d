package io.rns.statemachine;

/**
 * One client session's deduplication state (log.proto ClientSession): the highest applied sequence number and its
 * result. Immutable; replaced on every applied request of the session.
 *
 * @param id           the log index of the session's OpenSession record
 * @param lastSeq      the highest applied sequence number; 0 until the first request is applied
 * @param lastActiveMs the state machine's clock when the session was opened or last applied a request
 * @param timeoutMs    idle time after which the session expires
 * @param lastResult   the result of the request with {@code lastSeq} (null while {@code lastSeq} is 0); a
 *                     {@link ApplyResult.Applied} or {@link ApplyResult.Rejected} carrying its original index
 */
public record ClientSession(long id, long lastSeq, long lastActiveMs, long timeoutMs, ApplyResult lastResult) {

    /** Whether the session has been idle for longer than its timeout at state-machine time {@code clockMs}. */
    public boolean idleAt(long clockMs) {
        return clockMs - lastActiveMs > timeoutMs;
    }

    /** The session after it applied {@code seq} with {@code result} at {@code clockMs}. */
    ClientSession applied(long seq, long clockMs, ApplyResult result) {
        return new ClientSession(id, seq, clockMs, timeoutMs, result);
    }
}
