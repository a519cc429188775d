package io.rns.compat.register;

import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RecentBodiesTest {
    private static RegisterBrokerRequest parsed(String topic) {
        return RegisterBrokerRequest.newBuilder().addTopics(TopicConfig.newBuilder().setTopic(topic)).build();
    }

    @Test
    void theSameBytesWithTheSameFlagsReuseTheParseAndAnythingElseDoesNot() {
        RecentBodies recent = new RecentBodies(1 << 20);
        RegisterBrokerRequest a = parsed("A");
        recent.remember("b1:10911", new byte[]{1, 2, 3}, false, 500, a);

        assertSame(a, recent.lookup("b1:10911", new byte[]{1, 2, 3}, false, 500)); // equal bytes, another array
        assertEquals(1, recent.hits());
        assertNull(recent.lookup("b1:10911", new byte[]{1, 2, 4}, false, 500), "other bytes");
        assertNull(recent.lookup("b1:10911", new byte[]{1, 2, 3}, true, 500), "compressed differs");
        assertNull(recent.lookup("b1:10911", new byte[]{1, 2, 3}, false, 407), "version differs");
        assertNull(recent.lookup("b2:10911", new byte[]{1, 2, 3}, false, 500), "another broker");
        assertNull(recent.lookup("b1:10911", null, false, 500), "no body");
        assertEquals(1, recent.hits());
    }

    @Test
    void aBrokersNewBodyReplacesItsOldOne() {
        RecentBodies recent = new RecentBodies(1 << 20);
        recent.remember("b1", new byte[10], false, 1, parsed("A"));
        RegisterBrokerRequest b = parsed("B");
        recent.remember("b1", new byte[20], false, 1, b);

        assertNull(recent.lookup("b1", new byte[10], false, 1));
        assertSame(b, recent.lookup("b1", new byte[20], false, 1));
        assertEquals(20, recent.keptBytes());
    }

    @Test
    void boundedBytesOversizeBodiesAreNotKeptAndAFullCacheStartsOver() {
        RecentBodies recent = new RecentBodies(100);
        recent.remember("big", new byte[RecentBodies.MAX_BODY_BYTES + 1], false, 1, parsed("X"));
        assertEquals(0, recent.keptBytes());
        assertNull(recent.lookup("big", new byte[RecentBodies.MAX_BODY_BYTES + 1], false, 1));

        recent.remember("b1", new byte[60], false, 1, parsed("A"));
        recent.remember("b2", new byte[60], false, 1, parsed("B")); // 120 > 100: b1 is dropped
        assertEquals(60, recent.keptBytes());
        assertNull(recent.lookup("b1", new byte[60], false, 1));
        assertEquals("B", recent.lookup("b2", new byte[60], false, 1).getTopics(0).getTopic());
    }
}
