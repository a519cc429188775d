package io.rns.chaos.report;

import io.rns.chaos.checker.CheckOp;
import io.rns.chaos.checker.KeyResult;
import io.rns.chaos.checker.Witness;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.Operation;
import io.rns.chaos.history.SetValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import static io.rns.chaos.report.HtmlReport.FAIL;
import static io.rns.chaos.report.HtmlReport.FAULT;
import static io.rns.chaos.report.HtmlReport.INFO;
import static io.rns.chaos.report.HtmlReport.LEFT;
import static io.rns.chaos.report.HtmlReport.OK;
import static io.rns.chaos.report.HtmlReport.OK_WRITE;
import static io.rns.chaos.report.HtmlReport.W;
import static io.rns.chaos.report.HtmlReport.esc;

/**
 * The timeline lanes of the report: a lane per process with ops as bars from invocation to completion over the
 * shaded fault windows, read labels, and a checker witness drawn as its concurrent window.
 */
final class TimelineSvg {
    private TimelineSvg() {
    }

    static void witness(StringBuilder sb, KeyResult k, List<RunMetrics.Window> windows, List<Operation> keyOps) {
        Witness w = k.witness();
        if (w == null) {
            return;
        }
        sb.append("<h3>").append(esc(k.key())).append(": cannot linearize</h3><pre>")
                .append(esc(w.failedOp().toString()))
                .append("</pre><p>Model state after the longest linearizable prefix (")
                .append(w.linearizedPrefix().size()).append(" ops): <code>").append(esc(w.stateAfterPrefix()))
                .append("</code></p>");
        List<Operation> window = new ArrayList<>();
        window.add(w.failedOp().source());
        for (CheckOp c : w.concurrent()) {
            if (c.source() != null) {
                window.add(c.source());
            }
        }
        window.removeIf(Objects::isNull);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Operation o : window) {
            lo = Math.min(lo, o.call());
            hi = Math.max(hi, o.ret() == Operation.INFINITY ? o.call() : o.ret());
        }
        List<Operation> failed = new ArrayList<>();
        for (Operation o : keyOps) {
            if (o.status() == Op.Type.FAIL && o.call() <= hi && o.ret() >= lo) {
                failed.add(o);
            }
        }
        window.addAll(failed);
        sb.append("<p>The failed op (outlined) and the ").append(w.concurrent().size())
                .append(" ops concurrent with it, plus ").append(failed.size())
                .append(" FAIL ops of this key in that window (red; the checker treats a FAIL as having had no effect,"
                        + " so a FAIL that did take effect shows up exactly like this):</p>");
        StringBuilder fl = new StringBuilder();
        failed.forEach(o -> fl.append(esc(o.toString())).append(
                o.completion() != null && o.completion().error() != null ? " err=" + esc(o.completion().error()) : "")
                .append('\n'));
        if (!failed.isEmpty()) {
            sb.append("<pre>").append(fl).append("</pre>");
        }
        timeline(sb, window, windows, w.failedOp().source());
        int from = Math.max(0, w.linearizedPrefix().size() - 10);
        sb.append("<details><summary>last ").append(w.linearizedPrefix().size() - from)
                .append(" ops of the linearized prefix</summary><pre>");
        for (int i = from; i < w.linearizedPrefix().size(); i++) {
            sb.append(i + 1).append(". ").append(esc(w.linearizedPrefix().get(i).toString())).append('\n');
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
        HtmlReport.openSvg(sb, h, 9);
        for (RunMetrics.Window w : windows) {
            if (w.stop() < base || w.start() > end) {
                continue;
            }
            double x0 = LEFT + Math.max(0, w.start() - base) * sx, x1 = LEFT + (Math.min(end, w.stop()) - base) * sx;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>", x0,
                    Math.max(1, x1 - x0), h, FAULT, esc(w.name() + " " + (w.detail() == null ? "" : w.detail()))));
        }
        sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"10\">%.3f s</text><text x=\"%d\" y=\"10\" text-anchor=\"end\">%.3f s</text>", LEFT,
                base / 1e9, W - 10, end / 1e9));
        Map<Integer, String> laneNames = laneNames(ops);
        lanes.forEach((p, l) -> sb.append("<text x=\"2\" y=\"").append(20 + l * lh + 11).append("\">")
                .append(esc(laneNames.getOrDefault(p, "p" + p))).append("</text>"));
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
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s%s><title>%s</title></rect>",
                    x, y + 1, wpx, lh - 3, color, o.isIndeterminate() ? " fill-opacity=\"0.5\"" : "",
                    hl ? " stroke=\"#000\" stroke-width=\"2\"" : "", esc(o.toString())));
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
        Map<Integer, Set<String>> nodes = new HashMap<>();
        Map<Integer, Set<String>> levels = new HashMap<>();
        for (Operation o : ops) {
            var meta = o.meta();
            if (meta != null && meta.nodeId() != null) {
                nodes.computeIfAbsent(o.process(), k -> new HashSet<>()).add(meta.nodeId());
            }
            if (meta != null && meta.served() != null) {
                levels.computeIfAbsent(o.process(), k -> new HashSet<>()).add(meta.served());
            }
        }
        Map<Integer, String> out = new HashMap<>();
        for (Operation o : ops) {
            Set<String> n = nodes.getOrDefault(o.process(), Set.of());
            Set<String> l = levels.getOrDefault(o.process(), Set.of());
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
            List<String> b = SetValue.decode(o.output()).stream().map(TimelineSvg::shortBroker).toList();
            return "{" + String.join(",", b) + "}";
        }
        String in = o.input() == null ? "" : shortBroker(o.input());
        return switch (o.f()) {
            case "register" -> "+" + in;
            case "unregister" -> "-" + in;
            default -> o.f() + " " + in;
        };
    }
}
