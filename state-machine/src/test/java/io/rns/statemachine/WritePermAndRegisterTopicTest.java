package io.rns.statemachine;

import io.rns.log.v1.ChangeWritePerm.Op;
import io.rns.log.v1.RegisterBroker;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.rns.statemachine.Records.changeWritePerm;
import static io.rns.statemachine.Records.queue;
import static io.rns.statemachine.Records.registerBuilder;
import static io.rns.statemachine.Records.registerTopic;
import static io.rns.statemachine.Records.topic;
import static io.rns.statemachine.Records.wrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ChangeWritePerm / RegisterTopic records and the data-version rule of re-registrations (RocketMQ semantics). */
class WritePermAndRegisterTopicTest extends StateMachineTestSupport {
    private static final String A1 = "10.0.0.1:10911";

    private RegisterBroker b1(long counter, int perm) {
        return registerBuilder("c1", "b1", 0, A1, topic("T1", 4, 4, perm), topic("T2", 2, 2, 7))
                .setDataVersionTimestamp(1000).setDataVersionCounter(counter).build();
    }

    private int perm(String topic, String brokerName) {
        return sm.image().route(topic).orElseThrow().queues().get(brokerName).perm();
    }

    @Test
    void wipeThenUnchangedReRegistrationKeepsItThenAddRestoresAndChangedVersionRewrites() {
        applied(wrap(b1(1, 6)));
        applied(wrap(registerBuilder("c1", "b2", 0, "10.0.0.2:10911", topic("T1", 4, 4, 6)).build()));

        ApplyResult.Applied wipe = applied(changeWritePerm("b1", Op.WIPE));
        assertTrue(wipe.existed(), "b1 has queue data");
        assertEquals(4, perm("T1", "b1"));
        assertEquals(5, perm("T2", "b1"), "7 & ~2");
        assertEquals(6, perm("T1", "b2"), "other broker names are untouched");
        assertEquals(2, sm.image().queueCountOf("b1"));

        // the broker's periodic re-registration with the same data version: no change, and applying it anyway
        // (e.g. it was logged for a new lease) must not restore the write permission
        assertFalse(sm.image().wouldChange(b1(1, 6)));
        applied(wrap(b1(1, 6).toBuilder().setLeaseTimeoutMs(30_000).build()));
        assertEquals(4, perm("T1", "b1"));
        assertEquals(5, perm("T2", "b1"));

        applied(changeWritePerm("b1", Op.ADD));
        assertEquals(6, perm("T1", "b1"));
        assertEquals(6, perm("T2", "b1"), "stock ADD sets exactly read+write");

        applied(changeWritePerm("b1", Op.WIPE));
        assertTrue(sm.image().wouldChange(b1(2, 6)), "a changed data version is a change");
        applied(wrap(b1(2, 6)));
        assertEquals(6, perm("T1", "b1"), "changed data version rewrites queue data from the broker's config");
        assertEquals(7, perm("T2", "b1"));
    }

    @Test
    void unchangedVersionStillAddsTopicsThisBrokerDoesNotServeYet() {
        applied(wrap(b1(1, 6)));
        applied(changeWritePerm("b1", Op.WIPE));
        RegisterBroker withNew = b1(1, 6).toBuilder().addTopics(topic("T3", 1, 1, 6)).build();
        assertTrue(sm.image().wouldChange(withNew));
        applied(wrap(withNew));
        assertEquals(6, perm("T3", "b1"));
        assertEquals(4, perm("T1", "b1"), "the wipe of existing topics stays");
    }

    @Test
    void unversionedRegistrationAlwaysMerges() {
        RegisterBroker r = registerBuilder("c1", "b1", 0, A1, topic("T1", 4, 4, 6)).setDataVersionTimestamp(0)
                .setDataVersionCounter(0).build();
        applied(wrap(r));
        applied(changeWritePerm("b1", Op.WIPE));
        assertTrue(sm.image().wouldChange(r), "0/0 is not a version: the native client's config wins");
        applied(wrap(r));
        assertEquals(6, perm("T1", "b1"));
    }

    @Test
    void changeWritePermOfUnknownBrokerChangesNothing() {
        applied(wrap(b1(1, 6)));
        RouteImage before = sm.image();
        ApplyResult.Applied a = applied(changeWritePerm("nope", Op.WIPE));
        assertFalse(a.existed());
        assertTrue(before.sameContent(sm.image()));
    }

    @Test
    void invalidChangeWritePermIsRejected() {
        ApplyResult.Rejected r = rejected(changeWritePerm("b1", Op.OP_UNSPECIFIED));
        assertEquals(RejectReason.INVALID_RECORD, r.reason());
        assertTrue(r.message().contains("change_write_perm.op"), r.message());
        assertTrue(rejected(changeWritePerm("bad name", Op.WIPE)).message().contains("change_write_perm.broker_name"));
    }

    @Test
    void registerTopicTakesRegisteredBrokerNamesOnly() {
        applied(wrap(b1(1, 6)));
        ApplyResult.Applied a = applied(registerTopic("NEW", queue("b1", 8, 8, 6, 1), queue("ghost", 1, 1, 6, 0)));
        assertFalse(a.existed());
        assertEquals(Map.of("b1", new QueueConfig(8, 8, 6, 1)), sm.image().route("NEW").orElseThrow().queues());
        // existing topic: replaces b1's queue data, keeps the rest
        applied(wrap(registerBuilder("c1", "b2", 0, "10.0.0.2:10911", topic("T1", 4, 4, 6)).build()));
        applied(registerTopic("T1", queue("b1", 2, 2, 4, 0)));
        assertEquals(Map.of("b1", new QueueConfig(2, 2, 4, 0), "b2", new QueueConfig(4, 4, 6, 0)),
                sm.image().route("T1").orElseThrow().queues());
        // only unknown brokers: nothing
        RouteImage before = sm.image();
        applied(registerTopic("OTHER", queue("ghost", 1, 1, 6, 0)));
        assertTrue(before.sameContent(sm.image()));
        assertTrue(sm.image().route("OTHER").isEmpty());
    }

    @Test
    void invalidRegisterTopicIsRejected() {
        assertTrue(rejected(registerTopic("T1")).message().contains("register_topic.queues must not be empty"));
        assertTrue(rejected(registerTopic("T1", queue("b1", 1, 1, 6, 0), queue("b1", 2, 2, 6, 0))).message()
                .contains("duplicates"));
        assertTrue(rejected(registerTopic("T1", queue("b1", 1, 1, 9, 0))).message()
                .contains("register_topic.queues[0].perm"));
    }

    @Test
    void wipeSurvivesSnapshotAndReopen() {
        applied(wrap(b1(1, 6)));
        applied(changeWritePerm("b1", Op.WIPE));
        applied(registerTopic("NEW", queue("b1", 8, 8, 6, 2)));
        RouteImage img = sm.image();
        Path snap = tmp.resolve("snap");
        sm.saveSnapshot(snap);
        try (RouteStateMachine other = RouteStateMachine.open(tmp.resolve("other"))) {
            other.loadSnapshot(snap);
            assertEquals(img, other.image());
            assertEquals(4, other.image().route("T1").orElseThrow().queues().get("b1").perm());
            assertEquals(sm.storeDigest(), other.storeDigest());
        }
        sm.close();
        sm = RouteStateMachine.open(tmp.resolve("store"));
        assertEquals(img, sm.image());
    }
}
