package io.rns.statemachine;

import com.google.protobuf.ByteString;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.RegisterBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.rns.statemachine.Records.putKv;
import static io.rns.statemachine.Records.register;
import static io.rns.statemachine.Records.topic;
import static io.rns.statemachine.Records.unregister;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rejection path; a rejected record changes nothing but the applied index. */
class RejectionTest extends StateMachineTestSupport {
    private long masterEpoch;
    private final Set<RejectReason> covered = EnumSet.noneOf(RejectReason.class);

    @BeforeEach
    void populate() {
        masterEpoch = applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1"))).brokerEpoch();
        applied(register("c1", "b1", 1, "10.0.0.11:10911"));
        applied(register("c2", "solo", 0, "10.0.0.5:10911", topic("T5")));
        applied(putKv("ns", "k", "v"));
    }

    /** Applies r, expects Rejected(reason) with a message containing fragment, and that nothing else changed. */
    private void assertRejectedChangesNothing(LogRecord r, RejectReason reason, String fragment) {
        RouteImage before = sm.image();
        List<Map.Entry<ByteString, ByteString>> storeBefore = Records.storeContents(sm);
        long index = nextIndex;
        ApplyResult.Rejected rj = rejected(r);
        assertEquals(index, rj.index());
        assertEquals(reason, rj.reason(), rj.message());
        assertTrue(rj.message().contains(fragment), rj.message());
        covered.add(reason);

        RouteImage after = sm.image();
        assertEquals(index, after.appliedIndex(), "the applied index advances past a rejected record");
        assertTrue(before.sameContent(after), "image content unchanged");
        assertNotEquals(before, after, "equals includes the applied index");
        List<Map.Entry<ByteString, ByteString>> storeAfter = Records.storeContents(sm);
        assertEquals(storeBefore.size(), storeAfter.size());
        for (int i = 0; i < storeBefore.size(); i++) {
            assertEquals(storeBefore.get(i).getKey(), storeAfter.get(i).getKey());
            if (storeBefore.get(i).getKey().byteAt(0) != 'M') {
                assertEquals(storeBefore.get(i).getValue(), storeAfter.get(i).getValue(),
                        "store value of " + storeBefore.get(i).getKey().toStringUtf8());
            } else {
                assertNotEquals(storeBefore.get(i).getValue(), storeAfter.get(i).getValue(), "meta advanced");
            }
        }
        // and it survives a reopen
        sm.close();
        sm = RouteStateMachine.open(tmp.resolve("store"));
        assertEquals(after, sm.image());
    }

    @Test
    void everyRejectReason() {
        // BROKER_NAME_CONFLICT: b1 lives in c1 with ids 0 and 1; id 0 cannot take it to c2
        assertRejectedChangesNothing(register("c2", "b1", 0, "10.0.0.1:10911", topic("T1")),
                RejectReason.BROKER_NAME_CONFLICT, "cluster 'c1'");
        // nor can a new id
        assertRejectedChangesNothing(register("c2", "b1", 3, "10.0.0.3:10911"), RejectReason.BROKER_NAME_CONFLICT,
                "broker ids [0, 1]");
        // UNKNOWN_BROKER: no such name, no such id
        assertRejectedChangesNothing(unregister("nope", 0, "", 0), RejectReason.UNKNOWN_BROKER, "not registered");
        assertRejectedChangesNothing(unregister("b1", 7, "", 0), RejectReason.UNKNOWN_BROKER, "b1/7");
        // UNKNOWN_BROKER: address mismatch
        assertRejectedChangesNothing(unregister("b1", 0, "10.9.9.9:10911", 0), RejectReason.UNKNOWN_BROKER,
                "addr mismatch");
        // STALE_BROKER_EPOCH
        assertRejectedChangesNothing(unregister("b1", 0, "10.0.0.1:10911", masterEpoch + 1000),
                RejectReason.STALE_BROKER_EPOCH, "has epoch " + masterEpoch);
        // INVALID_RECORD
        assertRejectedChangesNothing(
                Records.wrap(Records.registerBuilder("c1", "b1", 0, "10.0.0.1:10911", topic("T1", -1, 4, 6)).build()),
                RejectReason.INVALID_RECORD, "register_broker.topics[0].read_queue_nums must be in [0, 16384], got -1");
        // SESSION_EXPIRED: a session nobody opened
        assertRejectedChangesNothing(Records.inSession(putKv("ns", "k", "v2"), 999_999, 1, Records.TIME),
                RejectReason.SESSION_EXPIRED, "session 999999 is unknown or expired");
        // STALE_SEQUENCE: seq 2 applied, then a late copy of seq 1
        long session = applied(Records.openSession(60_000, 10)).index();
        applied(Records.inSession(putKv("ns", "k", "v1"), session, 1, Records.TIME));
        applied(Records.inSession(putKv("ns", "k", "v2"), session, 2, Records.TIME));
        assertRejectedChangesNothing(Records.inSession(putKv("ns", "k", "v1"), session, 1, Records.TIME),
                RejectReason.STALE_SEQUENCE, "already applied sequence 2");
        // STALE_REGISTRATION: solo asked to go at version (1, 1); a copy of its registration arrives afterwards
        applied(unregister("solo", 0, "10.0.0.5:10911", 0));
        assertRejectedChangesNothing(register("c2", "solo", 0, "10.0.0.5:10911", topic("T5")),
                RejectReason.STALE_REGISTRATION, "asked to be unregistered 0 ms ago at data version (1, 1)");
        // TOO_MANY_SESSIONS: max_sessions 1 with one open
        assertRejectedChangesNothing(Records.openSession(60_000, 1), RejectReason.TOO_MANY_SESSIONS,
                "1 client sessions are open (limit 1");
        assertEquals(EnumSet.allOf(RejectReason.class), covered);
    }

