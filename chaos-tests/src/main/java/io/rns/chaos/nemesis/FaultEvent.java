package io.rns.chaos.nemesis;

import java.util.Locale;

/** One recorded fault transition (see {@link FaultListener}); {@code window} is the fault window's index, -1 for the final heal. */
public record FaultEvent(int window, String name, String phase, String detail, long nanos) {
    public double seconds() {
        return nanos / 1e9;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%8.3fs #%d %s %s %s", seconds(), window, name, phase, detail);
    }
}
