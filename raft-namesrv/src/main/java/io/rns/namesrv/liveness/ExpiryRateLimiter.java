package io.rns.namesrv.liveness;

/** A token bucket on the monotonic clock: {@code rate} tokens per second, at most {@code burst} saved up. */
final class ExpiryRateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final long spacingNanos;
    private double tokens;
    private long lastRefill;

    ExpiryRateLimiter(double ratePerSec, int burst, long nowNanos) {
        this.ratePerNano = ratePerSec / 1e9;
        this.burst = burst;
        this.spacingNanos = (long) Math.ceil(1e9 / ratePerSec);
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    private void refill(long now) {
        if (now > lastRefill) {
            tokens = Math.min(burst, tokens + (now - lastRefill) * ratePerNano);
            lastRefill = now;
        }
    }

    /** Takes one token if there is one. */
    boolean tryAcquire(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** The minimum spacing between two expiries when bursts are not allowed (1/rate). */
    long spacingNanos() {
        return spacingNanos;
    }
}
