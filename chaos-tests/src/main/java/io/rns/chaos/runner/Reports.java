package io.rns.chaos.runner;

import io.rns.chaos.report.Comparison;
import io.rns.chaos.report.HtmlReport;
import io.rns.chaos.report.LivenessSection;
import io.rns.chaos.report.RunMetrics;
import io.rns.chaos.workload.LivenessAnalysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a run's reports: {@code <run>/summary.json}, {@code <run>/report.html}, and {@code comparison.md} in the
 * run's parent directory (every run of that scenario) and in the output root (every scenario).
 */
public final class Reports {
    private Reports() {
    }

    public static Path write(ChaosRun.Result r) throws IOException {
        Comparison.Row row = row(r);
        Files.writeString(r.dir().resolve("summary.json"), Comparison.toJson(row), StandardCharsets.UTF_8);
        ChaosRun.Config c = r.config();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("scenario", c.scenario());
        info.put("mode", c.mode() + (c.unsafeReads() ? " (testing.unsafe-local-linearizable-reads)" : ""));
        info.put("nodes", Integer.toString(c.nodes()));
        info.put("seed", c.seed() + " (reproduce: scripts/chaos.sh run ... --seed " + c.seed() + ")");
        info.put("duration", c.duration().toSeconds() + " s");
        info.put("read levels", c.readLevels().toString());
        info.put("nemeses", c.nemeses().stream().map(n -> n.name()).toList().toString());
        if (r.divergence() != null) {
            info.put("divergence window (STALE, all nodes)", r.divergence().describe());
        }
        Path html = r.dir().resolve("report.html");
        Files.writeString(html, HtmlReport.render("chaos " + c.scenario() + " seed " + c.seed(), info, r.history(),
                r.check(), row.metrics(), ""), StandardCharsets.UTF_8);
        writeComparisons(r.dir());
        return html;
    }

    /** The liveness run's summary.json, report.html (with its liveness section) and the comparison files. */
    public static Path writeLiveness(LivenessRun.Result r) throws IOException {
        Comparison.Row row = row(r);
        Files.writeString(r.dir().resolve("summary.json"), Comparison.toJson(row), StandardCharsets.UTF_8);
        LivenessRun.Config c = r.config();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("scenario", c.scenario() + " (liveness workload)");
        info.put("mode", c.mode());
        info.put("nodes", Integer.toString(c.nodes()));
        info.put("seed", c.seed() + " (reproduce: -Dchaos.seed=" + c.seed() + ")");
        info.put("duration", c.duration().toSeconds() + " s");
        info.put("lease", c.leaseMs() + " ms; " + c.liveBrokers() + " brokers heartbeat all run, short-lived ones die");
        info.put("nemeses", c.nemeses().stream().map(n -> n.name()).toList().toString());
        info.put("bound", r.bound().formula());
        info.put("liveness", r.liveness().summary());
        info.put("divergence window (STALE, all nodes)", r.divergence().describe());
        Path html = r.dir().resolve("report.html");
        Files.writeString(
                html, HtmlReport.render("chaos " + c.scenario() + " seed " + c.seed(), info, r.history(), null,
                        row.metrics(), LivenessSection.render(r.liveness(), r.history(), r.samples())),
                StandardCharsets.UTF_8);
        writeComparisons(r.dir());
        return html;
    }

    /** The comparison row of a set-workload run. */
    public static Comparison.Row row(ChaosRun.Result r) {
        ChaosRun.Config c = r.config();
        return new Comparison.Row(c.scenario(), c.mode(), c.nodes(), c.seed(), c.duration().toSeconds(),
                c.readLevels().toString(), c.unsafeReads(), RunMetrics.compute(r.history(), r.check(), r.stale()),
                r.divergence(), null, null);
    }

    /** The comparison row of a liveness run. */
    public static Comparison.Row row(LivenessRun.Result r) {
        LivenessRun.Config c = r.config();
        LivenessAnalysis.Report l = r.liveness();
        return new Comparison.Row(c.scenario(), c.mode(), c.nodes(), c.seed(), c.duration().toSeconds(),
                c.raft() ? "[STALE, LINEARIZABLE] polls" : "[STALE] polls", false,
                RunMetrics.compute(r.history(), null, null).withoutFinalReads(), r.divergence(), l.detectionCell(),
                l.falseExpiries() + " of " + l.expiries() + " expiries");
    }

    private static void writeComparisons(Path runDir) {
        Path parent = runDir.getParent();
        if (parent != null) {
            Comparison.write(parent.resolve("comparison.md"), Comparison.fromDirectory(parent, 2));
            Path root = parent.getParent();
            if (root != null) {
                Comparison.write(root.resolve("comparison.md"), Comparison.fromDirectory(root, 3));
            }
        }
    }
}
