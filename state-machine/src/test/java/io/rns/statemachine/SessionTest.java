package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.rns.statemachine.Records.TIME;
import static io.rns.statemachine.Records.inSession;
import static io.rns.statemachine.Records.openSession;
import static io.rns.statemachine.Records.putKv;
import static io.rns.statemachine.Records.register;
import static io.rns.statemachine.Records.topic;
import static io.rns.statemachine.Records.unregister;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once writes (log.proto ClientSession): a retry returns the first result without applying twice, a late
 * copy of an older request has no effect, sessions expire by the leader time in records, and all of it survives a
 * restart and a snapshot install.
 */
class SessionTest extends StateMachineTestSupport {
    private static final String ADDR = "10.0.0.1:10911";

    private LogRecord registerB1(long session, long seq) {
        return inSession(register("c1", "b1", 0, ADDR, topic("T1")), session, seq, TIME);
    }

    private LogRecord unregisterB1(long session, long seq) {
        return inSession(unregister("b1", 0, ADDR, 0), session, seq, TIME);
    }

    @Test
    void aLateCopyOfARegistrationCannotResurrectAnUnregisteredBroker() {
        long s = applied(openSession(60_000, 100)).index();
        ApplyResult.Applied reg = applied(registerB1(s, 1));
        assertEquals(reg.index(), reg.brokerEpoch());
        // the client's retry of the registration (same session, same seq) returns the first result: no new epoch
        RouteImage before = sm.image();
        assertEquals(reg, apply(registerB1(s, 1)), "a retry returns the first outcome");
        assertTrue(before.sameContent(sm.image()), "a retry applies nothing");
        assertEquals(reg.index(), sm.image().broker("b1", 0).orElseThrow().epoch());

        ApplyResult.Applied unreg = applied(unregisterB1(s, 2));
        assertTrue(unreg.existed());
        assertEquals(unreg, apply(unregisterB1(s, 2)), "the unregister's retry: same answer, not UNKNOWN_BROKER");

        // the first registration attempt, buffered somewhere, arrives after the unregistration
        ApplyResult.Rejected late = rejected(registerB1(s, 1));
        assertEquals(RejectReason.STALE_SEQUENCE, late.reason());
        assertTrue(sm.image().broker("b1", 0).isEmpty(), "the broker stays unregistered");
        assertTrue(sm.image().route("T1").isEmpty());

        // the same unversioned record without a session (at-least-once, as before) does resurrect it: what sessions
        // are for (a versioned one would meet the broker's tombstone, see RegistrationFenceTest)
        applied(Records.wrap(Records.registerBuilder("c1", "b1", 0, ADDR, topic("T1")).setDataVersionTimestamp(0)
                .setDataVersionCounter(0).build()));
        assertTrue(sm.image().broker("b1", 0).isPresent());
    }

    @Test
    void aRejectedRequestIsCachedToo() {
        long s = applied(openSession(60_000, 100)).index();
        ApplyResult.Rejected first = rejected(unregisterB1(s, 1)); // nothing registered
        assertEquals(RejectReason.UNKNOWN_BROKER, first.reason());
        applied(register("c1", "b1", 0, ADDR, topic("T1"))); // another client registers it meanwhile
        assertEquals(first, apply(unregisterB1(s, 1)), "the retry gets the first outcome, it does not unregister");
        assertTrue(sm.image().broker("b1", 0).isPresent());
    }

    @Test
    void sessionsExpireByLeaderTimeInRecordsAndTheClockNeverGoesBack() {
        long s = applied(openSession(10_000, 100)).index();
        applied(inSession(putKv("ns", "k", "1"), s, 1, TIME + 9_000)); // idle 9 s: alive, and now active at +9 s
        // a leader whose clock is behind: the state machine's clock stays at +9 s, the session stays alive
        applied(inSession(putKv("ns", "k", "2"), s, 2, TIME - 60_000));
        assertEquals(TIME + 9_000, sm.session(s).lastActiveMs());
        // a record without a session moves the clock to +20 s: idle 11 s > 10 s
        applied(putKv("other", "k", "x").toBuilder().setLeaderTimeMs(TIME + 20_000).build());
        ApplyResult.Rejected expired = rejected(inSession(putKv("ns", "k", "3"), s, 3, TIME + 20_000));
        assertEquals(RejectReason.SESSION_EXPIRED, expired.reason());
        assertTrue(expired.message().contains("idle for 11000 ms, its timeout is 10000 ms"), expired.message());
        assertNull(sm.session(s), "an expired session is removed");
        assertEquals("2", sm.image().kv("ns", "k").orElseThrow());
        ApplyResult.Rejected unknown = rejected(inSession(putKv("ns", "k", "3"), s, 3, TIME + 20_000));
        assertEquals(RejectReason.SESSION_EXPIRED, unknown.reason());
        assertTrue(unknown.message().contains("unknown or expired"), unknown.message());
    }

