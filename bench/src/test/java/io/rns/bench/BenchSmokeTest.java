package io.rns.bench;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import io.rns.bench.context.BenchOptions;
import io.rns.bench.infra.Procs;
import io.rns.bench.report.Results;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmarks are not tests: nothing here asserts speed. This runs every scenario in smoke mode (about a second per
 * load cell, 1 and 4 clients, one failover trial, 2 s detection timeout, 2,000 topics) against a real stock
 * NameServer and a real 3-node RNS cluster, and checks only that each scenario finished, performed real successful
 * operations and produced well-formed results (results.json parses, every table row is complete, plots exist), so the
 * bench code cannot rot. Results and server logs stay under target/bench-smoke/.
 */
@Tag("cluster")
class BenchSmokeTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyScenarioRunsInSmokeMode() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path cp = Path.of("target/classpath.txt");
        assertTrue(Files.isRegularFile(cp), "target/classpath.txt is written by the dependency plugin before tests");
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        Procs.deleteTree(out);
        BenchOptions opts = BenchOptions.defaults(root, out, Files.readString(cp).trim()).asSmoke();
        Results r = BenchMain.run(opts, BenchMain.ALL, "CI smoke", "BenchSmokeTest");

        assertEquals(BenchMain.ALL.size(), r.scenarios.size());
        for (Results.Scenario s : r.scenarios) {
            assertEquals(Results.Status.DONE, s.status, s.name + " failed: " + s.error + " (see " + out + ")");
            assertTrue(s.okOps > 0, s.name + ": no successful operations against the servers");
            assertFalse(s.tables.isEmpty(), s.name + ": no result table");
            for (Results.Table t : s.tables) {
                assertFalse(t.rows.isEmpty(), s.name + " / " + t.title + ": empty table");
            }
        }
        // results.json is well-formed and mirrors the run
        JSONObject json = JSON.parseObject(Files.readString(out.resolve("results.json")));
        JSONArray scenarios = json.getJSONArray("scenarios");
        assertEquals(BenchMain.ALL.size(), scenarios.size());
        for (int i = 0; i < scenarios.size(); i++) {
            JSONObject s = scenarios.getJSONObject(i);
            assertEquals("DONE", s.getString("status"));
            assertTrue(s.getLongValue("okOps") > 0);
            for (Object t : s.getJSONArray("tables")) {
                JSONObject tab = (JSONObject) t;
                int cols = tab.getJSONArray("columns").size();
                for (Object row : tab.getJSONArray("rows")) {
                    assertEquals(cols, ((JSONObject) row).size(),
                            "row with missing cells in " + tab.getString("title"));
                }
            }
        }
        // the read sweep measured real successful reads on both servers at every client count
        JSONObject reads = scenarios.getJSONObject(0);
        assertEquals("reads", reads.getString("name"));
        for (Object row : reads.getJSONArray("tables").getJSONObject(0).getJSONArray("rows")) {
            JSONObject rr = (JSONObject) row;
            assertTrue(rr.getDoubleValue("req/s") > 0, "no successful reads: " + rr);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("## reads — DONE") && md.contains("| target | clients | req/s |"), "results.md tables");
        String throughput = Files.readString(out.resolve("reads-throughput.svg"));
        assertTrue(throughput.startsWith("<svg") && throughput.contains("<circle"),
                "reads-throughput.svg has no data points");
        String latency = Files.readString(out.resolve("reads-latency.svg"));
        assertTrue(latency.startsWith("<svg") && latency.contains(">stock rmq</text>"),
                "reads-latency.svg has no stock bars");
    }
}
