package io.rns.rpc.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemberSpecTest {
    @Test
    void parsesIdHostAndBothPorts() {
        assertEquals(new MemberSpec("n1", "10.0.0.1", 9781, 9771), MemberSpec.parse(" n1@10.0.0.1:9781:9771 "));
        assertEquals(new MemberSpec("n2", "[::1]", 9782, 9772), MemberSpec.parse("n2@[::1]:9782:9772"));
    }

    @Test
    void rejectsBadShapesAndNonNumericPorts() {
        for (String bad : new String[]{"n1", "@h:1:2", "n1@:1:2", "n1@h:1", "n1@h::2", "n1@h:1:"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemberSpec.parse(bad));
            assertEquals("member '" + bad + "' must look like id@host:raftPort:clientPort", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemberSpec.parse("n1@h:x:2"));
        assertEquals("member 'n1@h:x:2': ports must be numbers", e.getMessage());
    }

    @Test
    void leavesRangeChecksToTheCaller() {
        assertEquals(new MemberSpec("n1", "h", 0, 70000), MemberSpec.parse("n1@h:0:70000"));
    }
}
