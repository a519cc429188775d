package io.rns.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how fast a call is retried. Attempt {@code k} (k >= 1) after a failure waits
 * {@code min(maxBackoff, initialBackoff * 2^(k-1))}, reduced by a random fraction of up to {@code jitter}
 * (drawn from the client's seedable random). A redirect to a leader named by NOT_LEADER does not wait.
 *
 * @param maxAttempts    total attempts including the first (>= 1; default 20: more backoff (~15 s) than the default overall timeout of 10 s, so that timeout, not the attempt count, bounds a call riding out a leader election — measured: 10 attempts (~4 s) ran out once during a failover with a 2 s election timeout)
 * @param initialBackoff first wait (default 50 ms)
 * @param maxBackoff     cap of the wait (default 1 s)
 * @param jitter         in [0, 1]; 0 = no randomness (default 0.5)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(20, Duration.ofMillis(50), Duration.ofSeconds(1), 0.5);
    /** One attempt, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0);

    public RetryPolicy {
        if (maxAttempts < 1)
            throw new IllegalArgumentException("retryPolicy.maxAttempts must be >= 1: " + maxAttempts);
        Objects.requireNonNull(initialBackoff, "retryPolicy.initialBackoff");
        Objects.requireNonNull(maxBackoff, "retryPolicy.maxBackoff");
        if (initialBackoff.isNegative())
            throw new IllegalArgumentException("retryPolicy.initialBackoff must be >= 0");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retryPolicy.maxBackoff must be >= initialBackoff");
        }
        if (!(jitter >= 0 && jitter <= 1))
            throw new IllegalArgumentException("retryPolicy.jitter must be in [0, 1]: " + jitter);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, jitter);
    }

    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, jitter);
    }

    public RetryPolicy withJitter(double j) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, j);
    }

    /** The wait before retry number {@code failures} (1 = after the first failure), before jitter, in nanos. */
    public long baseDelayNanos(int failures) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int shift = Math.min(Math.max(0, failures - 1), 30);
        long d = initial > (max >> shift) ? max : initial << shift;
        return Math.min(d, max);
    }
}
