package io.rns.bench.infra;

import java.util.Arrays;

/** The median and the percentiles of measured values: the one place scenarios summarise their samples. */
public final class Quantiles {
    private Quantiles() {
    }

    /** The median (the mean of the two middle values for an even count); NaN when there are none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The nearest-rank {@code q} quantile of sorted values ({@code q} 1 = the largest); 0 when there are none. */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
