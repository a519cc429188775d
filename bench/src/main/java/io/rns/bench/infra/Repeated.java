package io.rns.bench.infra;

import io.rns.bench.infra.LoadRunner.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one load cell (one target at one client count) repeated with the other targets interleaved: the median
 * of each figure and the spread of the throughput, so that a ratio is not one noisy sample.
 */
public final class Repeated {
    private final List<Stats> samples = new ArrayList<>();

    /** The words a table title gets: nothing for one run, else how the figures were formed. */
    public static String title(int repeat) {
        return repeat <= 1 ? "" : "; each figure the median of " + repeat + " runs, the targets interleaved";
    }

    public void add(Stats s) {
        samples.add(s);
    }

    public int size() {
        return samples.size();
    }

    /** A Stats whose figures are the medians over the samples; counts (ok, errors, seconds) are summed. */
    public Stats median() {
        if (samples.size() == 1) {
            return samples.get(0);
        }
        long ok = samples.stream().mapToLong(Stats::ok).sum();
        long errors = samples.stream().mapToLong(Stats::errors).sum();
        double seconds = samples.stream().mapToDouble(Stats::seconds).sum();
        String firstError = samples.stream().map(Stats::firstError).filter(e -> e != null && !e.isEmpty()).findFirst()
                .orElse(null);
        return new Stats(samples.get(0).clients(), ok, errors, seconds, median(Stats::opsPerSec), median(Stats::p50Ms),
                median(Stats::p99Ms), median(Stats::p999Ms), median(Stats::maxMs), median(Stats::meanMs), firstError,
                medianCpu());
    }

    /** The throughput's lowest and highest sample, e.g. {@code 1,204–1,388}; {@code -} for one sample. */
    public String opsSpread() {
        if (samples.size() < 2) {
            return "-";
        }
        double[] v = samples.stream().mapToDouble(Stats::opsPerSec).sorted().toArray();
        return String.format("%,.0f–%,.0f", v[0], v[v.length - 1]);
    }

    /** Each CPU figure's median on its own (per server process too). */
    private CpuUse medianCpu() {
        List<Double> each = new ArrayList<>();
        int servers = samples.stream().mapToInt(s -> s.cpu().eachServerUsPerOp().size()).min().orElse(0);
        for (int i = 0; i < servers; i++) {
            int n = i;
            each.add(median(s -> s.cpu().eachServerUsPerOp().get(n)));
        }
        return new CpuUse(median(Stats::serverCpuUsPerOp), each, median(s -> s.cpu().clientUsPerOp()),
                median(s -> s.cpu().machineCores()));
    }

    private double median(ToDoubleFunction<Stats> f) {
        return Quantiles.median(samples.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray());
    }
}