    @Test
    void staleEpochAfterReRegistration() {
        // the broker re-registers (new epoch); an expiry naming the old epoch must not remove it
        long newEpoch = applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1"))).brokerEpoch();
        assertTrue(newEpoch > masterEpoch);
        assertRejectedChangesNothing(unregister("b1", 0, "", masterEpoch), RejectReason.STALE_BROKER_EPOCH,
                "record names epoch " + masterEpoch);
        assertTrue(applied(unregister("b1", 0, "", newEpoch)).existed());
    }

    @Test
    void everyValidationRuleRejectsAtApply() {
        RegisterBroker.Builder ok = Records.registerBuilder("c1", "bX", 0, "10.0.0.9:10911", topic("TX"));
        List<LogRecord> invalid = List.of(Records.wrap(ok.clone().setCluster("").build()),
                Records.wrap(ok.clone().setCluster("c".repeat(128)).build()),
                Records.wrap(ok.clone().setBrokerName("").build()),
                Records.wrap(ok.clone().setBrokerName("b".repeat(128)).build()),
                Records.wrap(ok.clone().setBrokerName("has space").build()),
                Records.wrap(ok.clone().setBrokerId(-1).build()),
                Records.wrap(ok.clone().setBrokerId(Long.MAX_VALUE).build()),
                Records.wrap(ok.clone().setBrokerAddr("").build()),
                Records.wrap(ok.clone().setBrokerAddr("host:70000").build()),
                Records.wrap(ok.clone().setHaServerAddr("x").build()),
                Records.wrap(ok.clone().setTopics(0, topic("")).build()),
                Records.wrap(ok.clone().setTopics(0, topic("t".repeat(128))).build()),
                Records.wrap(ok.clone().setTopics(0, topic("bad/topic")).build()),
                Records.wrap(ok.clone().setTopics(0, topic("TX", -1, 1, 6)).build()),
                Records.wrap(ok.clone().setTopics(0, topic("TX", 1, 100_000, 6)).build()),
                Records.wrap(ok.clone().setTopics(0, topic("TX", Integer.MIN_VALUE, 1, 6)).build()),
                Records.wrap(ok.clone().setTopics(0, topic("TX", 1, 1, 9)).build()),
                Records.wrap(ok.clone().setTopics(0, topic("TX", 1, 1, -1)).build()),
                Records.wrap(ok.clone().addTopics(topic("TX")).build()), unregister("", 0, "", 0),
                Records.deleteTopic("", ""), Records.deleteTopic("T1", "bad cluster"), putKv("", "k", "v"),
                putKv("ns", "", "v"), putKv("ns", "k".repeat(256), "v"), putKv("ns", "k", "v".repeat(65537)),
                Records.deleteKv("ns", ""));
        for (LogRecord r : invalid) {
            String expected = RecordValidator.validate(r).orElseThrow(() -> new AssertionError("valid: " + r));
            assertRejectedChangesNothing(r, RejectReason.INVALID_RECORD, expected);
        }
        assertTrue(sm.image().broker("bX", 0).isEmpty());
        assertTrue(sm.image().route("TX").isEmpty());
    }
}
