package io.rns.namesrv.base;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressAllowListTest {
    @Test
    void admitsTheHostsAddressesOnly() {
        AddressAllowList l = new AddressAllowList(() -> List.of("127.0.0.1", "10.1.2.3"), () -> 0L);
        assertTrue(l.admits("127.0.0.1:40000"));
        assertTrue(l.admits("/10.1.2.3:1"));
        assertFalse(l.admits("10.9.9.9:1"));
        assertFalse(l.admits("not-an-ip:1"));
    }

    @Test
    void remoteAddressesAreIpLiteralsOnly() {
        assertEquals("127.0.0.1", AddressAllowList.ipOf("127.0.0.1:9781"));
        assertEquals("127.0.0.1", AddressAllowList.ipOf("/127.0.0.1:9781"));
        assertEquals("0:0:0:0:0:0:0:1", AddressAllowList.ipOf("[::1]:9781"));
        assertEquals("0:0:0:0:0:0:0:1", AddressAllowList.ipOf("0:0:0:0:0:0:0:1:9781"));
        assertNull(AddressAllowList.ipOf("evil.example:9781"), "never a DNS lookup for what a connection says");
        assertNull(AddressAllowList.ipOf(""));
        assertNull(AddressAllowList.ipOf(null));
    }
}
