package io.rns.chaos.runner;

import io.rns.chaos.checker.Verdict;
import io.rns.chaos.hosts.NetnsSupport;
import io.rns.chaos.nemesis.ClockOffset;
import io.rns.chaos.nemesis.Combined;
import io.rns.chaos.nemesis.IsolateLeader;
import io.rns.chaos.nemesis.KillRestart;
import io.rns.chaos.nemesis.PauseLeader;
import io.rns.chaos.nemesis.RandomHalves;
import io.rns.rpc.v1.Consistency;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short CI chaos suite: real node JVMs in network namespaces, real faults, the linearizability checker. The seed
 * is random per run and printed (reproduce with -Dchaos.seed=N); a failure leaves history.jsonl, results.json and
 * the node logs under target/chaos/&lt;scenario&gt;/&lt;seed&gt;/. No retries: one run, one verdict.
 */
@Tag("cluster")
class ChaosScenariosTest {
    static final Path OUT = Path.of(System.getProperty("chaos.out", "target/chaos"));

    @BeforeEach
    void requireNetns() {
        NetnsSupport.require();
    }

    static long seed() {
        long s = Long.getLong("chaos.seed", System.nanoTime() & 0xffffffffL);
        System.out.println("chaos seed = " + s + " (reproduce with -Dchaos.seed=" + s + ")");
        return s;
    }

