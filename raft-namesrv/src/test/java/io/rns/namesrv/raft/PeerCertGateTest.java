package io.rns.namesrv.raft;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a peer certificate's names are matched against the members' hosts, without any DNS lookup. */
class PeerCertGateTest {
    @Test
    void aNameMatchesAMemberHostExactlyIgnoringCaseOrAsTheSameIpv6Address() {
        assertTrue(PeerCertGate.sameHost("127.0.0.1", "127.0.0.1"));
        assertTrue(PeerCertGate.sameHost("NS1.example.com", "ns1.example.com"));
        assertTrue(PeerCertGate.sameHost("0:0:0:0:0:0:0:1", "::1"), "two spellings of one IPv6 address");
        assertFalse(PeerCertGate.sameHost("127.0.0.2", "127.0.0.1"));
        assertFalse(PeerCertGate.sameHost("localhost", "127.0.0.1"), "a name is not resolved");
        assertFalse(PeerCertGate.sameHost("ns1.example.com.evil", "ns1.example.com"));
        assertFalse(PeerCertGate.sameHost("::2", "::1"));
    }

    @Test
    void aFailureIsLoggedBriefly() {
        String hex = "ab".repeat(10_000); // Netty quotes a whole non-TLS record
        String brief = PeerCertGate.brief(new IllegalStateException("not an SSL/TLS record: " + hex));
        assertTrue(brief.startsWith("IllegalStateException: not an SSL/TLS record: abab"), brief);
        assertEquals("IllegalStateException: ".length() + 123, brief.length(), brief);
    }
}
