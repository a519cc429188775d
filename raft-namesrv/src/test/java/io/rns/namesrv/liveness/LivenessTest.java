package io.rns.namesrv.liveness;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.UnregisterBroker;
import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.NodeStack;
import io.rns.namesrv.api.RequestDispatcher;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader-held leases on a manual monotonic clock against the in-memory consensus stand-in. */
class LivenessTest {
    @TempDir
    Path dir;

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    InMemoryConsensus consensus;
    LivenessService liveness;
    RequestDispatcher dispatcher;
    final List<Runnable> closeHooks = new ArrayList<>();

    /** An Error the monotonic clock throws once, on the next call from a thread named {@code rns-liveness-test}. */
    final AtomicReference<Error> scanThreadError = new AtomicReference<>();
    final CountDownLatch errorThrown = new CountDownLatch(1);

    private long clock() {
        if (Thread.currentThread().getName().startsWith("rns-liveness-test")) {
            Error e = scanThreadError.getAndSet(null);
            if (e != null) {
                errorThrown.countDown();
                throw e;
            }
        }
        return now.get();
    }

    private void setUp(LivenessConfig cfg) {
        NamesrvConfig config = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 1001, 1002), new Member("n2", "127.0.0.1", 1003, 1004)))
                .dataDir(dir).liveness(cfg).build();
        consensus = new InMemoryConsensus(dir.resolve("sm"));
        Clock wall = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        // on the leader, a closed connection makes the broker a suspect (as ConnectionLoss does)
        NodeStack node = new NodeStack(config, consensus, wall, this::clock, Consistency.LINEARIZABLE,
                (key, epoch) -> liveness.tracker().connectionClosed(key, epoch));
        liveness = node.liveness;
        consensus.becomeLeader(1);
        dispatcher = node.dispatcher;
    }

    @AfterEach
    void tearDown() {
        if (consensus != null) {
            consensus.close();
        }
    }

    static LivenessConfig cfg(double rate, int burst, double massFraction) {
        return new LivenessConfig(10_000, 1_000, 300_000, 3_000, 100, rate, burst, massFraction);
    }

    private void advanceMs(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private InboundContext ctx(long connectionId, long arrivalNanos) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        return new InboundContext() {
            public String remoteAddress() {
                return "127.0.0.1:" + connectionId;
            }

            public long connectionId() {
                return connectionId;
            }

            public long deadlineNanos() {
                return deadline;
            }

            public long arrivalNanos() {
                return arrivalNanos;
            }

            public boolean isConnectionOpen() {
                return true;
            }

            public void onConnectionClose(Runnable r) {
                closeHooks.add(r);
            }
        };
    }

    private CompletableFuture<ResponseEnvelope> send(RequestEnvelope.Builder req, long connectionId) {
        return dispatcher.handle(req.build(), ctx(connectionId, now.get()));
    }

    static RegisterBrokerRequest.Builder broker(String cluster, String name, String... topics) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setCluster(cluster).setBrokerName(name)
                .setBrokerId(0).setBrokerAddr("127.0.0.1:" + (10000 + Math.abs(name.hashCode() % 50000)));
        for (String t : topics) {
            b.addTopics(TopicConfig.newBuilder().setTopic(t).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6));
        }
        return b;
    }

    /** Starts with a 10 s broker timeout, expiries at 5/s (burst 10, mass fraction 0.5); registers b1 serving T1. */
    private long startWithB1() {
        setUp(cfg(5, 10, 0.5));
        return register(broker("c1", "b1", "T1"));
    }

    private long register(RegisterBrokerRequest.Builder b) {
        ResponseEnvelope r = send(RequestEnvelope.newBuilder().setRegisterBroker(b), 1).join();
        assertEquals(ErrorCode.OK, r.getHeader().getCode(), r.getHeader().getMessage());
        return r.getRegisterBroker().getBrokerEpoch();
    }

    private ErrorCode heartbeat(String name, long epoch, long arrivalNanos, int queuedMs) {
        return heartbeat(name, epoch, 0, arrivalNanos, queuedMs);
    }

    private ErrorCode heartbeat(String name, long epoch, long sequence, long arrivalNanos, int queuedMs) {
        RequestEnvelope req = RequestEnvelope.newBuilder().setQueuedMs(queuedMs)
                .setHeartbeat(HeartbeatRequest.newBuilder().setCluster("c1").setBrokerName(name).setBrokerId(0)
                        .setBrokerEpoch(epoch).setSequence(sequence))
                .build();
        return dispatcher.handle(req, ctx(1, arrivalNanos)).join().getHeader().getCode();
    }

    private boolean present(String name) {
        return consensus.image().broker(name, 0).isPresent();
    }

    /** Broker b1 is still listed {@code ms - 1} ms from now (scanned) and expired at {@code ms} (scanned). */
    private void expiresIn(long ms, String stillListed, String expired) {
        advanceMs(ms - 1);
        liveness.scanOnce();
        assertTrue(present("b1"), stillListed);
        advanceMs(1);
        liveness.scanOnce();
        assertFalse(present("b1"), expired);
    }

    @Test
    void noExpiryBeforeTheTimeoutAndExpiryAtIt() {
        long epoch = startWithB1();
        advanceMs(9_999);
        liveness.scanOnce();
        assertTrue(present("b1"));
        assertEquals(0, liveness.expiriesProposed());
        advanceMs(1);
        liveness.scanOnce();
        assertFalse(present("b1"), "lease of 10 s ran out");
        assertFalse(consensus.image().route("T1").isPresent(), "its routes are gone with it");
        assertEquals(1, liveness.expiriesApplied());
        LogRecord last = consensus.proposed.get(consensus.proposed.size() - 1);
        assertEquals(UnregisterBroker.Reason.EXPIRED, last.getUnregisterBroker().getReason());
        assertEquals(epoch, last.getUnregisterBroker().getBrokerEpoch(), "the expiry is conditional on the epoch");
        assertEquals(1_700_000_000_000L, last.getLeaderTimeMs());
    }

    /**
     * queued_ms is a uint32: a sender that puts 2^31 or more there (read as a negative int before) set the contact up
     * to ~24 days in the future and kept a dead broker routed for weeks. Now such a heartbeat cannot move the contact
     * past its arrival, so it extends nothing beyond it and the broker expires on time.
     */
    @ParameterizedTest
    @ValueSource(ints = {-1 /* 2^32-1 */, Integer.MIN_VALUE /* 2^31 */})
    void aHugeQueuedTimeNeverPutsContactInTheFuture(int queuedMs) {
        long epoch = startWithB1();
        advanceMs(5_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, now.get(), queuedMs));
        advanceMs(5_000);
        liveness.scanOnce();
        assertFalse(present("b1"), "queued_ms " + Integer.toUnsignedString(queuedMs)
                + " must not extend the lease that ran out 10 s after the registration");
    }

    /**
     * Track record #6: a class that failed to load in the middle of a scan (its class file was being rewritten by a
     * build under the running node) threw an Error out of the scheduled scan task, which ended every later scan
     * without a word, and the leader never expired another broker. The scan now outlives any Throwable.
     */
    @Test
    void theScheduledScanOutlivesAnErrorThrownInsideOneScan() throws Exception {
        startWithB1();
        advanceMs(10_000); // the lease has run out: the next scan that completes proposes the expiry
        scanThreadError.set(new NoClassDefFoundError("io/rns/namesrv/liveness/LeaseTracker$Expiry (test)"));
        ScheduledExecutorService executor = Executors
                .newSingleThreadScheduledExecutor(DaemonThreads.named("rns-liveness-test"));
        try {
            liveness.start(executor);
            assertTrue(errorThrown.await(10, TimeUnit.SECONDS), "the first scheduled scan must meet the Error");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (present("b1") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertFalse(present("b1"), "a later scan must still run and expire the broker whose lease ran out");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void heartbeatsKeepABrokerAliveAndAQueuedHeartbeatCountsFromItsArrival() {
        long epoch = startWithB1();
        for (int i = 0; i < 20; i++) {
            advanceMs(2_000);
            assertEquals(ErrorCode.OK, heartbeat("b1", epoch, now.get(), 0));
            liveness.scanOnce();
        }
        assertTrue(present("b1"));
        // a heartbeat that arrived before the deadline but is handled after it still counts (KAFKA-15019)
        long arrived = now.get() + TimeUnit.MILLISECONDS.toNanos(9_500);
        advanceMs(10_500);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, arrived, 0));
        liveness.scanOnce();
        assertTrue(present("b1"), "the queued heartbeat's arrival time is its contact time");
        // a forwarded heartbeat that waited 3 s on a follower counts from when it reached the follower
        advanceMs(4_500); // last contact (the queued heartbeat) is now 5.5 s old
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, now.get(), 3_000)); // contact = now - 3 s
        expiresIn(7_000, "within 10 s of (arrival - queued_ms)",
                "expired 10 s after (arrival - queued_ms), not 10 s after the leader saw it");
    }

    /**
     * Seen in a chaos run: a broker's heartbeat went to a follower that was SIGSTOPped, its client retried on the
     * leader, later heartbeats followed, then the broker hung. When the follower resumed it forwarded the held copy,
     * and the leader counted it as fresh contact: the hung broker stayed listed 3 s past its lease. A numbered
     * heartbeat now counts once: a copy whose number was already passed (or reached) renews nothing and is answered OK.
     */
    @Test
    void aLateCopyOfANumberedHeartbeatRenewsNothing() {
        long epoch = startWithB1();
        advanceMs(1_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 7, now.get(), 0)); // via the leader, after a retry
        advanceMs(1_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 8, now.get(), 0)); // the last one: deadline 2 s + 10 s
        advanceMs(3_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 7, now.get(), 0), "the held copy is answered as #7 was");
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 8, now.get(), 0), "and so is a retry of #8");
        assertEquals(2, liveness.tracker().heartbeatCopiesIgnored());
        expiresIn(7_000, "11.999 s: within 10 s of heartbeat #8",
                "expired 10 s after heartbeat #8; neither copy renewed the lease");
    }

    /**
     * A broker process that restarts registers the same registration again, which keeps its epoch, and its new
     * registrar numbers heartbeats from 1: the registration starts the numbering over, so they renew the lease.
     */
    @Test
    void aRegistrationStartsTheNumberingOver() {
        long epoch = startWithB1();
        advanceMs(1_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 500, now.get(), 0)); // the old process, heartbeat #500
        advanceMs(1_000);
        assertEquals(epoch, register(broker("c1", "b1", "T1")), "an unchanged registration keeps the epoch");
        advanceMs(8_000); // 10 s
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 1, now.get(), 0)); // the new process, heartbeat #1
        advanceMs(9_999);
        liveness.scanOnce();
        assertTrue(present("b1"), "heartbeat #1 after the registration renewed the lease to 20 s");
        assertEquals(0, liveness.tracker().heartbeatCopiesIgnored());
    }

    /** Stock RocketMQ brokers send no number (0): every such heartbeat renews, as before. */
    @Test
    void unnumberedHeartbeatsAlwaysRenew() {
        long epoch = startWithB1();
        advanceMs(1_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 5, now.get(), 0));
        advanceMs(4_000);
        assertEquals(ErrorCode.OK, heartbeat("b1", epoch, 0, now.get(), 0));
        expiresIn(10_000, "the unnumbered heartbeat at 5 s renewed the lease to 15 s", "expired at 15 s");
        assertEquals(0, liveness.tracker().heartbeatCopiesIgnored());
    }

    @Test
    void aNewLeaderGrantsAFullLeaseBeforeExpiringAnyone() {
        startWithB1();
        advanceMs(9_000);
        consensus.stepDown("n2");
        advanceMs(500);
        liveness.scanOnce();
        assertTrue(present("b1"));
        assertEquals(0, liveness.expiriesProposed(), "a follower never proposes expiries");
        consensus.becomeLeader(2);
        // 19.5 s after the last contact, but only 9.999 s into the new leader's term
        expiresIn(10_000, "grace: full lease from the leader change", "expired a full lease after the leader change");
    }

    @Test
    void aConditionalExpiryLosesTheRaceToAReRegistration() {
        setUp(cfg(5, 10, 0.5));
        long e1 = register(broker("c1", "b1", "T1"));
        advanceMs(10_000);
        consensus.holding = true;
        // the broker comes back with a change; its registration is in flight when the scan decides to expire e1
        CompletableFuture<ResponseEnvelope> reRegistration = send(
                RequestEnvelope.newBuilder().setRegisterBroker(broker("c1", "b1", "T1", "T2")), 1);
        liveness.scanOnce();
        assertEquals(1, liveness.expiriesProposed());
        consensus.release(); // log order: re-registration, then the expiry of e1
        long e2 = reRegistration.join().getRegisterBroker().getBrokerEpoch();
        assertTrue(e2 > e1);
        assertTrue(present("b1"), "the expiry named the old epoch: rejected, the broker survives");
        assertEquals(e2, consensus.image().broker("b1", 0).orElseThrow().epoch());
        assertEquals(0, liveness.expiriesApplied());
        liveness.scanOnce();
        assertTrue(present("b1"), "the new epoch has a fresh lease");
    }

    @Test
    void staleEpochsAreRejectedForHeartbeatAndUnregister() {
        setUp(cfg(5, 10, 0.5));
        long e1 = register(broker("c1", "b1", "T1"));
        long e2 = register(broker("c1", "b1", "T1", "T2"));
        assertTrue(e2 > e1);
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, heartbeat("b1", e1, now.get(), 0));
        assertEquals(ErrorCode.UNKNOWN_BROKER, heartbeat("nobody", e1, now.get(), 0));
        ResponseEnvelope u = send(RequestEnvelope.newBuilder().setUnregisterBroker(UnregisterBrokerRequest.newBuilder()
                .setCluster("c1").setBrokerName("b1").setBrokerId(0).setBrokerEpoch(e1)), 1).join();
        assertEquals(ErrorCode.STALE_BROKER_EPOCH, u.getHeader().getCode());
        assertTrue(present("b1"), "a zombie incarnation can neither refresh nor remove the newer one");
        assertEquals(ErrorCode.OK, heartbeat("b1", e2, now.get(), 0));
        // the same fencing holds in apply, whoever proposes
        ApplyResult r = consensus.propose(
                LogRecord.newBuilder().setFormatVersion(1)
                        .setUnregisterBroker(UnregisterBroker.newBuilder().setCluster("c1").setBrokerName("b1")
                                .setBrokerId(0).setBrokerEpoch(e1).setReason(UnregisterBroker.Reason.EXPIRED))
                        .build(),
                1000).join();
        assertEquals(RejectReason.STALE_BROKER_EPOCH, assertInstanceOf(ApplyResult.Rejected.class, r).reason());
    }

    @Test
    void expiriesAreRateLimited() {
        setUp(cfg(2, 3, 1.0)); // 2/s, burst 3; guard off (fraction 1.0 can never be exceeded)
        for (int i = 0; i < 6; i++) {
            register(broker("c" + i, "b" + i, "T" + i));
        }
        advanceMs(10_000);
        liveness.scanOnce();
        assertEquals(3, liveness.expiriesApplied(), "the burst");
        advanceMs(100);
        liveness.scanOnce();
        assertEquals(3, liveness.expiriesApplied(), "no token yet");
        advanceMs(400);
        liveness.scanOnce();
        assertEquals(4, liveness.expiriesApplied(), "one token per 500 ms");
        advanceMs(1_000);
        liveness.scanOnce();
        assertEquals(6, liveness.expiriesApplied());
        assertEquals(0, liveness.tracker().massExpiryWarnings());
    }

    /** Rate 2/s, burst 10, guard at 50 %; brokers b0..b9 of cluster c1 registered; their epochs. */
    private List<Long> tenBrokersWithTheGuard() {
        setUp(cfg(2, 10, 0.5));
        List<Long> epochs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            epochs.add(register(broker("c1", "b" + i, "T" + i)));
        }
        return epochs;
    }

    @Test
    void theMassExpiryGuardSlowsExpiriesAndWarns() {
        List<Long> epochs = tenBrokersWithTheGuard();
        advanceMs(10_000);
        for (int i = 0; i < 4; i++) { // 4 of 10 keep heartbeating; 6 (> 50%) fall silent at once
            assertEquals(ErrorCode.OK, heartbeat("b" + i, epochs.get(i), now.get(), 0));
        }
        liveness.scanOnce();
        assertEquals(1, liveness.expiriesApplied(), "guarded: no burst, although 10 tokens are available");
        assertTrue(liveness.tracker().massExpiryWarnings() >= 1, "a loud warning, never a silent mass drop");
        advanceMs(100);
        liveness.scanOnce();
        assertEquals(1, liveness.expiriesApplied());
        advanceMs(400);
        liveness.scanOnce();
        assertEquals(2, liveness.expiriesApplied(), "one per 1/rate = 500 ms");
        for (int i = 0; i < 8; i++) {
            advanceMs(500);
            for (int b = 0; b < 4; b++) {
                heartbeat("b" + b, epochs.get(b), now.get(), 0);
            }
            liveness.scanOnce();
        }
        assertEquals(6, liveness.expiriesApplied(), "the dead ones do go, at the rate limit");
        for (int i = 0; i < 4; i++) {
            assertTrue(present("b" + i), "heartbeating brokers survive");
        }
    }

    @Test
    void aFewExpiriesInALargeClusterAreNotGuarded() {
        List<Long> epochs = tenBrokersWithTheGuard();
        advanceMs(10_000);
        for (int i = 0; i < 8; i++) {
            heartbeat("b" + i, epochs.get(i), now.get(), 0);
        }
        liveness.scanOnce();
        assertEquals(2, liveness.expiriesApplied(), "2 of 10: both in one scan");
        assertEquals(0, liveness.tracker().massExpiryWarnings());
    }

    @Test
    void aClosedBoundConnectionMakesTheBrokerASuspectUntilItHeartbeats() {
        setUp(cfg(5, 10, 0.5));
        long e1 = register(broker("c1", "b1", "T1").setBindConnection(true));
        long e2 = register(broker("c1", "b2", "T2").setBindConnection(true));
        assertEquals(1, closeHooks.size(), "one close hook per connection");
        closeHooks.get(0).run();
        assertEquals(2, liveness.tracker().suspects());
        advanceMs(2_000);
        assertEquals(ErrorCode.OK, heartbeat("b2", e2, now.get(), 0)); // b2 heartbeats through another connection
        advanceMs(1_000);
        liveness.scanOnce();
        assertFalse(present("b1"), "suspect lease (3 s) ran out long before the 10 s lease");
        assertTrue(present("b2"), "a heartbeat clears the suspicion");
        assertTrue(e1 > 0);
    }

    @Test
    void contactThatArrivedBeforeTheCloseReportDoesNotClearTheSuspicion() {
        setUp(cfg(5, 10, 0.5));
        long e1 = register(broker("c1", "b1", "T1").setBindConnection(true));
        long sentBeforeDeath = now.get(); // a copy of the registration/heartbeat that arrived before the broker died
        advanceMs(100);
        closeHooks.get(0).run(); // then its connection closed
        assertEquals(1, liveness.tracker().suspects());
        advanceMs(50);
        // the old copy reaches the leader only now (forwarded, or confirmed unchanged after a read barrier)
        assertEquals(ErrorCode.OK, heartbeat("b1", e1, sentBeforeDeath, 0));
        assertEquals(1, liveness.tracker().suspects(), "contact older than the close report is old news");
        advanceMs(3_000);
        liveness.scanOnce();
        assertFalse(present("b1"), "gone after the suspect lease, not after its 10 s lease");
    }

    @Test
    void aSuspectThatRegistersWithEveryNodeAndNoMemberHoldsAConnectionOfIsDueAtOnceUnlessContactClearedIt() {
        setUp(cfg(5, 10, 0.5));
        long e1 = register(broker("c1", "b1", "T1").setBindConnection(true).setRegistersWithEveryNode(true));
        long e2 = register(broker("c1", "b2", "T2").setBindConnection(true).setRegistersWithEveryNode(true));
        long e3 = register(broker("c1", "b3", "T3").setBindConnection(true)); // one node at a time (the registrar)
        BrokerKey b1 = new BrokerKey("b1", 0);
        BrokerKey b2 = new BrokerKey("b2", 0);
        assertFalse(liveness.tracker().allConnectionsClosed(b1, e1), "not a suspect yet: nothing to hurry");
        closeHooks.get(0).run();
        advanceMs(10);
        assertEquals(ErrorCode.OK, heartbeat("b2", e2, now.get(), 0)); // b2 is heard from again
        assertFalse(liveness.tracker().allConnectionsClosed(b1, e1 + 1), "another epoch of b1 is not this one");
        assertTrue(liveness.tracker().allConnectionsClosed(b1, e1));
        assertFalse(liveness.tracker().allConnectionsClosed(b2, e2), "contact after the close cleared b2's suspicion");
        assertFalse(liveness.tracker().allConnectionsClosed(new BrokerKey("b3", 0), e3),
                "a broker that talks to one node at a time keeps the suspect lease");
        liveness.scanOnce();
        assertFalse(present("b1"), "due at once: no suspect lease, no 10 s lease");
        assertTrue(present("b2"));
        assertTrue(present("b3"));
    }
}
