package io.rns.bench.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcsTest {
    /** A bench cluster of 5 nodes takes 15 ports at once; 300 is twenty such clusters in one bench run. */
    @Test
    void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws IOException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = Procs.freePort();
            assertTrue(seen.add(port), "port " + port + " handed out twice (call " + i + ")");
            assertTrue(port < 32_768, "port " + port + " is in Linux's ephemeral range, where an outgoing connection"
                    + " can take it before the node binds it");
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    /** A port something else holds is skipped, not handed out. */
    @Test
    void aPortInUseIsSkipped() throws IOException {
        int next = Procs.freePort() + 1; // the allocator tries ports in order from a per-process offset
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress("127.0.0.1", next));
            int port = Procs.freePort();
            assertTrue(port != next, "handed out " + next + ", which this test holds");
        } catch (BindException busy) {
            // `next` was already taken by someone else: the allocator must skip it all the same
            assertTrue(Procs.freePort() != next, "handed out " + next + ", which is in use");
        }
    }

    /** A server that dies before it listens is reported with its exit code and the end of its output. */
    @Test
    void aProcessThatExitsBeforeListeningIsReportedWithTheEndOfItsOutput(@TempDir Path dir) {
        Path log = dir.resolve("stdout.log");
        Process p = Procs.start(
                List.of("sh", "-c", "echo starting; echo 'rns-server: invalid configuration: bad'; exit 2"), dir, log);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Procs.awaitPort(p, Procs.freePort(), 30_000, "n3", log));
        assertTrue(e.getMessage().startsWith("n3 exited (code 2) before listening on "), e.getMessage());
        assertTrue(e.getMessage().endsWith("starting\nrns-server: invalid configuration: bad"), e.getMessage());
    }
}