    @Test
    void openingASessionExpiresIdleOnes() {
        long a = applied(openSession(1_000, 100)).index();
        long b = applied(openSession(60_000, 100)).index();
        assertEquals(2, sm.sessionCount());
        long c = applied(openSession(60_000, 100).toBuilder().setLeaderTimeMs(TIME + 5_000).build()).index();
        assertNull(sm.session(a));
        assertNotNull(sm.session(b));
        assertNotNull(sm.session(c));
        assertEquals(2, sm.sessionCount());
        // the limit counts only live sessions: with a expired, max 3 admits one more
        applied(openSession(60_000, 3).toBuilder().setLeaderTimeMs(TIME + 5_000).build());
        assertEquals(RejectReason.TOO_MANY_SESSIONS,
                rejected(openSession(60_000, 3).toBuilder().setLeaderTimeMs(TIME + 5_000).build()).reason());
    }

    @Test
    void deduplicationSurvivesARestart() {
        long s = applied(openSession(60_000, 100)).index();
        ApplyResult.Applied reg = applied(registerB1(s, 1));
        ApplyResult.Rejected rj = rejected(inSession(unregister("nope", 0, "", 0), s, 2, TIME));
        sm.close();
        sm = RouteStateMachine.open(tmp.resolve("store"));
        assertEquals(1, sm.sessionCount());
        assertEquals(rj, apply(inSession(unregister("nope", 0, "", 0), s, 2, TIME)));
        assertEquals(RejectReason.STALE_SEQUENCE, rejected(registerB1(s, 1)).reason());
        assertEquals(reg.index(), sm.image().broker("b1", 0).orElseThrow().epoch(), "nothing was applied again");
    }

    @Test
    void deduplicationSurvivesASnapshotInstall() throws Exception {
        long s = applied(openSession(60_000, 100)).index();
        long idle = applied(openSession(2_000, 100)).index();
        applied(registerB1(s, 1));
        applied(unregisterB1(s, 2));
        applied(putKv("clock", "k", "v").toBuilder().setLeaderTimeMs(TIME + 3_000).build());
        Path snap = tmp.resolve("snap");
        sm.saveSnapshot(snap);
        try (RouteStateMachine fresh = RouteStateMachine.open(tmp.resolve("fresh"))) {
            fresh.loadSnapshot(snap);
            assertEquals(sm.storeDigest(), fresh.storeDigest());
            assertEquals(sm.session(s), fresh.session(s));
            ApplyResult late = fresh.apply(new LogEntry(nextIndex, registerB1(s, 1)));
            assertEquals(RejectReason.STALE_SEQUENCE, ((ApplyResult.Rejected) late).reason());
            assertTrue(fresh.image().broker("b1", 0).isEmpty());
            // the clock came with the snapshot: a session idle since TIME with a 2 s timeout is expired at +3 s, even
            // when the record using it carries an older leader time
            ApplyResult tooLate = fresh
                    .apply(new LogEntry(nextIndex + 1, inSession(putKv("ns", "k", "v"), idle, 1, TIME)));
            assertEquals(RejectReason.SESSION_EXPIRED, ((ApplyResult.Rejected) tooLate).reason());
        }
    }

    @Test
    void aDuplicateLeavesTheStoreByteForByteAsItWas() {
        long s = applied(openSession(60_000, 100)).index();
        applied(inSession(putKv("ns", "k", "v"), s, 1, TIME));
        var before = Records.storeContents(sm);
        ApplyResult again = apply(inSession(putKv("ns", "k", "v"), s, 1, TIME));
        assertSame(ApplyResult.Applied.class, again.getClass());
        var after = Records.storeContents(sm);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).getKey().byteAt(0) != 'M') {
                assertEquals(before.get(i), after.get(i));
            }
        }
    }
}
