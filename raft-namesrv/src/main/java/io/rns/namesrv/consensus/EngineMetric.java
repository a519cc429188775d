package io.rns.namesrv.consensus;

/**
 * One measurement the replication engine keeps about itself (jraft's own metrics: log append and fsync, apply,
 * replication, snapshot save, votes, queue capacities, per-follower lag), read at scrape time. Engine-neutral, so
 * the admin layer exports them without knowing the engine.
 *
 * @param name  the engine's name for it (e.g. {@code append-logs}, {@code replicator-rns/10.0.0.2:9782.log-lags})
 * @param kind  what it measures
 * @param count events measured since start (TIMER, HISTOGRAM); 0 for a GAUGE
 * @param p50   median of the recent values (TIMER: seconds); the GAUGE's value
 * @param p99   99th percentile of the recent values (TIMER: seconds); NaN for a GAUGE
 * @param max   largest recent value (TIMER: seconds); NaN for a GAUGE
 */
public record EngineMetric(String name, Kind kind, long count, double p50, double p99, double max) {
    public enum Kind {
        /** durations, in seconds */
        TIMER,
        /** sizes or counts per event (entries per batch, bytes) */
        HISTOGRAM,
        /** a value now */
        GAUGE
    }
}
