package io.rns.chaos.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryTest {

    private static History sample() {
        return History.of(Op.info(Op.NEMESIS, "start-partition", null, "n1|n2,n3", 5),
                Op.invoke(0, "register", "t1", "10.0.0.1:10911#1", 10).withNode("127.0.0.2:9876"),
                Op.invoke(1, "read", "t1", null, 11).withNode("127.0.0.3:9876"),
                Op.ok(0, "register", "t1", "10.0.0.1:10911#1", 20).withMeta(new ServerMeta(null, "n1", 3, 42)),
                Op.ok(1, "read", "t1", SetValue.encode(List.of("b2", "b1")), 21)
                        .withMeta(new ServerMeta("LINEARIZABLE", "n1", 3, 42)),
                Op.invoke(2, "write", "k \"quoted\"\n", "ü\t", 30),
                Op.info(2, "write", "k \"quoted\"\n", "ü\t", 40).withError("DEADLINE_EXCEEDED: timeout"),
                Op.invoke(3, "read", "t1", null, 50), Op.fail(3, "read", "t1", null, 51).withError("NOT_LEADER"));
    }

    @Test
    void jsonlRoundTrip(@TempDir Path dir) throws IOException {
        History h = sample();
        StringWriter w = new StringWriter();
        h.writeJsonl(w);
        String text = w.toString();
        assertEquals(h.size(), text.lines().count());
        assertTrue(text.lines().findFirst().orElseThrow().startsWith("{\"process\":-1,\"type\":\"info\""), text);
        assertTrue(text.contains("\"meta\":{\"served\":\"LINEARIZABLE\",\"node\":\"n1\",\"term\":3,\"applied\":42}"),
                text);
        assertEquals(h, History.readJsonl(new StringReader(text + "\n\n")));
        Path file = dir.resolve("history.jsonl");
        h.writeJsonl(file);
        assertEquals(h, History.readJsonl(file));
        assertEquals(text, Files.readString(file));
    }

    @Test
    void badLineReportsLineNumber() {
        IOException e = assertThrows(IOException.class,
                () -> History
                        .readJsonl(new StringReader("{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"time\":1}\n"
                                + "{\"process\":0,\"type\":\"bogus\",\"f\":\"read\",\"time\":2}\n")));
        assertTrue(e.getMessage().startsWith("history line 2"), e.getMessage());
    }

    @Test
    void pairing() {
        History.Pairing p = sample().pair();
        assertEquals(4, p.operations().size());
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());
        Operation reg = p.operations().get(0);
        assertTrue(reg.isOk());
        assertEquals(10, reg.call());
        assertEquals(20, reg.ret());
        assertEquals(42, reg.meta().appliedIndex());
        Operation read = p.operations().get(1);
        assertEquals("b1,b2", read.output());
        Operation info = p.operations().get(2);
        assertTrue(info.isIndeterminate());
        assertEquals(Operation.INFINITY, info.ret());
        assertNull(info.output());
        assertEquals(Op.Type.FAIL, p.operations().get(3).status());
        assertEquals(Set.of("t1", "k \"quoted\"\n"), sample().keys());
    }

    @Test
    void pairingIrregularities() {
        History h = History.of(Op.ok(7, "read", "k", "x", 1), // completion without invocation
                Op.invoke(0, "write", "k", "a", 2), Op.info(0, "write", "k", "a", 3),
                Op.invoke(0, "write", "k", "b", 4), // reuse after INFO
                Op.invoke(0, "write", "k", "c", 5), // double invoke
                Op.ok(0, "write", "k", "c", 6), Op.invoke(1, "read", "k", null, 7)); // pending at the end
        History.Pairing p = h.pair();
        assertEquals(4, p.operations().size());
        assertEquals(3, p.warnings().size(), p.warnings().toString());
        assertTrue(p.operations().get(1).isPending());
        assertTrue(p.operations().get(3).isPending());
        assertEquals("c", p.operations().get(2).input());
    }

    @Test
    void setValue() {
        assertEquals("a,b,c", SetValue.encode(List.of("c", "a", "b", "a")));
        assertEquals("", SetValue.encode(List.of()));
        assertEquals(Set.of(), SetValue.decode(null));
        assertEquals(Set.of(), SetValue.decode(""));
        assertEquals(List.of("a", "b"), List.copyOf(SetValue.decode("b,a")));
        assertEquals("a,b", SetValue.canonical("b,a,b"));
        assertTrue(SetValue.contains("a,b", "b"));
        assertThrows(IllegalArgumentException.class, () -> SetValue.encode(List.of("a,b")));
    }

    @Test
    void recorderStampsMonotonicTimesAndFreshProcesses() throws Exception {
        HistoryRecorder rec = new HistoryRecorder();
        Thread[] ts = new Thread[4];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                int p = rec.newProcess();
                for (int j = 0; j < 50; j++) {
                    rec.invoke(p, "write", "k", "v" + j, "n1");
                    if (j % 10 == 9) {
                        rec.info(p, "write", "k", "v" + j, "timeout");
                        p = rec.newProcess();
                    } else {
                        rec.ok(p, "write", "k", "v" + j, new ServerMeta(null, "n1", 1, j));
                    }
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        rec.nemesis("stop-partition", null);
        History h = rec.snapshot();
        assertEquals(4 * 100 + 1, h.size());
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.ops().get(i - 1).time() <= h.ops().get(i).time());
        }
        History.Pairing p = h.pair();
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());
        assertEquals(200, p.operations().size());
        assertEquals(200, h.clientOps().size() / 2);
    }
}
