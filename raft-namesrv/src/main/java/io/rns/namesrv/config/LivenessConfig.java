package io.rns.namesrv.config;

/**
 * Liveness settings (keys liveness.* in conf/rns.properties).
 *
 * @param defaultLeaseMs     lease of a broker that registers without one
 * @param minLeaseMs         smallest lease a registration may ask for
 * @param maxLeaseMs         largest lease a registration may ask for
 * @param suspectLeaseMs     lease left to a broker whose bound connection closed
 * @param scanIntervalMs     how often the leader looks for expired leases
 * @param expiryRatePerSec   expiries proposed per second at most (token bucket refill)
 * @param expiryBurst        expiries that may be proposed at once (token bucket size)
 * @param massExpiryFraction when more than this fraction of a cluster's brokers would expire within one lease period,
 *                           that cluster's expiries lose the burst (strictly one per 1/rate s) and a warning is logged
 */
public record LivenessConfig(int defaultLeaseMs, int minLeaseMs, int maxLeaseMs, int suspectLeaseMs, int scanIntervalMs,
        double expiryRatePerSec, int expiryBurst, double massExpiryFraction) {
    public static final LivenessConfig DEFAULTS = new LivenessConfig(10_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5);

    public LivenessConfig {
        if (minLeaseMs < 100 || maxLeaseMs < minLeaseMs || defaultLeaseMs < minLeaseMs || defaultLeaseMs > maxLeaseMs) {
            throw new IllegalArgumentException("liveness leases must satisfy 100 <= liveness.min-lease-ms <= "
                    + "liveness.default-lease-ms <= liveness.max-lease-ms; got min=" + minLeaseMs + " default="
                    + defaultLeaseMs + " max=" + maxLeaseMs);
        }
        if (suspectLeaseMs < 100 || suspectLeaseMs > maxLeaseMs) {
            throw new IllegalArgumentException(
                    "liveness.suspect-lease-ms must be in [100, liveness.max-lease-ms], got " + suspectLeaseMs);
        }
        if (scanIntervalMs < 10 || scanIntervalMs > 10_000) {
            throw new IllegalArgumentException(
                    "liveness.scan-interval-ms must be in [10, 10000], got " + scanIntervalMs);
        }
        if (!(expiryRatePerSec > 0 && expiryRatePerSec <= 100_000)) {
            throw new IllegalArgumentException(
                    "liveness.expiry-rate-per-sec must be in (0, 100000], got " + expiryRatePerSec);
        }
        if (expiryBurst < 1 || expiryBurst > 100_000) {
            throw new IllegalArgumentException("liveness.expiry-burst must be in [1, 100000], got " + expiryBurst);
        }
        if (!(massExpiryFraction > 0 && massExpiryFraction <= 1)) {
            throw new IllegalArgumentException(
                    "liveness.mass-expiry-fraction must be in (0, 1], got " + massExpiryFraction);
        }
    }

    /** The lease a registration gets: 0 means the default. Callers validate the range first. */
    public int effectiveLeaseMs(long requested) {
        return requested == 0 ? defaultLeaseMs : (int) requested;
    }

    /** Heartbeat interval suggested to brokers: a fifth of the lease (10 s lease -> 2 s). */
    public static int heartbeatIntervalMs(int leaseMs) {
        return Math.max(1, leaseMs / 5);
    }
}