    @Test
    void raftModeStaysLinearizableUnderPartitionsKillsAndPauses() throws Exception {
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("raft-3-linearizable-lease", "raft", 3, seed(),
                Duration.ofSeconds(30), List.of(Consistency.LINEARIZABLE, Consistency.LEASE), false,
                List.of(new IsolateLeader(), new KillRestart(), new PauseLeader(), new RandomHalves()), 6, 150, OUT,
                Duration.ofSeconds(5), Duration.ofSeconds(3)));
        assertTrue(r.ops() > 200, "the workload must actually run: " + r.ops() + " ops");
        assertTrue(r.faults().size() >= 2, "faults must actually happen: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }

    @Test
    void leaseReadsStayLinearizableUnderWallClockOffsets() throws Exception {
        NetnsSupport.requireFaketime();
        // every window skews each node's wall clock by up to +-120 s (libfaketime, monotonic clock untouched) while
        // the leader is paused or isolated: jraft's lease runs on the monotonic clock, so LEASE reads must hold
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("raft-3-lease-clock", "raft", 3, seed(),
                Duration.ofSeconds(25), List.of(Consistency.LEASE), false,
                List.of(new Combined(new ClockOffset(120), new PauseLeader()),
                        new Combined(new ClockOffset(120), new IsolateLeader())),
                6, 150, OUT, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        assertTrue(r.ops() > 150, "the workload must actually run: " + r.ops() + " ops");
        assertTrue(r.faults().stream().filter(f -> f.name().startsWith("clock-offset+") && f.phase().equals("start"))
                .count() >= 2, "clock offsets must actually be applied: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }

    @Test
    void aLateCopyOfARegistrationIsFencedByClientSessions() throws Exception {
        // track record #2/#3 made deterministic: a registration's first attempt waits in a paused follower's socket
        // buffer while the client's retry and then its unregistration succeed elsewhere; the follower then resumes
        assertLateCopiesRefused("late-delivery", true, false, "STALE_SEQUENCE");
    }

    @Test
    void theSameLateCopyResurrectsTheBrokerWithoutSessions() throws Exception {
        // the behaviour before sessions (every write at-least-once): the checker must find the resurrection
        ChaosRun.Result r = LateDeliveryRun
                .run(new LateDeliveryRun.Config("late-delivery-at-least-once", 3, seed(), 4, false, false, OUT));
        assertEquals(Verdict.INVALID, r.verdict(),
                "without sessions a late copy is applied after the unregistration; see " + r.dir() + "\n"
                        + r.check().summary());
    }

    @Test
    void aLateCopyOfAVersionedRegistrationIsFencedByTheBrokersTombstone() throws Exception {
        // as a RocketMQ broker writes: no session, a data version; the unregistration leaves a tombstone
        assertLateCopiesRefused("late-delivery-versioned", false, true, "STALE_REGISTRATION");
    }

    /** Runs the late-delivery scenario; the history must be linearizable and the late copies refused with {@code code}. */
    private static void assertLateCopiesRefused(String name, boolean sessions, boolean versioned, String code)
            throws Exception {
        ChaosRun.Result r = LateDeliveryRun
                .run(new LateDeliveryRun.Config(name, 3, seed(), 4, sessions, versioned, OUT));
        ScenarioAssertions.assertLinearizableAndClean(r);
        assertTrue(LateDeliveryRun.lateCopiesRefused(r.dir()) >= 1,
                "the late copies must actually arrive and be refused (" + code + "); see " + r.dir());
    }

    @Test
    void acknowledgedRegistrationsSurviveKillingEveryNodeAtOnce() throws Exception {
        // disk-backed data dirs, raft.sync on: SIGKILL all nodes mid-write, restart, every acknowledged write is there
        // (3 cycles in CI; -Dchaos.durability.cycles=20 for the documented evidence run)
        int cycles = Integer.getInteger("chaos.durability.cycles", 3);
        DurabilityRun.Result r = DurabilityRun
                .run(new DurabilityRun.Config("durability", 3, seed(), cycles, 3, Duration.ofSeconds(3), OUT));
        assertTrue(r.acknowledged() > 50, "the writers must actually write: " + r.acknowledged());
        assertTrue(r.clean(), "lost " + r.lost() + ", nodes disagree on " + r.disagree() + " topics: " + r.problems()
                + "; see " + r.dir());
    }

    @Test
    void aNodeWhoseDiskFillsUpHaltsSafelyAndRejoinsOnceSpaceIsFreed() throws Exception {
        DiskFullRun.Result r = DiskFullRun.run(new DiskFullRun.Config("diskfull", seed(), OUT));
        assertTrue(r.clean(), r + "; see " + r.dir());
    }

    @Test
    void raftModeStaysLinearizableWhenBrokersOrReadersReachOnlySomeNodes() throws Exception {
        // the comparison's faults (scripts/chaos.sh compare-modes): a node that loses every broker, brokers or
        // readers that reach only some nodes, plus kill/restart, isolation and random halves
        ChaosRun.Result r = ChaosRun
                .run(io.rns.chaos.ChaosMain.config("fair-raft", 3, seed(), Duration.ofSeconds(25), OUT));
        assertTrue(r.ops() > 150, "the workload must actually run: " + r.ops() + " ops");
        assertTrue(r.faults().size() >= 2, "faults must actually happen: " + r.faults());
        ScenarioAssertions.assertLinearizableAndClean(r);
    }

    @Test
    void watchersSeeEachRouteOnceInOrderAcrossLeaderChangesPartitionsAndRestarts() throws Exception {
        WatchRun.Result r = WatchRun.run(new WatchRun.Config("raft-3-watch", seed(), Duration.ofSeconds(20),
                List.of(new IsolateLeader(), new KillRestart(), new RandomHalves()), 2, 6, 4, OUT,
                Duration.ofSeconds(4), Duration.ofSeconds(2)));
        assertTrue(r.acknowledged() > 100, "the writers must actually write: " + r.acknowledged());
        assertTrue(r.notifications() > 100, "the watchers must actually be told: " + r.notifications());
        assertTrue(r.faults().size() >= 2, "faults must actually happen: " + r.faults());
        assertTrue(r.clean(), r.problems() + "; see " + r.dir());
    }

    @Test
    void theCheckerCatchesADeliberatelyUnsafeReadPath() throws Exception {
        // replica-local reads labelled LINEARIZABLE (test-only server flag): the harness must find the lie
        ChaosRun.Result r = ChaosRun
                .run(new ChaosRun.Config("raft-3-unsafe-reads", "raft", 3, seed(), Duration.ofSeconds(25),
                        List.of(Consistency.LINEARIZABLE), true, List.of(new IsolateLeader(), new RandomHalves()), 6,
                        150, OUT, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        assertEquals(Verdict.INVALID, r.verdict(), "the checker must catch stale reads labelled LINEARIZABLE; see "
                + r.dir() + "\n" + r.check().summary());
    }

    @Test
    void leaderlessModeAnomaliesAreDetectedAndReported() throws Exception {
        // the stock design: a node that restarts comes back empty and answers from its own table
        ChaosRun.Result r = ChaosRun.run(new ChaosRun.Config("leaderless-3-kill", "leaderless", 3, seed(),
                Duration.ofSeconds(25), List.of(Consistency.STALE), false, List.of(new KillRestart()), 6, 150, OUT,
                Duration.ofSeconds(4), Duration.ofSeconds(2)));
        assertEquals(Verdict.INVALID, r.verdict(), "the harness must detect the leaderless design's anomalies; see "
                + r.dir() + "\n" + r.check().summary());
    }
}
