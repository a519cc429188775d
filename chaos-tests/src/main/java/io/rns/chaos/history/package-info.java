/**
 * Histories as the chaos harness records them (Jepsen style): every client operation is an {@link
 * io.rns.chaos.history.Op} of type {@code INVOKE} followed, under the same process id, by one completion of type
 * {@code OK} (happened, output known), {@code FAIL} (definitely did not happen) or {@code INFO} (indeterminate: timeout,
 * connection lost, OUTCOME_UNKNOWN; may have happened at any time after the invocation, or never). A process that got
 * {@code INFO} is never used again; the worker continues under a fresh process id.
 *
 * <p>Times are {@code System.nanoTime()} deltas from the run start, taken in the single harness JVM
 * ({@link io.rns.chaos.history.HistoryRecorder}). Histories are stored as {@code history.jsonl}, one op per line.
 */
package io.rns.chaos.history;
