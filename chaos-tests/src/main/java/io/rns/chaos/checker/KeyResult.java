package io.rns.chaos.checker;

import java.time.Duration;

/**
 * Verdict for one key.
 *
 * @param ops           operations of the key after dropping FAIL ops and indeterminate reads
 * @param pruned        indeterminate ops removed by {@link Model#prepare} before the search
 * @param indeterminate indeterminate ops left in the search
 * @param cacheEntries  memoized (linearized set, state) pairs, a measure of the search effort
 * @param witness       for INVALID, the counterexample; otherwise {@code null}
 * @param reason        for UNKNOWN, why (deadline, cache cap, error); otherwise {@code null}
 */
public record KeyResult(String key, Verdict verdict, int ops, int pruned, int indeterminate, long cacheEntries,
        Duration elapsed, Witness witness, String reason) {

    @Override
    public String toString() {
        return key + ": " + verdict + " (" + ops + " ops, " + pruned + " pruned, " + indeterminate + " indeterminate, "
                + cacheEntries + " states, " + elapsed.toMillis() + " ms" + (reason == null ? "" : ", " + reason) + ")";
    }
}
