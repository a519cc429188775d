package io.rns.chaos.checker;

/** Outcome of a check. {@code UNKNOWN} (deadline or memory cap hit) is never a pass. */
public enum Verdict {
    VALID, INVALID, UNKNOWN;

    /** INVALID dominates UNKNOWN, which dominates VALID. */
    public static Verdict combine(Verdict a, Verdict b) {
        if (a == INVALID || b == INVALID) {
            return INVALID;
        }
        if (a == UNKNOWN || b == UNKNOWN) {
            return UNKNOWN;
        }
        return VALID;
    }
}
