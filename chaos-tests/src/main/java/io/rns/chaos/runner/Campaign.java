package io.rns.chaos.runner;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.workload.LivenessAnalysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A campaign: seeded Raft chaos runs back to back (scenario and node count rotate, run k has seed base + k), one
 * verdict each, written after every run to {@code campaign.json} and {@code campaign.md} in the output directory.
 * Resumable: a run whose index is already in campaign.json is not run again. A failing run's directory is kept whole;
 * a passing run keeps its history and results but drops its node logs and data (disk).
 */
public final class Campaign {

    /** The scenarios a campaign may rotate over (all Raft). */
    public static final List<String> SCENARIOS = List.of("raft", "lease-clock", "membership", "liveness",
            "late-delivery", "durability");

    /** A durability run's write phase per SIGKILL-all cycle; a cycle with its restart and checks takes ~15 s. */
    static final Duration DURABILITY_WRITE_PHASE = Duration.ofSeconds(3);

    public record Config(int runs, long seedBase, List<String> scenarios, List<Integer> nodes, Duration duration,
            Path out) {
        public Config {
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be >= 1");
            }
            for (String s : scenarios) {
                if (!SCENARIOS.contains(s)) {
                    throw new IllegalArgumentException("campaign scenario must be one of " + SCENARIOS + ": " + s);
                }
            }
            for (int n : nodes) {
                if (n != 3 && n != 5) {
                    throw new IllegalArgumentException("--nodes must list 3 and/or 5: " + n);
                }
            }
        }

        String scenario(int k) {
            return scenarios.get(k % scenarios.size());
        }

        int nodes(int k) {
            return this.nodes.get((k / scenarios.size()) % this.nodes.size());
        }

