package io.rns.statemachine;

import io.rns.log.v1.RegisterBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.rns.statemachine.Records.registerBuilder;
import static io.rns.statemachine.Records.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WouldChangeTest extends StateMachineTestSupport {
    private RegisterBroker master;
    private RegisterBroker slave;

    @BeforeEach
    void populate() {
        master = registerBuilder("c1", "b1", 0, "10.0.0.1:10911", topic("T1", 8, 8, 6), topic("T2", 4, 4, 6))
                .setHaServerAddr("10.0.0.1:10912").setDataVersionTimestamp(100).setDataVersionCounter(3).build();
        slave = registerBuilder("c1", "b1", 1, "10.0.0.2:10911", topic("T1")).build();
        applied(Records.wrap(master));
        applied(Records.wrap(slave));
    }

    @Test
    void identicalReRegistrationChangesNothing() {
        RouteImage img = sm.image();
        assertFalse(img.wouldChange(master));
        assertTrue(img.wouldChange(master.toBuilder().setLeaseTimeoutMs(5000).build()),
                "a new lease timeout is a change: a new leader must grant the broker its current lease");
        assertFalse(img.wouldChange(master.toBuilder().removeTopics(1).build()), "a subset of topics is no change");
        assertFalse(img.wouldChange(master.toBuilder().clearTopics().build()));
        assertFalse(img.wouldChange(slave));
        assertFalse(img.wouldChange(slave.toBuilder().addTopics(topic("OTHER")).build()), "slave topics ignored");
    }

    @Test
    void anyDifferenceIsAChange() {
        RouteImage img = sm.image();
        assertTrue(img.wouldChange(master.toBuilder().setBrokerId(2).build()), "unknown member");
        assertTrue(img.wouldChange(master.toBuilder().setBrokerName("b9").build()), "unknown group");
        assertTrue(img.wouldChange(master.toBuilder().setCluster("c2").build()), "cluster");
        assertTrue(img.wouldChange(master.toBuilder().setBrokerAddr("10.0.0.9:10911").build()), "addr");
        assertTrue(img.wouldChange(master.toBuilder().setHaServerAddr("").build()), "ha addr");
        assertTrue(img.wouldChange(master.toBuilder().setDataVersionCounter(4).build()), "data version counter");
        assertTrue(img.wouldChange(master.toBuilder().setDataVersionTimestamp(101).build()), "data version time");
        // a changed topic config counts only with a changed data version (stock), or when unversioned (0/0)
        RegisterBroker bumped = master.toBuilder().setDataVersionCounter(4).build();
        RegisterBroker unversioned = master.toBuilder().setDataVersionTimestamp(0).setDataVersionCounter(0).build();
        for (RegisterBroker base : List.of(master, bumped, unversioned)) {
            boolean expected = base != master;
            assertEquals(expected, img.wouldChange(base.toBuilder().setTopics(0, topic("T1", 8, 16, 6)).build()),
                    "queue nums, dv " + base.getDataVersionCounter());
            assertEquals(expected, img.wouldChange(base.toBuilder().setTopics(0, topic("T1", 8, 8, 4)).build()),
                    "perm, dv " + base.getDataVersionCounter());
            assertEquals(expected,
                    img.wouldChange(base.toBuilder()
                            .setTopics(0, topic("T1", 8, 8, 6).toBuilder().setTopicSysFlag(1).build()).build()),
                    "sys flag, dv " + base.getDataVersionCounter());
        }
        assertTrue(img.wouldChange(master.toBuilder().addTopics(topic("T3")).build()), "new topic");
        assertTrue(img.wouldChange(slave.toBuilder().setBrokerAddr("10.0.0.3:10911").build()), "slave addr");
        assertTrue(img.wouldChange(master.toBuilder().setTopics(0, topic("T1", -1, 8, 6)).build()),
                "an invalid record never matches");
    }

    @Test
    void wouldChangeValidAgreesWithWouldChangeOnValidRecordsAndLeavesValidationToTheCaller() {
        RouteImage img = sm.image();
        for (RegisterBroker valid : List.of(master, slave, master.toBuilder().removeTopics(1).build(),
                master.toBuilder().setDataVersionCounter(4).build(), master.toBuilder().addTopics(topic("T3")).build(),
                master.toBuilder().setBrokerAddr("10.0.0.9:10911").build())) {
            assertTrue(RecordValidator.validate(valid).isEmpty(), "test data must be valid: " + valid);
            assertEquals(img.wouldChange(valid), img.wouldChangeValid(valid), valid.toString());
        }
        // the same data version with an invalid queue count: only the validating variant sees it (the node validates
        // every registration request before it reaches the write path, RequestValidator)
        RegisterBroker invalid = master.toBuilder().setTopics(0, topic("T1", -1, 8, 6)).build();
        assertTrue(RecordValidator.validate(invalid).isPresent());
        assertTrue(img.wouldChange(invalid));
        assertFalse(img.wouldChangeValid(invalid));
    }

    @Test
    void applyingANoChangeRecordOnlyRefreshesEpochAndTime() {
        RouteImage before = sm.image();
        ApplyResult.Applied a = applied(
                Records.base().setLeaderTimeMs(Records.TIME + 5).setRegisterBroker(master).build());
        RouteImage after = sm.image();
        BrokerMember m0 = before.broker("b1", 0).orElseThrow();
        BrokerMember m1 = after.broker("b1", 0).orElseThrow();
        assertEquals(new BrokerMember(m0.cluster(), m0.brokerName(), m0.brokerId(), m0.addr(), m0.haAddr(),
                m0.dataVersionTimestamp(), m0.dataVersionCounter(), a.index(), Records.TIME + 5, 0), m1);
        assertEquals(before.topics(), after.topics());
        for (String t : before.topics()) {
            assertEquals(before.route(t).orElseThrow().queues(), after.route(t).orElseThrow().queues());
        }
        assertFalse(after.wouldChange(master));
    }
}
