package io.rns.namesrv.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the dispatcher counts, into the node's meter registry: every answered request by kind, the consistency level
 * it was served at and its outcome code, with its latency ({@code rns_requests_seconds}), how long requests waited
 * in this node's queues by kind ({@code rns_request_queue_seconds}), and every request forwarded to the leader by kind
 * ({@code rns_forwards_total}). Meters are cached per label set (a bounded set: the
 * kinds, levels and codes are enums).
 */
public final class RequestMetrics {
    /** Histogram buckets: sub-millisecond reads up to the longest request deadlines. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private record Key(RequestEnvelope.BodyCase kind, Consistency served, ErrorCode code) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Map<RequestEnvelope.BodyCase, Counter> forwards = new ConcurrentHashMap<>();
    private final Map<RequestEnvelope.BodyCase, Timer> queued = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** One answered request: its kind, the level the answer says it was served at, its code, and how long it took. */
    void answered(RequestEnvelope.BodyCase kind, ResponseEnvelope resp, long nanos) {
        Consistency served = resp.getHeader().getServed();
        Key k = new Key(kind, served == Consistency.UNRECOGNIZED ? Consistency.CONSISTENCY_UNSPECIFIED : served,
                resp.getHeader().getCode() == ErrorCode.UNRECOGNIZED ? ErrorCode.ERROR_CODE_UNSPECIFIED
                        : resp.getHeader().getCode());
        timers.computeIfAbsent(k,
                x -> Timer.builder("rns.requests").description("requests answered by this node (served or forwarded)")
                        .tag("kind", label(x.kind())).tag("served", servedLabel(x.served()))
                        .tag("code", label(x.code())).serviceLevelObjectives(BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * How long a request waited on this node between its arrival (its frame decoded) and its handling: the transport's
     * queues (for heartbeats, the priority executor's: the heartbeat queue delay).
     */
    void queued(RequestEnvelope.BodyCase kind, long nanos) {
        queued.computeIfAbsent(kind,
                x -> Timer.builder("rns.request.queue")
                        .description("time requests waited on this node between arrival and handling")
                        .tag("kind", label(x)).serviceLevelObjectives(BUCKETS).register(registry))
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** One request forwarded to the leader. */
    void forwarded(RequestEnvelope.BodyCase kind) {
        forwards.computeIfAbsent(kind, x -> Counter.builder("rns.forwards")
                .description("requests this node forwarded to the leader").tag("kind", label(x)).register(registry))
                .increment();
    }

    private static String servedLabel(Consistency c) {
        return c == Consistency.CONSISTENCY_UNSPECIFIED ? "none" : label(c);
    }
}