        long seed(int k) {
            return seedBase + k;
        }
    }

    /** Where the scenarios' configurations come from (ChaosMain's table). */
    public interface Scenarios {
        ChaosRun.Config config(String scenario, int nodes, long seed, Duration duration, Path out);

        LivenessRun.Config livenessConfig(String scenario, int nodes, long seed, Duration duration, Path out);
    }

    /** One finished run. {@code anomalies}: kind -> count; empty = clean. */
    public record RunRecord(int k, String scenario, int nodes, long seed, String verdict, int ops, int okOps,
            int indeterminate, Map<String, Integer> anomalies, long wallMs, String dir) {
    }

    private Campaign() {
    }

    public static List<RunRecord> run(Config c, Scenarios scenarios) throws IOException {
        Files.createDirectories(c.out());
        Path json = c.out().resolve("campaign.json");
        List<RunRecord> done = load(json);
        System.out.println("campaign: " + c.runs() + " runs over " + c.scenarios() + " x nodes " + c.nodes() + ", "
                + c.duration().toSeconds() + " s each, seeds " + c.seedBase() + ".." + (c.seedBase() + c.runs() - 1)
                + "; " + done.size() + " already done -> " + c.out());
        for (int k = 0; k < c.runs(); k++) {
            final int kk = k;
            if (done.stream().anyMatch(r -> r.k() == kk)) {
                continue;
            }
            RunRecord r = runOne(c, scenarios, k);
            done.add(r);
            done.sort(Comparator.comparingInt(RunRecord::k));
            write(c, done);
            long bad = done.stream().filter(x -> !x.anomalies().isEmpty()).count();
            System.out.println("campaign: run " + (k + 1) + " of " + c.runs() + ": " + r.scenario() + "/" + r.nodes()
                    + " seed " + r.seed() + " -> " + r.verdict() + (r.anomalies().isEmpty() ? "" : " " + r.anomalies())
                    + "; so far " + done.size() + " runs, " + bad + " with anomalies");
        }
        return done;
    }

    private static RunRecord runOne(Config c, Scenarios scenarios, int k) {
        String scenario = c.scenario(k);
        int nodes = c.nodes(k);
        long seed = c.seed(k);
        Path runsDir = c.out().resolve("runs");
        long t0 = System.nanoTime();
        try {
            RunRecord r = switch (scenario) {
                case "liveness" -> liveness(k, nodes,
                        LivenessRun.run(scenarios.livenessConfig("liveness", nodes, seed, c.duration(), runsDir)));
                case "late-delivery" -> lateDelivery(k, nodes, seed, LateDeliveryRun.run(
                        new LateDeliveryRun.Config("late-delivery-" + nodes, nodes, seed, 8, true, false, runsDir)));
                case "durability" ->
                    durability(k, nodes, seed, DurabilityRun.run(new DurabilityRun.Config("durability-" + nodes, nodes,
                            seed, durabilityCycles(c.duration()), 3, DURABILITY_WRITE_PHASE, runsDir)));
                default -> linearizable(k, scenario, nodes, seed,
                        ChaosRun.run(scenarios.config(scenario, nodes, seed, c.duration(), runsDir)));
            };
            r = new RunRecord(r.k(), r.scenario(), r.nodes(), r.seed(), r.verdict(), r.ops(), r.okOps(),
                    r.indeterminate(), r.anomalies(), (System.nanoTime() - t0) / 1_000_000, r.dir());
            if (r.anomalies().isEmpty()) {
                prune(Path.of(r.dir()).resolve("nodes"));
            }
            return r;
        } catch (Exception | AssertionError e) {
            // the harness itself failed (no leader within 60 s, a crashed workload thread...): an anomaly to look at
            return new RunRecord(k, scenario, nodes, seed, "ERROR", 0, 0, 0, Map.of("harness-error: " + e, 1),
                    (System.nanoTime() - t0) / 1_000_000, runsDir.toString());
        }
    }

    private static RunRecord linearizable(int k, String scenario, int nodes, long seed, ChaosRun.Result r) {
        Map<String, Integer> anomalies = new TreeMap<>();
        long invalid = r.check().count(Verdict.INVALID);
        long unknown = r.check().count(Verdict.UNKNOWN);
        if (invalid > 0) {
            anomalies.put("non-linearizable keys", (int) invalid);
        }
        if (unknown > 0) {
            anomalies.put("undecided keys", (int) unknown);
        }
        if (!r.stale().clean()) {
            anomalies.put("stale or non-monotonic reads (server indexes)", 1);
        }
        return new RunRecord(k, scenario, nodes, seed, r.verdict().name(), r.ops(), okOps(r.history(), r.dir()),
                r.infos(), anomalies, 0, r.dir().toString());
    }

    /** A late-delivery run that never got a late copy refused did not test the fence: flagged, not counted clean. */
    private static RunRecord lateDelivery(int k, int nodes, long seed, ChaosRun.Result r) throws IOException {
        RunRecord rec = linearizable(k, "late-delivery", nodes, seed, r);
        if (LateDeliveryRun.lateCopiesRefused(r.dir()) > 0) {
            return rec;
        }
        Map<String, Integer> anomalies = new TreeMap<>(rec.anomalies());
        anomalies.put("late delivery not exercised (no late copy refused)", 1);
        return new RunRecord(rec.k(), rec.scenario(), rec.nodes(), rec.seed(), rec.verdict(), rec.ops(), rec.okOps(),
                rec.indeterminate(), anomalies, rec.wallMs(), rec.dir());
    }

    /** SIGKILL-all cycles that fit the run's duration (at least two). */
    static int durabilityCycles(Duration duration) {
        return (int) Math.max(2, duration.toSeconds() / 15);
    }

    private static RunRecord durability(int k, int nodes, long seed, DurabilityRun.Result r) {
        Map<String, Integer> anomalies = new TreeMap<>();
        if (r.lost() > 0) {
            anomalies.put("acknowledged writes lost", (int) r.lost());
        }
        if (r.disagree() > 0) {
            anomalies.put("topics the nodes disagree on", r.disagree());
        }
        if (r.lost() == 0 && r.disagree() == 0 && !r.problems().isEmpty()) {
            anomalies.put("durability problems", r.problems().size());
        }
        int acked = (int) Math.min(Integer.MAX_VALUE, r.acknowledged());
        return new RunRecord(k, "durability", nodes, seed, anomalies.isEmpty() ? "CLEAN" : "ANOMALY", acked, acked, 0,
                anomalies, 0, r.dir().toString());
    }

    private static RunRecord liveness(int k, int nodes, LivenessRun.Result r) {
        LivenessAnalysis.Report l = r.liveness();
        Map<String, Integer> anomalies = new TreeMap<>();
        if (l.falseExpiries() > 0) {
            anomalies.put("false expiries", l.falseExpiries());
        }
        if (l.undetected() > 0) {
            anomalies.put("undetected deaths", l.undetected());
        }
        if (l.reappeared() > 0) {
            anomalies.put("dead brokers that reappeared", l.reappeared());
        }
        int ops = l.heartbeatsOk() + l.heartbeatsFailed();
        return new RunRecord(k, "liveness", nodes, r.config().seed(), anomalies.isEmpty() ? "CLEAN" : "ANOMALY", ops,
                l.heartbeatsOk(), 0, anomalies, 0, r.dir().toString());
    }

    /** Client operations that completed OK (the history's own count), for availability. */
    private static int okOps(History h, Path dir) {
        History ops = h != null ? h : readHistory(dir);
        return ops == null ? 0 : (int) ops.clientOps().ops().stream().filter(o -> o.type() == Op.Type.OK).count();
    }

    private static History readHistory(Path dir) {
        try {
            return History.readJsonl(dir.resolve("history.jsonl"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void prune(Path nodesDir) {
        if (!Files.isDirectory(nodesDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(nodesDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("campaign: could not prune " + nodesDir + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------------------- output

    static List<RunRecord> load(Path json) throws IOException {
        List<RunRecord> out = new ArrayList<>();
        if (!Files.exists(json)) {
            return out;
        }
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (JsonElement e : o.getAsJsonArray("runs")) {
            out.add(fromJson(e.getAsJsonObject())); // by hand: this Gson cannot build records
        }
        return out;
    }

    private static RunRecord fromJson(JsonObject r) {
        Map<String, Integer> anomalies = new TreeMap<>();
        if (r.has("anomalies")) {
            r.getAsJsonObject("anomalies").entrySet().forEach(e -> anomalies.put(e.getKey(), e.getValue().getAsInt()));
        }
        return new RunRecord(r.get("k").getAsInt(), r.get("scenario").getAsString(), r.get("nodes").getAsInt(),
                r.get("seed").getAsLong(), r.get("verdict").getAsString(), r.get("ops").getAsInt(),
                r.get("okOps").getAsInt(), r.get("indeterminate").getAsInt(), anomalies, r.get("wallMs").getAsLong(),
                r.get("dir").getAsString());
    }

    static void write(Config c, List<RunRecord> runs) throws IOException {
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        JsonObject o = new JsonObject();
        o.addProperty("runsPlanned", c.runs());
        o.addProperty("seedBase", c.seedBase());
        o.addProperty("scenarios", String.join(",", c.scenarios()));
        o.addProperty("nodes", c.nodes().toString());
        o.addProperty("durationS", c.duration().toSeconds());
        JsonArray arr = new JsonArray();
        runs.forEach(r -> arr.add(gson.toJsonTree(r)));
        o.add("runs", arr);
        atomicWrite(c.out().resolve("campaign.json"), gson.toJson(o));
        atomicWrite(c.out().resolve("campaign.md"), markdown(c, runs));
    }

    static String markdown(Config c, List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Chaos campaign\n\n");
        sb.append(String.format(Locale.ROOT,
                "%d of %d runs done; %d s each; scenarios %s; nodes %s; seeds %d..%d (run k has seed %d + k)%n%n",
                runs.size(), c.runs(), c.duration().toSeconds(), c.scenarios(), c.nodes(), c.seedBase(),
                c.seedBase() + c.runs() - 1, c.seedBase()));
        sb.append("| scenario | nodes | runs | with anomalies | client ops | ok | indeterminate | availability |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            groups.computeIfAbsent(r.scenario() + "|" + r.nodes(), x -> new ArrayList<>()).add(r);
        }
        int totalOps = 0;
        int totalOk = 0;
        for (Map.Entry<String, List<RunRecord>> e : groups.entrySet()) {
            List<RunRecord> g = e.getValue();
            int ops = g.stream().mapToInt(RunRecord::ops).sum();
            int ok = g.stream().mapToInt(RunRecord::okOps).sum();
            int infos = g.stream().mapToInt(RunRecord::indeterminate).sum();
            totalOps += ops;
            totalOk += ok;
            String[] key = e.getKey().split("\\|");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %.1f %% |%n", key[0], key[1],
                    g.size(), g.stream().filter(r -> !r.anomalies().isEmpty()).count(), ops, ok, infos,
                    ops == 0 ? 0.0 : 100.0 * ok / ops));
        }
        sb.append(String.format(Locale.ROOT, "| **all** | | **%d** | **%d** | %d | %d | | %.1f %% |%n%n", runs.size(),
                runs.stream().filter(r -> !r.anomalies().isEmpty()).count(), totalOps, totalOk,
                totalOps == 0 ? 0.0 : 100.0 * totalOk / totalOps));
        if (runs.stream().anyMatch(r -> r.scenario().equals("durability"))) {
            sb.append("Durability rows count acknowledged writes, each checked on every node after every SIGKILL of "
                    + "all nodes (attempts are not counted, so their availability says nothing).\n\n");
        }
        Map<String, Integer> kinds = new TreeMap<>();
        runs.forEach(r -> r.anomalies().forEach((kind, n) -> kinds.merge(kind, n, Integer::sum)));
        sb.append("Anomalies by kind: ").append(kinds.isEmpty() ? "none" : kinds.toString()).append("\n\n");
        List<RunRecord> bad = runs.stream().filter(r -> !r.anomalies().isEmpty()).toList();
        if (!bad.isEmpty()) {
            sb.append("Runs with anomalies (directories kept whole):\n\n");
            for (RunRecord r : bad) {
                sb.append(String.format(Locale.ROOT, "- run %d %s/%d seed %d: %s %s — %s%n", r.k(), r.scenario(),
                        r.nodes(), r.seed(), r.verdict(), r.anomalies(), r.dir()));
            }
            sb.append('\n');
        }
        sb.append("Seeds: ");
        sb.append(String.join(", ", runs.stream().map(r -> r.scenario() + "/" + r.nodes() + ":" + r.seed()).toList()));
        sb.append("\n");
        return sb.toString();
    }

    private static void atomicWrite(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
