package io.rns.bench.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

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
}
