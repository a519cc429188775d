package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.UnregisterBroker;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.rns.statemachine.Records.TIME;
import static io.rns.statemachine.Records.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brokers without sessions (RocketMQ brokers) are fenced by what they send: the registration's data version. A late
 * copy of an older registration can undo neither a requested unregistration nor a newer registration, within
 * {@link Limits#REGISTRATION_FENCE_MS} of state-machine time.
 */
class RegistrationFenceTest extends StateMachineTestSupport {
    private static final String ADDR = "10.0.0.1:10911";

    private static LogRecord reg(long ts, long counter, long leaderTimeMs, String topic) {
        return Records.wrap(Records.registerBuilder("c1", "b1", 0, ADDR, topic(topic)).setDataVersionTimestamp(ts)
                .setDataVersionCounter(counter).build()).toBuilder().setLeaderTimeMs(leaderTimeMs).build();
    }

    private static LogRecord unreg(long leaderTimeMs) {
        return Records.unregister("b1", 0, ADDR, 0).toBuilder().setLeaderTimeMs(leaderTimeMs).build();
    }

    private static LogRecord expire(long epoch, long leaderTimeMs) {
        LogRecord r = Records.unregister("b1", 0, ADDR, epoch);
        return r.toBuilder().setLeaderTimeMs(leaderTimeMs)
                .setUnregisterBroker(r.getUnregisterBroker().toBuilder().setReason(UnregisterBroker.Reason.EXPIRED))
                .build();
    }

    @Test
    void aLateCopyAfterTheBrokersUnregistrationIsRefused() {
        applied(reg(500, 3, TIME, "T1"));
        applied(unreg(TIME + 1_000));
        ApplyResult.Rejected late = rejected(reg(500, 3, TIME + 4_000, "T1"));
        assertEquals(RejectReason.STALE_REGISTRATION, late.reason());
        assertTrue(late.message().contains("asked to be unregistered 3000 ms ago at data version (500, 3)"),
                late.message());
        assertTrue(sm.image().broker("b1", 0).isEmpty());
        assertTrue(sm.image().route("T1").isEmpty());
    }

    @Test
    void aNewerVersionRegistersAtOnceAndTheSameVersionAfterTheWindow() {
        applied(reg(500, 3, TIME, "T1"));
        applied(unreg(TIME));
        // a broker restarted with an unchanged version: refused inside the window, accepted after it
        rejected(reg(500, 3, TIME + Limits.REGISTRATION_FENCE_MS, "T1"));
        applied(reg(500, 3, TIME + Limits.REGISTRATION_FENCE_MS + 1, "T1"));
        applied(unreg(TIME + Limits.REGISTRATION_FENCE_MS + 2));
        // a broker whose config changed (a newer version) is never held back
        applied(reg(600, 4, TIME + Limits.REGISTRATION_FENCE_MS + 3, "T2"));
        assertTrue(sm.image().route("T2").isPresent());
    }

    @Test
    void aRegistrationOnAConnectionOpenedAfterTheUnregistrationIsFresh() {
        applied(reg(500, 3, TIME, "T1"));
        long unregisteredAt = applied(unreg(TIME + 1_000)).index();
        // a late copy came on a connection opened before the unregistration: refused
        LogRecord late = reg(500, 3, TIME + 2_000, "T1");
        late = late.toBuilder()
                .setRegisterBroker(late.getRegisterBroker().toBuilder().setConnectionSinceIndex(unregisteredAt - 1))
                .build();
        assertEquals(RejectReason.STALE_REGISTRATION, rejected(late).reason());
        // the restarted broker (same version, restored from its disk) connected after the unregistration was applied
        LogRecord fresh = reg(500, 3, TIME + 2_500, "T1");
        fresh = fresh.toBuilder()
                .setRegisterBroker(fresh.getRegisterBroker().toBuilder().setConnectionSinceIndex(unregisteredAt))
                .build();
        applied(fresh);
        assertTrue(sm.image().broker("b1", 0).isPresent());
    }

    @Test
    void anExpiryLeavesNoTombstone() {
        long epoch = applied(reg(500, 3, TIME, "T1")).brokerEpoch();
        applied(expire(epoch, TIME + 1_000));
        // the broker was alive after all (a false expiry): it must get back in at once with its unchanged version
        applied(reg(500, 3, TIME + 1_001, "T1"));
        assertTrue(sm.image().broker("b1", 0).isPresent());
    }

    @Test
    void anOlderRegistrationCannotUndoANewerOneWithinTheWindow() {
        applied(reg(500, 3, TIME, "T1"));
        applied(reg(700, 4, TIME + 100, "T1").toBuilder()
                .setRegisterBroker(Records.registerBuilder("c1", "b1", 0, ADDR, topic("T1", 8, 8, 6))
                        .setDataVersionTimestamp(700).setDataVersionCounter(4))
                .build());
        ApplyResult.Rejected late = rejected(reg(500, 3, TIME + 2_000, "T1"));
        assertEquals(RejectReason.STALE_REGISTRATION, late.reason());
        assertTrue(late.message().contains("registered data version (700, 4) 1900 ms ago"), late.message());
        assertEquals(700, sm.image().broker("b1", 0).orElseThrow().dataVersionTimestamp());
        assertEquals(8, sm.image().route("T1").orElseThrow().queues().get("b1").readQueueNums());
        // outside the window the stock rule holds again (the registration is taken): a broker clock set back
        // cannot lock a broker out for good
        applied(reg(500, 3, TIME + 100 + Limits.REGISTRATION_FENCE_MS + 1, "T1"));
    }

    @Test
    void unversionedRegistrationsAreNotFencedByVersion() {
        applied(Records.register("c1", "b1", 0, ADDR, topic("T1")).toBuilder().setRegisterBroker(Records
                .registerBuilder("c1", "b1", 0, ADDR, topic("T1")).setDataVersionTimestamp(0).setDataVersionCounter(0))
                .build());
        applied(unreg(TIME));
        applied(Records.register("c1", "b1", 0, ADDR, topic("T1")).toBuilder().setRegisterBroker(Records
                .registerBuilder("c1", "b1", 0, ADDR, topic("T1")).setDataVersionTimestamp(0).setDataVersionCounter(0))
                .build());
    }

    @Test
    void tombstonesSurviveARestartAndASnapshotInstall() throws Exception {
        applied(reg(500, 3, TIME, "T1"));
        applied(unreg(TIME + 1_000));
        sm.close();
        sm = RouteStateMachine.open(tmp.resolve("store"));
        assertEquals(RejectReason.STALE_REGISTRATION, rejected(reg(500, 3, TIME + 2_000, "T1")).reason());
        Path snap = tmp.resolve("snap");
        sm.saveSnapshot(snap);
        try (RouteStateMachine fresh = RouteStateMachine.open(tmp.resolve("fresh"))) {
            fresh.loadSnapshot(snap);
            ApplyResult r = fresh.apply(new LogEntry(nextIndex, reg(500, 3, TIME + 3_000, "T1")));
            assertEquals(RejectReason.STALE_REGISTRATION, ((ApplyResult.Rejected) r).reason());
        }
    }
}
