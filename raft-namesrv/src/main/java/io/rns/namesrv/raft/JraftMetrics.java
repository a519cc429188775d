package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.core.NodeMetrics;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.rns.namesrv.consensus.EngineMetric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jraft's own metrics ({@code NodeOptions.setEnableMetrics(true)}: a Dropwizard registry per node) as
 * {@link EngineMetric}s: every timer (nanoseconds in jraft, seconds here), histogram and numeric gauge, read when
 * asked. The quantiles are Dropwizard's exponentially decaying reservoir (about the last five minutes).
 */
final class JraftMetrics {
    private static final double NANOS = 1e9;

    private JraftMetrics() {
    }

    /** jraft's registry of the node (if any) followed by RNS's own engine-side registry ({@link RouteFsm}). */
    static List<EngineMetric> of(Node node, MetricRegistry own) {
        List<EngineMetric> out = new ArrayList<>();
        NodeMetrics nm = node == null ? null : node.getNodeMetrics();
        if (nm != null && nm.getMetricRegistry() != null) {
            add(nm.getMetricRegistry(), out);
        }
        add(own, out);
        return out;
    }

    private static void add(MetricRegistry r, List<EngineMetric> out) {
        for (Map.Entry<String, Timer> e : r.getTimers().entrySet()) {
            Snapshot s = e.getValue().getSnapshot();
            out.add(new EngineMetric(e.getKey(), EngineMetric.Kind.TIMER, e.getValue().getCount(),
                    s.getMedian() / NANOS, s.get99thPercentile() / NANOS, s.getMax() / NANOS));
        }
        for (Map.Entry<String, Histogram> e : r.getHistograms().entrySet()) {
            Snapshot s = e.getValue().getSnapshot();
            out.add(new EngineMetric(e.getKey(), EngineMetric.Kind.HISTOGRAM, e.getValue().getCount(), s.getMedian(),
                    s.get99thPercentile(), s.getMax()));
        }
        for (Map.Entry<String, Gauge> e : r.getGauges().entrySet()) {
            Object v;
            try {
                v = e.getValue().getValue();
            } catch (RuntimeException ex) {
                continue; // a gauge of a replicator that is going away
            }
            if (v instanceof Number n) {
                out.add(new EngineMetric(e.getKey(), EngineMetric.Kind.GAUGE, 0, n.doubleValue(), Double.NaN,
                        Double.NaN));
            }
        }
    }
}
