package io.rns.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-written SVG charts: a line chart (log-2 x axis, e.g. clients) and grouped bars (e.g. latency quantiles). */
public final class Svg {
    private Svg() {
    }

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};

    /** series name -> (x -> y); x plotted on a log2 scale. */
    public static void lineChart(Path file, String title, String xLabel, String yLabel,
            Map<String, Map<Integer, Double>> series) {
        int w = 900, h = 520, left = 80, right = 260, top = 40, bottom = 60;
        int pw = w - left - right, ph = h - top - bottom;
        double maxY = 0;
        int minX = Integer.MAX_VALUE, maxX = Integer.MIN_VALUE;
        for (Map<Integer, Double> s : series.values()) {
            for (Map.Entry<Integer, Double> e : s.entrySet()) {
                if (e.getValue() != null && !e.getValue().isNaN())
                    maxY = Math.max(maxY, e.getValue());
                minX = Math.min(minX, e.getKey());
                maxX = Math.max(maxX, e.getKey());
            }
        }
        if (maxY <= 0)
            maxY = 1;
        maxY = niceCeil(maxY);
        double lx0 = log2(Math.max(1, minX)), lx1 = Math.max(lx0 + 1, log2(Math.max(1, maxX)));
        StringBuilder b = header(w, h, title);
        axes(b, left, top, pw, ph, maxY, xLabel, yLabel);
        if (minX != Integer.MAX_VALUE) {
            for (int x = minX; x <= maxX; x *= 2) {
                double px = left + (log2(x) - lx0) / (lx1 - lx0) * pw;
                b.append(String.format("<text x='%.1f' y='%d' text-anchor='middle' font-size='12'>%d</text>%n", px,
                        top + ph + 18, x));
                if (x == 0)
                    break;
            }
        }
        int i = 0;
        for (Map.Entry<String, Map<Integer, Double>> s : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (Map.Entry<Integer, Double> e : new TreeMap<>(s.getValue()).entrySet()) {
                if (e.getValue() == null || e.getValue().isNaN())
                    continue;
                double px = left + (log2(Math.max(1, e.getKey())) - lx0) / (lx1 - lx0) * pw;
                double py = top + ph - e.getValue() / maxY * ph;
                pts.append(String.format("%.1f,%.1f ", px, py));
                b.append(String.format("<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>%n", px, py, color));
            }
            b.append(String.format("<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", color,
                    pts.toString().trim()));
            legend(b, w - right + 15, top + 10 + i * 18, color, s.getKey());
            i++;
        }
        write(file, b.append("</svg>\n").toString());
    }

    /** group label -> (bar name -> value), e.g. target -> {p50, p99, p99.9}. */
    public static void groupedBars(Path file, String title, String yLabel, Map<String, Map<String, Double>> groups) {
        int w = Math.max(900, 120 + groups.size() * 70), h = 560, left = 80, right = 160, top = 40, bottom = 160;
        int pw = w - left - right, ph = h - top - bottom;
        double maxY = 0;
        LinkedHashMap<String, Integer> barNames = new LinkedHashMap<>();
        for (Map<String, Double> g : groups.values()) {
            for (Map.Entry<String, Double> e : g.entrySet()) {
                if (e.getValue() != null && !e.getValue().isNaN())
                    maxY = Math.max(maxY, e.getValue());
                barNames.putIfAbsent(e.getKey(), barNames.size());
            }
        }
        if (maxY <= 0)
            maxY = 1;
        maxY = niceCeil(maxY);
        StringBuilder b = header(w, h, title);
        axes(b, left, top, pw, ph, maxY, "", yLabel);
        double gw = (double) pw / Math.max(1, groups.size());
        double bw = gw * 0.8 / Math.max(1, barNames.size());
        int gi = 0;
        for (Map.Entry<String, Map<String, Double>> g : groups.entrySet()) {
            double gx = left + gi * gw + gw * 0.1;
            for (Map.Entry<String, Double> e : g.getValue().entrySet()) {
                if (e.getValue() == null || e.getValue().isNaN())
                    continue;
                int bi = barNames.get(e.getKey());
                double bh = e.getValue() / maxY * ph;
                b.append(String.format("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n", gx + bi * bw,
                        top + ph - bh, bw * 0.95, bh, COLORS[bi % COLORS.length]));
            }
            double cx = left + gi * gw + gw / 2;
            b.append(String.format("<text x='%.1f' y='%d' font-size='11' transform='rotate(45 %.1f %d)'>%s</text>%n",
                    cx, top + ph + 14, cx, top + ph + 14, esc(g.getKey())));
            gi++;
        }
        int li = 0;
        for (String n : barNames.keySet()) {
            legend(b, w - right + 15, top + 10 + li * 18, COLORS[li % COLORS.length], n);
            li++;
        }
        write(file, b.append("</svg>\n").toString());
    }

    private static StringBuilder header(int w, int h, String title) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>%n", w, h));
        b.append(String.format("<rect width='%d' height='%d' fill='white'/>%n", w, h));
        b.append(String.format("<text x='%d' y='24' text-anchor='middle' font-size='16'>%s</text>%n", w / 2,
                esc(title)));
        return b;
    }

    private static void axes(StringBuilder b, int left, int top, int pw, int ph, double maxY, String xLabel,
            String yLabel) {
        b.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", left, top + ph, left + pw,
                top + ph));
        b.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", left, top, left, top + ph));
        for (int k = 0; k <= 5; k++) {
            double v = maxY * k / 5;
            double py = top + ph - (double) ph * k / 5;
            b.append(String.format("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", left, py, left + pw,
                    py));
            b.append(String.format("<text x='%d' y='%.1f' text-anchor='end' font-size='12'>%s</text>%n", left - 6,
                    py + 4, fmt(v)));
        }
        b.append(String.format("<text x='%d' y='%d' text-anchor='middle' font-size='13'>%s</text>%n", left + pw / 2,
                top + ph + 40, esc(xLabel)));
        b.append(String.format(
                "<text x='18' y='%d' text-anchor='middle' font-size='13' transform='rotate(-90 18 %d)'>%s</text>%n",
                top + ph / 2, top + ph / 2, esc(yLabel)));
    }

    private static void legend(StringBuilder b, int x, int y, String color, String name) {
        b.append(String.format("<rect x='%d' y='%d' width='12' height='12' fill='%s'/>%n", x, y - 10, color));
        b.append(String.format("<text x='%d' y='%d' font-size='12'>%s</text>%n", x + 18, y, esc(name)));
    }

    private static String fmt(double v) {
        if (v >= 1000)
            return String.format("%,.0f", v);
        if (v >= 10)
            return String.format("%.0f", v);
        return String.format("%.2f", v);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : List.of(1.0, 2.0, 2.5, 5.0, 10.0))
            if (m * p >= v)
                return m * p;
        return 10 * p;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    private static void write(Path f, String s) {
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
