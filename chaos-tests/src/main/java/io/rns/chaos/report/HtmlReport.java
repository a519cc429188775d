package io.rns.chaos.report;

import io.rns.chaos.checker.CheckOp;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.KeyResult;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.checker.Witness;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Operation;
import io.rns.chaos.history.SetValue;
import io.rns.chaos.workload.LivenessAnalysis;
import io.rns.chaos.workload.NodePoller;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained {@code report.html} for one run: inline CSS and SVG only (no scripts, no external resources).
 * Per-key timelines (a lane per process, ops as bars from invocation to completion coloured OK / FAIL / INFO, reads
 * labelled with the brokers they saw) over shaded fault windows; throughput and p50/p99 latency per 1 s bucket; and
 * for every INVALID key (up to {@link #MAX_WITNESSES}) the checker's witness drawn as its concurrent window.
 */
public final class HtmlReport {
    public static final int MAX_KEYS = 12;
    public static final int MAX_OPS_PER_KEY = 300;
    public static final int MAX_WITNESSES = 3;
    static final int W = 1100;
    static final int LEFT = 70;
    static final String OK = "#4caf50",
            OK_WRITE = "#4db6ac",
            FAIL = "#e53935",
            INFO = "#ffa000",
            FAULT = "rgba(229,57,53,0.12)";

    private HtmlReport() {}

    public static String render(
            String title, Map<String, String> info, History history, CheckResult check, RunMetrics m) {
        return render(title, info, history, check, m, "");
    }

    /** @param extraHtml a workload's own section, placed after the throughput and latency charts */
    public static String render(
            String title,
            Map<String, String> info,
            History history,
            CheckResult check,
            RunMetrics m,
            String extraHtml) {
        List<RunMetrics.Window> windows = RunMetrics.faultWindows(history);
        long fh = RunMetrics.finalHealTime(history);
        List<Operation> all = history.pair().operations();
        List<Operation> workload = all.stream().filter(o -> o.call() < fh).toList();
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(
                        "body{font-family:sans-serif;font-size:13px;margin:16px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}h2{margin-top:28px}")
                .append(
                        ".INVALID{color:#c62828;font-weight:bold}.VALID{color:#2e7d32;font-weight:bold}.UNKNOWN{color:#ef6c00;font-weight:bold}")
                .append(
                        "pre{background:#f6f6f6;padding:6px;overflow-x:auto;font-size:11px}svg{display:block;margin:4px 0}")
                .append("</style></head><body>");
        sb.append("<h1>").append(esc(title)).append("</h1><table>");
        info.forEach((k, v) -> row(sb, k, v));
        if (check != null) { // the register workload's checks; a liveness run has its own rows in info
            String verdict = check.verdict().name();
            sb.append("<tr><th>verdict</th><td class=\"")
                    .append(verdict)
                    .append("\">")
                    .append(verdict)
                    .append("</td></tr>");
            row(sb, "keys (invalid / unknown)", m.keys() + " (" + m.invalidKeys() + " / " + m.unknownKeys() + ")");
        }
        row(sb, "ops / indeterminate", m.ops() + " / " + m.indeterminate());
        if (check != null) {
            row(sb, "stale reads (server index, LINEARIZABLE/LEASE)", m.staleIndexRate());
            row(sb, "reads that missed an acknowledged write", m.missedAckedRate());
        }
        row(sb, "read availability fault / quiet", m.readAvailFault() + " / " + m.readAvailQuiet());
        row(sb, "write availability fault / quiet", m.writeAvailFault() + " / " + m.writeAvailQuiet());
        if (check != null) {
            row(sb, "final divergence between nodes", m.divergence());
        }
        row(sb, "fault windows", m.faultWindows() + String.format(Locale.ROOT, " (%.1f s)", m.faultSeconds()));
        sb.append("</table>");
        sb.append("<p>Legend: <span style=\"color:")
                .append(OK)
                .append("\">&#9632; OK read</span> <span style=\"color:")
                .append(OK_WRITE)
                .append("\">&#9632; OK write (register/unregister/heartbeat)</span> <span style=\"color:")
                .append(FAIL)
                .append("\">&#9632; FAIL</span> <span style=\"color:")
                .append(INFO)
                .append("\">&#9632; INFO (indeterminate; drawn to the end)</span> <span style=\"background:")
                .append(FAULT)
                .append(
                        "\">&nbsp;fault window&nbsp;</span>. Read labels: brokers seen, <code>cb-W-N.chaos:10911</code> shortened to <code>W-N</code> (liveness: <code>live-N.live:10911</code> to <code>live-N</code>); writes: +W-N register, -W-N unregister.</p>");

        sb.append(
                "<h2>Fault windows</h2><table><tr><th>start s</th><th>stop s</th><th>nemesis</th><th>detail</th></tr>");
        for (RunMetrics.Window w : windows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%.2f</td><td>%.2f</td><td>%s</td><td>%s</td></tr>",
                    w.start() / 1e9,
                    w.stop() / 1e9,
                    esc(w.name()),
                    esc(w.detail() == null ? "" : w.detail())));
        }
        sb.append("</table>");

        sb.append("<h2>Throughput and latency (1 s buckets, workload only)</h2>");
        charts(sb, workload, windows);
        sb.append(extraHtml);

        if (check != null) {
            List<KeyResult> invalid = invalidByTime(check);
            if (!invalid.isEmpty()) {
                sb.append("<h2>First anomalies (")
                        .append(invalid.size())
                        .append(" invalid keys; the earliest ")
                        .append(Math.min(MAX_WITNESSES, invalid.size()))
                        .append(" shown)</h2>");
                Map<String, List<Operation>> keyOps = History.byKey(workload);
                for (int i = 0; i < Math.min(MAX_WITNESSES, invalid.size()); i++) {
                    witness(
                            sb,
                            invalid.get(i),
                            windows,
                            keyOps.getOrDefault(invalid.get(i).key(), List.of()));
                }
            }
            for (KeyResult k : check.withVerdict(Verdict.UNKNOWN)) {
                sb.append("<p class=\"UNKNOWN\">").append(esc(k.toString())).append("</p>");
            }
        }

        Map<String, List<Operation>> byKey = History.byKey(workload);
        List<String> keys = new ArrayList<>();
        if (check != null) {
            invalidByTime(check).forEach(k -> keys.add(k.key()));
            check.withVerdict(Verdict.UNKNOWN).forEach(k -> keys.add(k.key()));
        }
        for (String k : byKey.keySet()) {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        keys.removeIf(k -> !byKey.containsKey(k));
        sb.append("<h2>Per-key timelines (")
                .append(Math.min(MAX_KEYS, keys.size()))
                .append(" of ")
                .append(keys.size())
                .append(" keys, invalid first, at most ")
                .append(MAX_OPS_PER_KEY)
                .append(" ops each)</h2>");
        for (int i = 0; i < Math.min(MAX_KEYS, keys.size()); i++) {
            String k = keys.get(i);
            KeyResult kr = check == null ? null : check.keys().get(k);
            List<Operation> ops = byKey.get(k);
            long focus =
                    kr != null && kr.witness() != null ? kr.witness().failedOp().call() : -1;
            List<Operation> drawn = cap(ops, focus);
            String v = kr == null ? "" : kr.verdict().name();
            sb.append("<h3>")
                    .append(esc(k))
                    .append(" <span class=\"")
                    .append(v)
                    .append("\">")
                    .append(v)
                    .append("</span> <small>")
                    .append(ops.size())
                    .append(" ops")
                    .append(drawn.size() < ops.size() ? ", " + drawn.size() + " drawn" : "")
                    .append("</small></h3>");
            timeline(sb, drawn, windows, focus >= 0 ? kr.witness().failedOp().source() : null);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /** INVALID keys, earliest anomaly (the failed op's invocation) first. */
    static List<KeyResult> invalidByTime(CheckResult check) {
        List<KeyResult> l = new ArrayList<>(check.withVerdict(Verdict.INVALID));
        l.sort(Comparator.comparingLong(k ->
                k.witness() == null ? Long.MAX_VALUE : k.witness().failedOp().call()));
        return l;
    }

    /** At most MAX_OPS_PER_KEY ops, centred on {@code focus} (a call time) when given. */
    static List<Operation> cap(List<Operation> ops, long focus) {
        if (ops.size() <= MAX_OPS_PER_KEY) {
            return ops;
        }
        List<Operation> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Operation::call));
        int from = 0;
        if (focus >= 0) {
            int idx = 0;
            while (idx < sorted.size() && sorted.get(idx).call() < focus) {
                idx++;
            }
            from = Math.max(0, Math.min(sorted.size() - MAX_OPS_PER_KEY, idx - MAX_OPS_PER_KEY / 2));
        }
        return sorted.subList(from, from + MAX_OPS_PER_KEY);
    }

    static void witness(StringBuilder sb, KeyResult k, List<RunMetrics.Window> windows, List<Operation> keyOps) {
        Witness w = k.witness();
        if (w == null) {
            return;
        }
        sb.append("<h3>")
                .append(esc(k.key()))
                .append(": cannot linearize</h3><pre>")
                .append(esc(w.failedOp().toString()))
                .append("</pre><p>Model state after the longest linearizable prefix (")
                .append(w.linearizedPrefix().size())
                .append(" ops): <code>")
                .append(esc(w.stateAfterPrefix()))
                .append("</code></p>");
        List<Operation> window = new ArrayList<>();
        window.add(w.failedOp().source());
        for (CheckOp c : w.concurrent()) {
            if (c.source() != null) {
                window.add(c.source());
            }
        }
        window.removeIf(java.util.Objects::isNull);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Operation o : window) {
            lo = Math.min(lo, o.call());
            hi = Math.max(hi, o.ret() == Operation.INFINITY ? o.call() : o.ret());
        }
        List<Operation> failed = new ArrayList<>();
        for (Operation o : keyOps) {
            if (o.status() == io.rns.chaos.history.Op.Type.FAIL && o.call() <= hi && o.ret() >= lo) {
                failed.add(o);
            }
        }
        window.addAll(failed);
        sb.append("<p>The failed op (outlined) and the ")
                .append(w.concurrent().size())
                .append(" ops concurrent with it, plus ")
                .append(failed.size())
                .append(" FAIL ops of this key in that window (red; the checker treats a FAIL as having had no effect,"
                        + " so a FAIL that did take effect shows up exactly like this):</p>");
        StringBuilder fl = new StringBuilder();
        failed.forEach(o -> fl.append(esc(o.toString()))
                .append(
                        o.completion() != null && o.completion().error() != null
                                ? " err=" + esc(o.completion().error())
                                : "")
                .append('\n'));
        if (!failed.isEmpty()) {
            sb.append("<pre>").append(fl).append("</pre>");
        }
        timeline(sb, window, windows, w.failedOp().source());
        int from = Math.max(0, w.linearizedPrefix().size() - 10);
        sb.append("<details><summary>last ")
                .append(w.linearizedPrefix().size() - from)
                .append(" ops of the linearized prefix</summary><pre>");
        for (int i = from; i < w.linearizedPrefix().size(); i++) {
            sb.append(i + 1)
                    .append(". ")
                    .append(esc(w.linearizedPrefix().get(i).toString()))
                    .append('\n');
        }
        sb.append("</pre></details>");
    }

    static void timeline(StringBuilder sb, List<Operation> ops, List<RunMetrics.Window> windows, Operation highlight) {
        if (ops.isEmpty()) {
            return;
        }
        long t0 = Long.MAX_VALUE, t1 = Long.MIN_VALUE;
        for (Operation o : ops) {
            t0 = Math.min(t0, o.call());
            t1 = Math.max(t1, o.call());
            if (o.ret() != Operation.INFINITY) {
                t1 = Math.max(t1, o.ret());
            }
        }
        if (t1 <= t0) {
            t1 = t0 + 1_000_000;
        }
        long span = t1 - t0;
        t1 += span / 50; // room for indeterminate ops' tails
        TreeMap<Integer, Integer> lanes = new TreeMap<>();
        ops.forEach(o -> lanes.putIfAbsent(o.process(), 0));
        int li = 0;
        for (Map.Entry<Integer, Integer> e : lanes.entrySet()) {
            e.setValue(li++);
        }
        int lh = 16;
        int h = 20 + lanes.size() * lh;
        double sx = (W - LEFT - 10) / (double) (t1 - t0);
        final long base = t0, end = t1;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(h)
                .append("\" font-size=\"9\">");
        for (RunMetrics.Window w : windows) {
            if (w.stop() < base || w.start() > end) {
                continue;
            }
            double x0 = LEFT + Math.max(0, w.start() - base) * sx, x1 = LEFT + (Math.min(end, w.stop()) - base) * sx;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    x0,
                    Math.max(1, x1 - x0),
                    h,
                    FAULT,
                    esc(w.name() + " " + (w.detail() == null ? "" : w.detail()))));
        }
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"10\">%.3f s</text><text x=\"%d\" y=\"10\" text-anchor=\"end\">%.3f s</text>",
                LEFT,
                base / 1e9,
                W - 10,
                end / 1e9));
        Map<Integer, String> laneNames = laneNames(ops);
        lanes.forEach((p, l) -> sb.append("<text x=\"2\" y=\"")
                .append(20 + l * lh + 11)
                .append("\">")
                .append(esc(laneNames.getOrDefault(p, "p" + p)))
                .append("</text>"));
        for (Operation o : ops) {
            int y = 20 + lanes.get(o.process()) * lh;
            long r = o.ret() == Operation.INFINITY ? end : o.ret();
            double x = LEFT + (o.call() - base) * sx;
            double wpx = Math.max(2, (r - o.call()) * sx);
            String color = switch (o.status()) {
                case OK -> o.f().equals("read") ? OK : OK_WRITE;
                case FAIL -> FAIL;
                default -> INFO;
            };
            boolean hl = o == highlight || (highlight != null && o.invoke().equals(highlight.invoke()));
            String label = label(o);
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s%s><title>%s</title></rect>",
                    x,
                    y + 1,
                    wpx,
                    lh - 3,
                    color,
                    o.isIndeterminate() ? " fill-opacity=\"0.5\"" : "",
                    hl ? " stroke=\"#000\" stroke-width=\"2\"" : "",
                    esc(o.toString())));
            if (wpx > 6 * label.length() * 0.9 && !label.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + 11, esc(label)));
            }
        }
        sb.append("</svg>");
    }

    /**
     * "p7 n2 LIN": the process, plus the node (server-reported id) and level when every OK op of the lane was served
     * by the same node at the same level (the all-node poller's lanes, a pinned reader); else just "p7".
     */
    static Map<Integer, String> laneNames(List<Operation> ops) {
        Map<Integer, java.util.Set<String>> nodes = new java.util.HashMap<>();
        Map<Integer, java.util.Set<String>> levels = new java.util.HashMap<>();
        for (Operation o : ops) {
            var meta = o.meta();
            if (meta != null && meta.nodeId() != null) {
                nodes.computeIfAbsent(o.process(), k -> new java.util.HashSet<>())
                        .add(meta.nodeId());
            }
            if (meta != null && meta.served() != null) {
                levels.computeIfAbsent(o.process(), k -> new java.util.HashSet<>())
                        .add(meta.served());
            }
        }
        Map<Integer, String> out = new java.util.HashMap<>();
        for (Operation o : ops) {
            java.util.Set<String> n = nodes.getOrDefault(o.process(), java.util.Set.of());
            java.util.Set<String> l = levels.getOrDefault(o.process(), java.util.Set.of());
            String name = "p" + o.process();
            if (n.size() == 1) {
                name += " " + n.iterator().next();
            }
            if (l.size() == 1) {
                String lv = l.iterator().next();
                name += " " + (lv.length() > 3 ? lv.substring(0, 3) : lv);
            }
            out.put(o.process(), name);
        }
        return out;
    }

    static String shortBroker(String addr) {
        String s = addr;
        if (s.startsWith("cb-")) {
            s = s.substring(3);
        }
        int dot = s.indexOf(".chaos");
        if (dot < 0) {
            dot = s.indexOf(".live:"); // the liveness workload's brokers: live-N / dying-N
        }
        return dot > 0 ? s.substring(0, dot) : s;
    }

    static String label(Operation o) {
        if (o.f().equals("read")) {
            if (!o.isOk()) {
                return "r?";
            }
            List<String> b = SetValue.decode(o.output()).stream()
                    .map(HtmlReport::shortBroker)
                    .toList();
            return "{" + String.join(",", b) + "}";
        }
        String in = o.input() == null ? "" : shortBroker(o.input());
        return switch (o.f()) {
            case "register" -> "+" + in;
            case "unregister" -> "-" + in;
            default -> o.f() + " " + in;
        };
    }

    static void charts(StringBuilder sb, List<Operation> ops, List<RunMetrics.Window> windows) {
        if (ops.isEmpty()) {
            sb.append("<p>no operations</p>");
            return;
        }
        long t0 = 0;
        long t1 = ops.stream()
                .mapToLong(o -> o.ret() == Operation.INFINITY ? o.call() : o.ret())
                .max()
                .orElse(1);
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
        chart(sb, "throughput (completions per second)", tp, new String[] {OK, FAIL, INFO}, windows, n);
        Map<String, double[]> lt = new LinkedHashMap<>();
        lt.put("p50 ms", p50);
        lt.put("p99 ms", p99);
        chart(sb, "latency of OK ops (ms)", lt, new String[] {"#1e88e5", "#8e24aa"}, windows, n);
    }

    static double[] toD(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static void chart(
            StringBuilder sb,
            String title,
            Map<String, double[]> series,
            String[] colors,
            List<RunMetrics.Window> windows,
            int n) {
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
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(h)
                .append("\" font-size=\"10\">");
        for (RunMetrics.Window w : windows) {
            double x0 = LEFT + w.start() / 1e9 * sx, x1 = LEFT + w.stop() / 1e9 * sx;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    x0,
                    top,
                    Math.max(1, x1 - x0),
                    h - top - bottom,
                    FAULT,
                    esc(w.name())));
        }
        sb.append("<text x=\"")
                .append(LEFT)
                .append("\" y=\"12\" font-weight=\"bold\">")
                .append(esc(title))
                .append("</text>");
        int ci = 0;
        int lx = LEFT + 300;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String color = colors[ci++ % colors.length];
            sb.append("<text x=\"")
                    .append(lx)
                    .append("\" y=\"12\" fill=\"")
                    .append(color)
                    .append("\">")
                    .append(esc(e.getKey()))
                    .append("</text>");
            lx += 70;
            StringBuilder pts = new StringBuilder();
            double[] s = e.getValue();
            for (int i = 0; i < s.length; i++) {
                if (Double.isNaN(s[i])) {
                    continue;
                }
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (i + 0.5) * sx, h - bottom - s[i] * sy));
            }
            sb.append("<polyline fill=\"none\" stroke=\"")
                    .append(color)
                    .append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts)
                    .append("\"/>");
        }
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
                LEFT,
                h - bottom,
                W - 10,
                h - bottom));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"2\" y=\"%d\">%.0f</text><text x=\"2\" y=\"%d\">0</text>",
                top + 8,
                max,
                h - bottom));
        for (int i = 0; i < n; i += Math.max(1, n / 15)) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%ds</text>", LEFT + i * sx, h - 5, i));
        }
        sb.append("</svg>");
    }

    /**
     * The liveness workload's section: one lane per dead broker over the whole run (green: heartbeating; grey: dead
     * but still listed; black tick: detected; red tick: death + bound) over the shaded fault windows, the table of
     * dead brokers, and every expiry a broker saw (false ones first).
     */
    public static String liveness(LivenessAnalysis.Report l, History history, List<NodePoller.Sample> samples) {
        List<RunMetrics.Window> windows = RunMetrics.faultWindows(history);
        StringBuilder sb = new StringBuilder();
        sb.append("<h2>Liveness: dead brokers (")
                .append(l.deadBrokers())
                .append("), detection vs bound ")
                .append(String.format(Locale.ROOT, "%.1f s", l.boundMs() / 1000.0))
                .append("</h2>");
        sb.append("<p>Bound: ")
                .append(esc(l.boundFormula()))
                .append(". Detection: ")
                .append(
                        l.raft()
                                ? "first LINEARIZABLE poll without the broker"
                                : "every node's STALE answers lose it for good")
                .append(". Lane: <span style=\"color:")
                .append(OK)
                .append("\">&#9632; heartbeating</span> "
                        + "<span style=\"color:#9e9e9e\">&#9632; dead, still listed</span> &#9646; detected "
                        + "<span style=\"color:")
                .append(FAIL)
                .append("\">&#9646; death + bound</span>; last lane: "
                        + "<span style=\"color:#ff9800\">&#9632; windows in which the nodes' STALE answers differed</span>"
                        + " (divergence window).</p>");
        long end = 1;
        for (var o : history.ops()) {
            end = Math.max(end, o.time());
        }
        List<io.rns.chaos.workload.LivenessAnalysis.DeadBroker> dead = l.dead();
        int lh = 16;
        int h = 24 + (Math.max(1, dead.size()) + 1) * lh;
        double sx = (W - LEFT - 10) / (double) end;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(h)
                .append("\" font-size=\"10\">");
        for (RunMetrics.Window w : windows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    LEFT + w.start() * sx,
                    Math.max(1, (w.stop() - w.start()) * sx),
                    h,
                    FAULT,
                    esc(w.name() + " " + (w.detail() == null ? "" : w.detail()))));
        }
        for (int t = 0; t <= end / 1_000_000_000L; t += 5) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"10\">%ds</text>", LEFT + t * 1e9 * sx, t));
        }
        Map<String, Long> born = new LinkedHashMap<>();
        for (var o : history.ops()) {
            if (o.key() != null && o.key().startsWith("broker:")) {
                born.putIfAbsent(o.key().substring(7), o.time());
            }
        }
        int i = 0;
        for (var d : dead) {
            int y = 16 + i++ * lh;
            long death = (long) (d.deathS() * 1e9);
            long b0 = born.getOrDefault(d.name(), death);
            double x0 = LEFT + b0 * sx, xd = LEFT + death * sx;
            sb.append("<text x=\"2\" y=\"")
                    .append(y + 11)
                    .append("\">")
                    .append(esc(d.name()))
                    .append("</text>");
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s heartbeating</title></rect>",
                    x0,
                    y + 2,
                    Math.max(1, xd - x0),
                    lh - 4,
                    OK,
                    esc(d.name())));
            long detMs = l.raft() ? d.detectionMs() : d.everywhereMs();
            double xe = detMs < 0 ? LEFT + end * sx : xd + detMs * 1e6 * sx;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#9e9e9e\"><title>%s %s at %.2f s; detected after %s</title></rect>",
                    xd,
                    y + 2,
                    Math.max(1, xe - xd),
                    lh - 4,
                    esc(d.name()),
                    esc(d.death()),
                    d.deathS(),
                    detMs < 0 ? "never" : detMs + " ms"));
            if (detMs >= 0) {
                sb.append(String.format(
                        Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"#000\"/>", xe, y, lh));
            }
            double xb = xd + l.boundMs() * 1e6 * sx;
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"%s\"><title>death + bound</title></rect>",
                    xb,
                    y,
                    lh,
                    FAIL));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\">%s</text>",
                    Math.min(W - 60, xe + 4),
                    y + 11,
                    detMs < 0 ? "undetected" : String.format(Locale.ROOT, "%.2f s", detMs / 1000.0)));
        }
        int dy = 16 + i * lh;
        sb.append("<text x=\"2\" y=\"").append(dy + 11).append("\">STALE differ</text>");
        for (Divergence.Window w : Divergence.windows(samples, "STALE")) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#ff9800\"><title>nodes' STALE answers for %s differ %.2f-%.2f s%s</title></rect>",
                    LEFT + w.start() * sx,
                    dy + 2,
                    Math.max(2, (w.stop() - w.start()) * sx),
                    lh - 4,
                    esc(w.key()),
                    w.start() / 1e9,
                    w.stop() / 1e9,
                    w.openAtEnd() ? " (never closed)" : ""));
        }
        sb.append("</svg>");
        sb.append("<table><tr><th>broker</th><th>death</th><th>at s</th><th>detected after ms</th>"
                + "<th>last listed (LINEARIZABLE poll invoked) after ms</th><th>gone from every node after ms</th>"
                + "<th>per node (STALE)</th><th>leader changes</th><th>beyond bound</th><th>beyond per-leader bound</th>"
                + "<th>reappeared</th></tr>");
        for (var d : dead) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%s</td><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td%s>%s</td><td>%d</td></tr>",
                    esc(d.name()),
                    esc(d.death()),
                    d.deathS(),
                    d.detectionMs() < 0 ? "never" : d.detectionMs(),
                    d.lastPresentMs() < 0 ? "-" : d.lastPresentMs(),
                    d.everywhereMs() < 0 ? "never" : d.everywhereMs(),
                    esc(d.perNodeMs().toString()),
                    l.raft() ? Integer.toString(d.leaderChanges()) : "-",
                    d.beyondBound() ? " class=\"INVALID\"" : "",
                    d.beyondBound() ? "YES" : "no",
                    d.beyondLeaderBound() ? " class=\"INVALID\"" : "",
                    d.beyondLeaderBound() ? "YES" : "no",
                    d.reappeared()));
        }
        sb.append("</table>");
        sb.append("<h3>Expiries the brokers saw (")
                .append(l.expiries())
                .append("; false: ")
                .append(l.falseExpiries())
                .append(", threshold ")
                .append(l.falseExpiryThresholdMs())
                .append(" ms)</h3><pre>");
        l.falseExpiryDetails().forEach(x -> sb.append("FALSE  ").append(esc(x)).append('\n'));
        l.legitimateExpiryDetails()
                .forEach(x -> sb.append("after a gap  ").append(esc(x)).append('\n'));
        if (l.expiries() == 0) {
            sb.append("none\n");
        }
        sb.append("</pre>");
        return sb.toString();
    }

    static void row(StringBuilder sb, String k, String v) {
        sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
