package io.rns.namesrv.base;

/** A monotonic clock in nanoseconds (System.nanoTime in production; a manual clock in tests). */
@FunctionalInterface
public interface MonotonicClock {
    MonotonicClock SYSTEM = System::nanoTime;

    long nanos();
}
