package io.rns.namesrv.admin;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.rns.namesrv.consensus.EngineMetric;
import io.rns.namesrv.consensus.NodeStatus;

/**
 * The replication engine's own metrics ({@link NodeStatus#engineMetrics()}), read at every scrape, as three metric
 * families labelled with the engine's name for each: {@code rns_raft_engine_seconds} (durations: log append with its
 * fsync {@code append-logs}, apply {@code fsm-apply-tasks}, commit, snapshot save {@code fsm-snapshot-save},
 * replication, votes, metadata saves), {@code rns_raft_engine_values} (sizes per event: entries and bytes per append
 * or apply batch) — both summaries with the median, 99th percentile and max of the recent values and the count since
 * start — and {@code rns_raft_engine_gauge} (queue capacities, logs in memory, per-follower {@code log-lags}).
 */
record EngineCollector(String nodeId, NodeStatus status) implements MultiCollector {

    @Override
    public MetricSnapshots collect() {
        SummarySnapshot.Builder seconds = SummarySnapshot.builder().name("rns_raft_engine_seconds")
                .help("durations the replication engine measures (jraft timers), by name; recent quantiles");
        SummarySnapshot.Builder values = SummarySnapshot.builder().name("rns_raft_engine_values")
                .help("sizes per event the replication engine measures (jraft histograms), by name; recent quantiles");
        GaugeSnapshot.Builder gauges = GaugeSnapshot.builder().name("rns_raft_engine_gauge")
                .help("values the replication engine reports (jraft gauges), by name");
        for (EngineMetric m : status.engineMetrics()) {
            Labels labels = Labels.of("name", m.name(), "node", nodeId);
            switch (m.kind()) {
                case TIMER -> seconds.dataPoint(summary(m, labels));
                case HISTOGRAM -> values.dataPoint(summary(m, labels));
                case GAUGE -> gauges.dataPoint(
                        GaugeSnapshot.GaugeDataPointSnapshot.builder().value(m.p50()).labels(labels).build());
            }
        }
        return MetricSnapshots.of(seconds.build(), values.build(), gauges.build());
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summary(EngineMetric m, Labels labels) {
        return SummarySnapshot.SummaryDataPointSnapshot.builder().count(m.count()).quantiles(
                Quantiles.of(new Quantile(0.5, m.p50()), new Quantile(0.99, m.p99()), new Quantile(1.0, m.max())))
                .labels(labels).build();
    }
}
