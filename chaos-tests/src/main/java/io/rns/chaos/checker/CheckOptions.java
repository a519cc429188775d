package io.rns.chaos.checker;

import java.time.Duration;

/**
 * @param deadline        wall-clock budget for a whole {@code check} call (all keys); keys not decided by then are
 *                        {@link Verdict#UNKNOWN}
 * @param parallelism     keys checked concurrently
 * @param maxCacheEntries per-key cap on memoized states (memory guard, ~150 bytes each); exceeding it gives UNKNOWN
 */
public record CheckOptions(Duration deadline, int parallelism, long maxCacheEntries) {

    public CheckOptions {
        if (deadline == null || deadline.isNegative()) {
            throw new IllegalArgumentException("deadline: " + deadline);
        }
        if (parallelism < 1 || maxCacheEntries < 1) {
            throw new IllegalArgumentException("parallelism and maxCacheEntries must be >= 1");
        }
    }

    /** 60 s, one thread per core, 1,000,000 states per key. */
    public static CheckOptions defaults() {
        return new CheckOptions(Duration.ofSeconds(60), Runtime.getRuntime().availableProcessors(), 1_000_000);
    }

    public static CheckOptions withDeadline(Duration d) {
        return defaults().deadline(d);
    }

    public CheckOptions deadline(Duration d) {
        return new CheckOptions(d, parallelism, maxCacheEntries);
    }

    public CheckOptions parallelism(int p) {
        return new CheckOptions(deadline, p, maxCacheEntries);
    }

    public CheckOptions maxCacheEntries(long n) {
        return new CheckOptions(deadline, parallelism, n);
    }
}
