package io.rns.chaos.fuzz;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.Role;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * After a fuzz run: every node answers (no crash, no hang), there is one leader, acknowledged writes are read back
 * LINEARIZABLY from every node, and at one applied index every node serves the same topics, clusters and KV (nothing
 * half-applied, no divergence). Heap figures come from each node's admin port, when given.
 */
public final class ClusterCheck {
    private static final String NS = "fuzz-check";
    private static final int KEYS = 50;

    /** The verdict, and one line per check (and per node's heap). */
    public record Verdict(boolean ok, List<String> lines) {
    }

    private ClusterCheck() {
    }

    public static Verdict check(List<String> endpoints, List<String> adminEndpoints, long seed)
            throws InterruptedException {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        try (NamesrvClient c = NamesrvClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(3))
                .overallTimeout(Duration.ofSeconds(20)).randomSeed(seed).clientId("fuzz-check").build()) {
            ok &= leaderAndAnswers(c, endpoints, lines);
            ok &= writesReadBackEverywhere(c, endpoints, seed, lines);
            ok &= sameStateAtSameIndex(c, endpoints, lines);
        }
        for (String admin : adminEndpoints) {
            lines.add(heap(admin));
        }
        lines.add(ok ? "check: PASSED" : "check: FAILED");
        return new Verdict(ok, lines);
    }

    private static boolean leaderAndAnswers(NamesrvClient c, List<String> endpoints, List<String> lines)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            int leaders = 0;
            int answered = 0;
            StringBuilder sb = new StringBuilder();
            for (String ep : endpoints) {
                try {
                    GetNodeStatusResponse s = c.nodeStatus(ep).value();
                    answered++;
                    leaders += s.getRole() == Role.LEADER ? 1 : 0;
                    sb.append(' ').append(s.getNodeId()).append('=').append(s.getRole()).append("/t")
                            .append(s.getTerm()).append("/a").append(s.getAppliedIndex());
                } catch (NamesrvException e) {
                    sb.append(' ').append(ep).append("=UNREACHABLE(").append(e.getMessage()).append(')');
                }
            }
            last = sb.toString();
            if (answered == endpoints.size() && leaders == 1) {
                lines.add("ok   every node answers, one leader:" + last);
                return true;
            }
            Thread.sleep(500);
        }
        lines.add("FAIL not every node answers with exactly one leader within 30 s:" + last);
        return false;
    }

    private static boolean writesReadBackEverywhere(NamesrvClient c, List<String> endpoints, long seed,
            List<String> lines) {
        Map<String, String> written = new TreeMap<>();
        try {
            for (int i = 0; i < KEYS; i++) {
                String v = "v-" + seed + "-" + i;
                c.kvPut(NS, "k" + i, v);
                written.put("k" + i, v);
            }
        } catch (NamesrvException e) {
            lines.add("FAIL writes after the fuzz: " + e.getMessage());
            return false;
        }
        for (String ep : endpoints) {
            try {
                Map<String, String> read = c.kvList(NS, at(ep, Consistency.LINEARIZABLE)).value();
                if (!read.equals(written)) {
                    lines.add("FAIL " + ep + " reads back " + read.size() + " of " + KEYS
                            + " acknowledged values (or other values)");
                    return false;
                }
            } catch (NamesrvException e) {
                lines.add("FAIL " + ep + " LINEARIZABLE read: " + e.getMessage());
                return false;
            }
        }
        lines.add("ok   " + KEYS + " acknowledged writes read back LINEARIZABLY from every node");
        return true;
    }

    /** Reads every node (STALE) until all answer at one applied index, then requires the same content. */
    private static boolean sameStateAtSameIndex(NamesrvClient c, List<String> endpoints, List<String> lines)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<Long> indexes = new ArrayList<>();
            List<Object> states = new ArrayList<>();
            try {
                for (String ep : endpoints) {
                    CallOptions o = at(ep, Consistency.STALE);
                    Reply<List<String>> topics = c.listTopics(null, o);
                    var cluster = c.getClusterInfo(o);
                    var kv = c.kvList(NS, o);
                    long idx = topics.meta().appliedIndex();
                    if (cluster.meta().appliedIndex() != idx || kv.meta().appliedIndex() != idx) {
                        indexes.add(-1L); // moved during the reads: not a single index
                    } else {
                        indexes.add(idx);
                    }
                    states.add(List.of(new TreeSet<>(topics.value()), cluster.value(), kv.value()));
                }
            } catch (NamesrvException e) {
                lines.add("FAIL reading every node: " + e.getMessage());
                return false;
            }
            if (!indexes.contains(-1L) && new TreeSet<>(indexes).size() == 1) {
                for (Object s : states) {
                    if (!Objects.equals(s, states.get(0))) {
                        lines.add("FAIL nodes at applied index " + indexes.get(0) + " serve different state");
                        return false;
                    }
                }
                lines.add("ok   every node serves the same topics, clusters and KV at applied index " + indexes.get(0));
                return true;
            }
            Thread.sleep(200);
        }
        lines.add("FAIL the nodes never stood at one applied index within 60 s (expiries still running?)");
        return false;
    }

    private static CallOptions at(String ep, Consistency level) {
        return CallOptions.DEFAULT.withNode(ep).withConsistency(level);
    }

    /** Heap used and live data after the last major GC, from the node's /metrics (MiB). */
    private static String heap(String admin) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String live = http.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String m = http.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double used = 0;
            double liveData = Double.NaN;
            for (String line : m.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("jvm_gc_live_data_size_bytes{")) {
                    liveData = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return String.format("heap %s: used %.1f MiB, live data after the last major GC %.1f MiB; /live %s", admin,
                    used / (1 << 20), liveData / (1 << 20), live.trim());
        } catch (Exception e) {
            return "heap " + admin + ": unavailable (" + e + ")";
        }
    }
}
