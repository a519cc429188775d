package io.rns.chaos.report;

import io.rns.chaos.history.Operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.rns.chaos.report.HtmlReport.FAIL;
import static io.rns.chaos.report.HtmlReport.FAULT;
import static io.rns.chaos.report.HtmlReport.INFO;
import static io.rns.chaos.report.HtmlReport.LEFT;
import static io.rns.chaos.report.HtmlReport.OK;
import static io.rns.chaos.report.HtmlReport.W;
import static io.rns.chaos.report.HtmlReport.esc;

/** The report's charts: throughput and p50/p99 latency per 1 s bucket over the shaded fault windows. */
final class ChartSvg {
    private ChartSvg() {
    }

    static void charts(StringBuilder sb, List<Operation> ops, List<RunMetrics.Window> windows) {
        if (ops.isEmpty()) {
            sb.append("<p>no operations</p>");
            return;
        }
        long t0 = 0;
        long t1 = ops.stream().mapToLong(o -> o.ret() == Operation.INFINITY ? o.call() : o.ret()).max().orElse(1);
        int n = (int) (t1 / 1_000_000_000L) + 1;
        int[] okc = new int[n], failc = new int[n], infoc = new int[n];
        List<List<Long>> lat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lat.add(new ArrayList<>());
        }
        for (Operation o : ops) {
            long t = o.ret() == Operation.INFINITY ? o.call() : o.ret();
            int b = (int) Math.min(n - 1, t / 1_000_000_000L);
            switch (o.status()) {
                case OK -> {
                    okc[b]++;
                    lat.get(b).add(o.ret() - o.call());
                }
                case FAIL -> failc[b]++;
                default -> infoc[b]++;
            }
        }
        double[] p50 = new double[n], p99 = new double[n];
        for (int i = 0; i < n; i++) {
            List<Long> l = lat.get(i);
            l.sort(null);
            p50[i] = l.isEmpty() ? Double.NaN : l.get((int) Math.floor(0.5 * (l.size() - 1))) / 1e6;
            p99[i] = l.isEmpty() ? Double.NaN : l.get((int) Math.floor(0.99 * (l.size() - 1))) / 1e6;
        }
        Map<String, double[]> tp = new LinkedHashMap<>();
        tp.put("ok/s", toD(okc));
        tp.put("fail/s", toD(failc));
        tp.put("info/s", toD(infoc));
        chart(sb, "throughput (completions per second)", tp, new String[]{OK, FAIL, INFO}, windows, n);
        Map<String, double[]> lt = new LinkedHashMap<>();
        lt.put("p50 ms", p50);
        lt.put("p99 ms", p99);
        chart(sb, "latency of OK ops (ms)", lt, new String[]{"#1e88e5", "#8e24aa"}, windows, n);
    }

    static double[] toD(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static void chart(StringBuilder sb, String title, Map<String, double[]> series, String[] colors,
            List<RunMetrics.Window> windows, int n) {
        int h = 160, top = 18, bottom = 20;
        double max = 1;
        for (double[] s : series.values()) {
            for (double v : s) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double sx = (W - LEFT - 10) / (double) n;
        double sy = (h - top - bottom) / max;
        HtmlReport.openSvg(sb, h, 10);
        for (RunMetrics.Window w : windows) {
            double x0 = LEFT + w.start() / 1e9 * sx, x1 = LEFT + w.stop() / 1e9 * sx;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>", x0,
                    top, Math.max(1, x1 - x0), h - top - bottom, FAULT, esc(w.name())));
        }
        sb.append("<text x=\"").append(LEFT).append("\" y=\"12\" font-weight=\"bold\">").append(esc(title))
                .append("</text>");
        int ci = 0;
        int lx = LEFT + 300;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String color = colors[ci++ % colors.length];
            sb.append("<text x=\"").append(lx).append("\" y=\"12\" fill=\"").append(color).append("\">")
                    .append(esc(e.getKey())).append("</text>");
            lx += 70;
            StringBuilder pts = new StringBuilder();
            double[] s = e.getValue();
            for (int i = 0; i < s.length; i++) {
                if (Double.isNaN(s[i])) {
                    continue;
                }
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (i + 0.5) * sx, h - bottom - s[i] * sy));
            }
            sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts).append("\"/>");
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT,
                h - bottom, W - 10, h - bottom));
        sb.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\">%.0f</text><text x=\"2\" y=\"%d\">0</text>",
                top + 8, max, h - bottom));
        for (int i = 0; i < n; i += Math.max(1, n / 15)) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%ds</text>", LEFT + i * sx, h - 5, i));
        }
        sb.append("</svg>");
    }
}
