package io.rns.chaos.report;

import io.rns.chaos.history.History;
import io.rns.chaos.workload.LivenessAnalysis;
import io.rns.chaos.workload.NodePoller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.rns.chaos.report.HtmlReport.FAIL;
import static io.rns.chaos.report.HtmlReport.FAULT;
import static io.rns.chaos.report.HtmlReport.LEFT;
import static io.rns.chaos.report.HtmlReport.OK;
import static io.rns.chaos.report.HtmlReport.W;
import static io.rns.chaos.report.HtmlReport.esc;

/**
 * The liveness workload's section of the report: a lane per dead broker (heartbeating, dead but listed, detected,
 * death + bound) over the fault windows, the divergence lane, and the tables of dead brokers and expiries.
 */
public final class LivenessSection {
    private LivenessSection() {
    }

    /**
     * The liveness workload's section: one lane per dead broker over the whole run (green: heartbeating; grey: dead
     * but still listed; black tick: detected; red tick: death + bound) over the shaded fault windows, the table of
     * dead brokers, and every expiry a broker saw (false ones first).
     */
    public static String render(LivenessAnalysis.Report l, History history, List<NodePoller.Sample> samples) {
        List<RunMetrics.Window> windows = RunMetrics.faultWindows(history);
        StringBuilder sb = new StringBuilder();
        sb.append("<h2>Liveness: dead brokers (").append(l.deadBrokers()).append("), detection vs bound ")
                .append(String.format(Locale.ROOT, "%.1f s", l.boundMs() / 1000.0)).append("</h2>");
        sb.append("<p>Bound: ").append(esc(l.boundFormula())).append(". Detection: ")
                .append(l.raft() ? "first LINEARIZABLE poll without the broker"
                        : "every node's STALE answers lose it for good")
                .append(". Lane: <span style=\"color:").append(OK)
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
        List<LivenessAnalysis.DeadBroker> dead = l.dead();
        int lh = 16;
        int h = 24 + (Math.max(1, dead.size()) + 1) * lh;
        double sx = (W - LEFT - 10) / (double) end;
        HtmlReport.openSvg(sb, h, 10);
        for (RunMetrics.Window w : windows) {
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                    LEFT + w.start() * sx, Math.max(1, (w.stop() - w.start()) * sx), h, FAULT,
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
            sb.append("<text x=\"2\" y=\"").append(y + 11).append("\">").append(esc(d.name())).append("</text>");
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s heartbeating</title></rect>",
                    x0, y + 2, Math.max(1, xd - x0), lh - 4, OK, esc(d.name())));
            long detMs = l.raft() ? d.detectionMs() : d.everywhereMs();
            double xe = detMs < 0 ? LEFT + end * sx : xd + detMs * 1e6 * sx;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#9e9e9e\"><title>%s %s at %.2f s; detected after %s</title></rect>",
                    xd, y + 2, Math.max(1, xe - xd), lh - 4, esc(d.name()), esc(d.death()), d.deathS(),
                    detMs < 0 ? "never" : detMs + " ms"));
            if (detMs >= 0) {
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"#000\"/>", xe, y, lh));
            }
            double xb = xd + l.boundMs() * 1e6 * sx;
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"%s\"><title>death + bound</title></rect>",
                    xb, y, lh, FAIL));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", Math.min(W - 60, xe + 4),
                    y + 11, detMs < 0 ? "undetected" : String.format(Locale.ROOT, "%.2f s", detMs / 1000.0)));
        }
        int dy = 16 + i * lh;
        sb.append("<text x=\"2\" y=\"").append(dy + 11).append("\">STALE differ</text>");
        for (Divergence.Window w : Divergence.windows(samples, "STALE")) {
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#ff9800\"><title>nodes' STALE answers for %s differ %.2f-%.2f s%s</title></rect>",
                    LEFT + w.start() * sx, dy + 2, Math.max(2, (w.stop() - w.start()) * sx), lh - 4, esc(w.key()),
                    w.start() / 1e9, w.stop() / 1e9, w.openAtEnd() ? " (never closed)" : ""));
        }
        sb.append("</svg>");
        sb.append("<table><tr><th>broker</th><th>death</th><th>at s</th><th>detected after ms</th>"
                + "<th>last listed (LINEARIZABLE poll invoked) after ms</th><th>gone from every node after ms</th>"
                + "<th>per node (STALE)</th><th>leader changes</th><th>beyond bound</th><th>beyond per-leader bound</th>"
                + "<th>reappeared</th></tr>");
        for (var d : dead) {
            sb.append(String.format(Locale.ROOT,
                    "<tr><td>%s</td><td>%s</td><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td%s>%s</td><td>%d</td></tr>",
                    esc(d.name()), esc(d.death()), d.deathS(), d.detectionMs() < 0 ? "never" : d.detectionMs(),
                    d.lastPresentMs() < 0 ? "-" : d.lastPresentMs(), d.everywhereMs() < 0 ? "never" : d.everywhereMs(),
                    esc(d.perNodeMs().toString()), l.raft() ? Integer.toString(d.leaderChanges()) : "-",
                    d.beyondBound() ? " class=\"INVALID\"" : "", d.beyondBound() ? "YES" : "no",
                    d.beyondLeaderBound() ? " class=\"INVALID\"" : "", d.beyondLeaderBound() ? "YES" : "no",
                    d.reappeared()));
        }
        sb.append("</table>");
        sb.append("<h3>Expiries the brokers saw (").append(l.expiries()).append("; false: ").append(l.falseExpiries())
                .append(", threshold ").append(l.falseExpiryThresholdMs()).append(" ms)</h3><pre>");
        l.falseExpiryDetails().forEach(x -> sb.append("FALSE  ").append(esc(x)).append('\n'));
        l.legitimateExpiryDetails().forEach(x -> sb.append("after a gap  ").append(esc(x)).append('\n'));
        if (l.expiries() == 0) {
            sb.append("none\n");
        }
        sb.append("</pre>");
        return sb.toString();
    }
}
