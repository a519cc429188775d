package io.rns.chaos.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The markdown comparison table across runs (scenarios / modes / seeds). Each run writes its row as
 * {@code summary.json}; {@link #fromDirectory} collects them back, {@link #markdown} renders the table.
 */
public final class Comparison {

    /** One run's row. */
    public record Row(String scenario, String mode, int nodes, long seed, long durationS, String readLevels,
            boolean unsafeReads, RunMetrics metrics, Divergence divergence, String detection, String falseExpiries) {

        public Row(String scenario, String mode, int nodes, long seed, long durationS, String readLevels,
                boolean unsafeReads, RunMetrics metrics) {
            this(scenario, mode, nodes, seed, durationS, readLevels, unsafeReads, metrics, null, null, null);
        }
    }

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    // Gson 2.8 (on this classpath) cannot build records: map record components by hand
    public static JsonElement tree(Object o) {
        if (o == null) {
            return JsonNull.INSTANCE;
        }
        if (o.getClass().isRecord()) {
            JsonObject j = new JsonObject();
            for (RecordComponent rc : o.getClass().getRecordComponents()) {
                try {
                    j.add(rc.getName(), tree(rc.getAccessor().invoke(o)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return j;
        }
        return GSON.toJsonTree(o);
    }

    static Object untree(JsonElement e, Class<?> type) {
        if (e == null || e.isJsonNull()) {
            return type == int.class ? 0
                    : type == long.class ? 0L : type == double.class ? 0.0 : type == boolean.class ? false : null;
        }
        if (type.isRecord()) {
            RecordComponent[] rcs = type.getRecordComponents();
            Object[] args = new Object[rcs.length];
            Class<?>[] types = new Class<?>[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
                args[i] = untree(e.getAsJsonObject().get(rcs[i].getName()), types[i]);
            }
            try {
                return type.getDeclaredConstructor(types).newInstance(args);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return GSON.fromJson(e, type);
    }

    private Comparison() {
    }

    public static String toJson(Row row) {
        return GSON.toJson(tree(row));
    }

    public static Row fromJson(String json) {
        return (Row) untree(JsonParser.parseString(json), Row.class);
    }

    /** Every {@code summary.json} at most {@code depth} levels below {@code root}, sorted by scenario then seed. */
    public static List<Row> fromDirectory(Path root, int depth) {
        List<Row> rows = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return rows;
        }
        try (Stream<Path> s = Files.find(root, depth, (p, a) -> p.getFileName().toString().equals("summary.json"))) {
            for (Path p : s.toList()) {
                try {
                    rows.add(fromJson(Files.readString(p, StandardCharsets.UTF_8)));
                } catch (RuntimeException e) {
                    System.err.println("[chaos-report] skipping unreadable " + p + ": " + e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(Comparator.comparing(Row::scenario).thenComparingLong(Row::seed));
        return rows;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | mode | nodes | seed | s | verdict | invalid keys / keys | ops | indeterminate | "
                + "stale reads (index) | reads missing an acked write | read avail. fault / quiet | "
                + "write avail. fault / quiet | final divergence | divergence window (STALE, all nodes) | "
                + "broker-failure detection | false expiries |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            RunMetrics m = r.metrics();
            boolean raft = r.mode().equals("raft");
            sb.append("| ").append(r.scenario()).append(" | ").append(r.mode())
                    .append(r.unsafeReads() ? " (unsafe reads)" : "").append(" | ").append(r.nodes()).append(" | ")
                    .append(r.seed()).append(" | ").append(r.durationS()).append(" | ").append(m.verdict())
                    .append(" | ").append(m.invalidKeys()).append(" / ").append(m.keys()).append(" | ").append(m.ops())
                    .append(" | ").append(m.indeterminate()).append(" | ")
                    .append(raft ? m.staleIndexRate() : "n/a (no index)").append(" | ").append(m.missedAckedRate())
                    .append(" | ").append(m.readAvailFault()).append(" / ").append(m.readAvailQuiet()).append(" | ")
                    .append(m.writeAvailFault()).append(" / ").append(m.writeAvailQuiet()).append(" | ")
                    .append(m.divergence()).append(" | ")
                    .append(r.divergence() == null ? "n/a (not polled)" : r.divergence().describe()).append(" | ")
                    .append(r.detection() == null ? "n/a (no liveness workload)" : r.detection()).append(" | ")
                    .append(r.falseExpiries() == null ? "n/a" : r.falseExpiries()).append(" |\n");
        }
        return sb.toString();
    }

    public static final String LEGEND = """

            - **stale reads (index)**: LINEARIZABLE/LEASE reads whose server-reported applied index is below that of a \
            write acknowledged before the read began / all such reads (StaleReadDetector; raft only).
            - **reads missing an acked write**: OK reads that lack a broker whose register was acknowledged before the \
            read began (and not yet being unregistered), or still show a broker whose unregister was acknowledged \
            before the read began / all OK reads. Any mode.
            - **availability**: ops that completed OK / ops invoked while a fault window was active (resp. quiet).
            - **final divergence**: keys whose final reads (every node, after the final heal + 3 s) disagree / keys \
            read on at least two nodes.
            - **divergence window**: every 150 ms (register runs; liveness runs: their poll period) every node is read \
            at STALE in parallel (register runs: the current and the previous key); a window is the time from the first \
            round in which two nodes' answers differ to the next round in which all answering nodes agree (poll \
            resolution; rounds with fewer than two answers neither open nor close one). max = longest window of any \
            key, total = sum over keys; "divergent/decided rounds". Raft's STALE answers diverge too (replication lag, \
            a cut-off minority): LINEARIZABLE reads never do, which the checker verifies.
            - **broker-failure detection** (liveness runs): time from a dead broker's last call to the first \
            LINEARIZABLE poll without it (raft) / until every node's STALE answers lose it for good (leaderless); \
            median / max over dead brokers, against the bound derived from the run's config.
            - **false expiries** (liveness runs): brokers expired while their acknowledged heartbeats left no gap as \
            long as the shortest legitimate deadline / all expiries the brokers saw (UNKNOWN_BROKER answers).
            """;

    public static void write(Path file, List<Row> rows) {
        try {
            Files.writeString(file, "# Chaos comparison\n\n" + markdown(rows) + LEGEND, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
