package io.rns.namesrv.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberTest {
    @Test
    void hostsAreHostNamesOrIpv4Addresses() {
        for (String host : List.of("127.0.0.1", "localhost", "rns-2.rns.default.svc.cluster.local", "172.28.213.11",
                "NODE-1.Example.COM")) {
            assertEquals(host, new Member("n1", host, 9781, 9771).host());
        }
        for (String host : List.of("a\u0003b", "two words", "-x", "x-", "x..y", ".x", "h:1", "[::1]", "é.example",
                "x".repeat(64), "a." + "b".repeat(250))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Member("n1", host, 9781, 9771), host);
            assertTrue(e.getMessage().contains("is not a host name or IPv4 address"), e.getMessage());
            assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20 || c > 0x7e), "escaped: " + e.getMessage());
        }
    }
}
