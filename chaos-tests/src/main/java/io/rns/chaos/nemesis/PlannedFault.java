package io.rns.chaos.nemesis;

/**
 * One fault window of a schedule, as planned from its seed: which nemesis, with which planned targets, starting
 * {@code startMs} after the run start (after a quiet window) and lasting {@code faultMs}.
 */
public record PlannedFault(int window, String nemesis, String targets, long windowSeed, long startMs, long faultMs) {
    public long stopMs() {
        return startMs + faultMs;
    }
}
