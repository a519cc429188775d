package io.rns.statemachine;

import io.rns.log.v1.RegisterBroker;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The next image shares everything a batch did not touch (no full copy per batch). */
class StructuralSharingTest extends StateMachineTestSupport {

    @Test
    void aSmallBatchOnALargeTableSharesEverythingItDidNotTouch() {
        int topics = 20_000;
        RegisterBroker.Builder b = Records.registerBuilder("c1", "b1", 0, "10.0.0.1:10911");
        for (int i = 0; i < topics; i++) {
            b.addTopics(Records.topic("TOPIC_" + i));
        }
        applied(Records.wrap(b.build()));
        applied(Records.register("c1", "b2", 0, "10.0.0.2:10911"));
        RouteImage big = sm.image();
        assertEquals(topics, big.topicCount());

        // one topic changes: every other topic's inner map is shared, the old image is untouched
        applied(Records.register("c1", "b2", 0, "10.0.0.2:10911", Records.topic("TOPIC_7")));
        RouteImage next = sm.image();
        int shared = 0;
        for (int i = 0; i < topics; i++) {
            String t = "TOPIC_" + i;
            if (big.route(t).orElseThrow().queues() == next.route(t).orElseThrow().queues()) {
                shared++;
            }
        }
        assertEquals(topics - 1, shared);
        assertEquals(List.of("b1"), List.copyOf(big.route("TOPIC_7").orElseThrow().queues().keySet()));
        assertEquals(List.of("b1", "b2"), List.copyOf(next.route("TOPIC_7").orElseThrow().queues().keySet()));
        assertSame(big.brokerGroups().get("b1"), next.brokerGroups().get("b1"));

        // kv only: topics and groups are shared wholesale
        applied(Records.putKv("ns", "k", "v"));
        RouteImage kvOnly = sm.image();
        assertSame(next.topicMap(), kvOnly.topicMap());
        assertSame(next.brokerGroups(), kvOnly.brokerGroups());
        assertSame(next.clusters(), kvOnly.clusters());

        // a group disappears: its queues are removed from every topic (the one O(topics) path)
        applied(Records.unregister("b1", 0, "", 0));
        RouteImage after = sm.image();
        assertEquals(1, after.topicCount());
        assertEquals(List.of("b2"), List.copyOf(after.route("TOPIC_7").orElseThrow().queues().keySet()));
        assertTrue(after.topicsOfCluster("c1").contains("TOPIC_7"));

        // and the store agrees with the image
        sm.close();
        sm = RouteStateMachine.open(tmp.resolve("store"));
        assertEquals(after, sm.image());
    }
}
