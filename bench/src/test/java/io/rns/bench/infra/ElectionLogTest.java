package io.rns.bench.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ElectionLogTest {
    private static final String NODE = "com.alipay.sofa.jraft.core.NodeImpl - Node <rns/127.0.0.1:41687>";

    @Test
    void readsThePreVoteTheVoteRoundsAndTheLeaderAfterTheInstantAcrossLogs(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Files.write(a, List.of("2026-12-04 18:44:34.358 INFO  [t] " + NODE + " term 0 start preVote.", // before the instant
                "2026-12-04 18:44:41.143 INFO  [t] " + NODE + " term 2 start preVote.",
                "2026-12-04 18:44:41.197 INFO  [t] " + NODE + " start vote and grant vote self, term=2.",
                "a continuation line without a time",
                "2026-12-04 18:44:43.000 INFO  [t] " + NODE + " start vote and grant vote self, term=4."));
        Files.write(b,
                List.of("2026-12-04 18:44:41.137 INFO  [t] " + NODE + " term 2 start preVote.",
                        "2026-12-04 18:44:41.196 INFO  [t] " + NODE + " start vote and grant vote self, term=2.",
                        "2026-12-04 18:44:42.308 INFO  [t] " + NODE + " start vote and grant vote self, term=3.",
                        "2026-12-04 18:44:42.321 INFO  [t] " + NODE + " become leader of group, term=4, conf=x"));
        long since = ElectionLog.epochMs("2026-12-04 18:44:40.000").getAsLong();

        ElectionLog e = ElectionLog.read(List.of(a, b, dir.resolve("missing.log")), since);

        assertEquals(new ElectionLog(1_137, 2_321, 3), e); // the round after the leader is not counted
    }

    @Test
    void nothingLoggedIsMinusOne(@TempDir Path dir) throws Exception {
        assertEquals(new ElectionLog(-1, -1, 0), ElectionLog.read(List.of(dir.resolve("none.log")), 0));
    }
}
