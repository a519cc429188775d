package io.rns.chaos.report;

import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.KeyResult;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    static final String OK = "#4caf50", OK_WRITE = "#4db6ac", FAIL = "#e53935", INFO = "#ffa000",
            FAULT = "rgba(229,57,53,0.12)";

    private HtmlReport() {
    }

    public static String render(String title, Map<String, String> info, History history, CheckResult check,
            RunMetrics m) {
        return render(title, info, history, check, m, "");
    }

    /** @param extraHtml a workload's own section, placed after the throughput and latency charts */
    public static String render(String title, Map<String, String> info, History history, CheckResult check,
            RunMetrics m, String extraHtml) {
        List<RunMetrics.Window> windows = RunMetrics.faultWindows(history);
        long fh = RunMetrics.finalHealTime(history);
        List<Operation> all = history.pair().operations();
        List<Operation> workload = all.stream().filter(o -> o.call() < fh).toList();
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>")
                .append("body{font-family:sans-serif;font-size:13px;margin:16px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}h2{margin-top:28px}")
                .append(".INVALID{color:#c62828;font-weight:bold}.VALID{color:#2e7d32;font-weight:bold}.UNKNOWN{color:#ef6c00;font-weight:bold}")
                .append("pre{background:#f6f6f6;padding:6px;overflow-x:auto;font-size:11px}svg{display:block;margin:4px 0}")
                .append("</style></head><body>");
        sb.append("<h1>").append(esc(title)).append("</h1><table>");
        info.forEach((k, v) -> row(sb, k, v));
        if (check != null) { // the register workload's checks; a liveness run has its own rows in info
            String verdict = check.verdict().name();
            sb.append("<tr><th>verdict</th><td class=\"").append(verdict).append("\">").append(verdict)
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
        sb.append("<p>Legend: <span style=\"color:").append(OK).append("\">&#9632; OK read</span> <span style=\"color:")
                .append(OK_WRITE)
                .append("\">&#9632; OK write (register/unregister/heartbeat)</span> <span style=\"color:").append(FAIL)
                .append("\">&#9632; FAIL</span> <span style=\"color:").append(INFO)
                .append("\">&#9632; INFO (indeterminate; drawn to the end)</span> <span style=\"background:")
                .append(FAULT)
                .append("\">&nbsp;fault window&nbsp;</span>. Read labels: brokers seen, <code>cb-W-N.chaos:10911</code> shortened to <code>W-N</code> (liveness: <code>live-N.live:10911</code> to <code>live-N</code>); writes: +W-N register, -W-N unregister.</p>");

        sb.append(
                "<h2>Fault windows</h2><table><tr><th>start s</th><th>stop s</th><th>nemesis</th><th>detail</th></tr>");
        for (RunMetrics.Window w : windows) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%.2f</td><td>%.2f</td><td>%s</td><td>%s</td></tr>",
                    w.start() / 1e9, w.stop() / 1e9, esc(w.name()), esc(w.detail() == null ? "" : w.detail())));
        }
        sb.append("</table>");

        sb.append("<h2>Throughput and latency (1 s buckets, workload only)</h2>");
        ChartSvg.charts(sb, workload, windows);
        sb.append(extraHtml);

        if (check != null) {
            List<KeyResult> invalid = invalidByTime(check);
            if (!invalid.isEmpty()) {
                sb.append("<h2>First anomalies (").append(invalid.size()).append(" invalid keys; the earliest ")
                        .append(Math.min(MAX_WITNESSES, invalid.size())).append(" shown)</h2>");
                Map<String, List<Operation>> keyOps = History.byKey(workload);
                for (int i = 0; i < Math.min(MAX_WITNESSES, invalid.size()); i++) {
                    TimelineSvg.witness(sb, invalid.get(i), windows,
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
        sb.append("<h2>Per-key timelines (").append(Math.min(MAX_KEYS, keys.size())).append(" of ").append(keys.size())
                .append(" keys, invalid first, at most ").append(MAX_OPS_PER_KEY).append(" ops each)</h2>");
        for (int i = 0; i < Math.min(MAX_KEYS, keys.size()); i++) {
            String k = keys.get(i);
            KeyResult kr = check == null ? null : check.keys().get(k);
            List<Operation> ops = byKey.get(k);
            long focus = kr != null && kr.witness() != null ? kr.witness().failedOp().call() : -1;
            List<Operation> drawn = cap(ops, focus);
            String v = kr == null ? "" : kr.verdict().name();
            sb.append("<h3>").append(esc(k)).append(" <span class=\"").append(v).append("\">").append(v)
                    .append("</span> <small>").append(ops.size()).append(" ops")
                    .append(drawn.size() < ops.size() ? ", " + drawn.size() + " drawn" : "").append("</small></h3>");
            TimelineSvg.timeline(sb, drawn, windows, focus >= 0 ? kr.witness().failedOp().source() : null);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /** INVALID keys, earliest anomaly (the failed op's invocation) first. */
    static List<KeyResult> invalidByTime(CheckResult check) {
        List<KeyResult> l = new ArrayList<>(check.withVerdict(Verdict.INVALID));
        l.sort(Comparator.comparingLong(k -> k.witness() == null ? Long.MAX_VALUE : k.witness().failedOp().call()));
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

    /** Opens an inline SVG as wide as the report, {@code height} pixels high, with the given font size. */
    static void openSvg(StringBuilder sb, int height, int fontSize) {
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(height)
                .append("\" font-size=\"").append(fontSize).append("\">");
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
