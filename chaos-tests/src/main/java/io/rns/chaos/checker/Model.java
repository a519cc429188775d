package io.rns.chaos.checker;

import java.util.List;
import java.util.Optional;

/**
 * A deterministic sequential specification of one object (one key). States must be immutable with value-based
 * {@code equals}/{@code hashCode} (they are memoized).
 *
 * @param <S> state type
 */
public interface Model<S> {

    String name();

    S init();

    /**
     * Applies one op. {@code output} is the OK completion's value; for an indeterminate op (which the checker only
     * feeds in for ops that are not {@linkplain #isReadOnly read-only}) it is {@code null} and must be ignored.
     *
     * @return the new state, or empty if the op with this output is impossible in {@code state}
     */
    Optional<S> step(S state, String f, String input, String output, boolean indeterminate);

    /** Functions this model understands; the checker rejects histories with other functions. */
    boolean supports(String f);

    /** Ops with no effect on the state; indeterminate read-only ops are dropped (they constrain nothing). */
    boolean isReadOnly(String f);

    /**
     * Called once per key before the search: may canonicalize outputs and remove indeterminate ops that provably cannot
     * change the verdict (see the implementations for the soundness argument). Must never remove OK ops (ids are reassigned afterwards).
     * Default: unchanged.
     */
    default List<CheckOp> prepare(List<CheckOp> ops) {
        return ops;
    }

    default String describe(S state) {
        return String.valueOf(state);
    }
}
