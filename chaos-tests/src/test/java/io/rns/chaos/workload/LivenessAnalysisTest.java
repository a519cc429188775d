package io.rns.chaos.workload;

import io.rns.chaos.report.Divergence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written call records and polls: the false-expiry rule, detection, the bound check, divergence windows. */
class LivenessAnalysisTest {
    static final long MS = 1_000_000L;
    static final LivenessAnalysis.Bound BOUND = LivenessAnalysis.Bound.raft(4000, 3000, 1000, 1000, 100, 1000, 1, 5.0);

    static SimBroker.Call c(String f, long callMs, long retMs, SimBroker.Outcome o) {
        return new SimBroker.Call("*", f, callMs * MS, retMs * MS, o, 7, null);
    }

    static NodePoller.Sample s(long round, String node, String level, long callMs, Set<String> addrs) {
        return new NodePoller.Sample(round, callMs * MS, callMs * MS, (callMs + 5) * MS, node, "T", level,
                addrs != null, addrs, 100, 3, addrs == null ? "UNAVAILABLE" : null);
    }

    @Test
    void boundIsDerivedFromTheConfig() {
        assertEquals(2 * 4000 + 2 * 1000 + 1000 + 100 + 1000, BOUND.boundMs());
        assertEquals(3000, BOUND.falseExpiryThresholdMs(true));
        assertEquals(4000, BOUND.falseExpiryThresholdMs(false));
        assertEquals(BOUND.boundMs() + 400,
                LivenessAnalysis.Bound.raft(4000, 3000, 1000, 1000, 100, 1000, 3, 5.0).boundMs());
    }

    @Test
    void anExpiryWithoutAHeartbeatGapIsFalseAndOneAfterAGapIsNot() {
        List<SimBroker.Call> regular = List.of(c("register", 0, 10, SimBroker.Outcome.OK),
                c("heartbeat", 800, 805, SimBroker.Outcome.OK), c("heartbeat", 1600, 1605, SimBroker.Outcome.OK),
                c("heartbeat", 2400, 2405, SimBroker.Outcome.UNKNOWN_BROKER));
        List<SimBroker.Call> gap = List.of(c("register", 0, 10, SimBroker.Outcome.OK),
                c("heartbeat", 800, 805, SimBroker.Outcome.OK), c("heartbeat", 1600, 3600, SimBroker.Outcome.FAIL),
                c("heartbeat", 4400, 4405, SimBroker.Outcome.UNKNOWN_BROKER));
        LivenessAnalysis.Report r = LivenessAnalysis.analyze(true,
                List.of(new LivenessAnalysis.BrokerRecord("a", "a:1", -1, null, 7, regular),
                        new LivenessAnalysis.BrokerRecord("b", "b:1", -1, null, 7, gap)),
                List.of(), BOUND);
        assertEquals(2, r.expiries());
        assertEquals(1, r.falseExpiries(), r.falseExpiryDetails().toString());
        assertTrue(r.falseExpiryDetails().get(0).startsWith("a "), r.falseExpiryDetails().toString());
        assertEquals(1, r.legitimateExpiryDetails().size());
    }

    @Test
    void detectionAndTheBoundCheckUseLinearizablePolls() {
        long death = 1000;
        List<NodePoller.Sample> polls = new ArrayList<>();
        polls.add(s(0, "n1", "LINEARIZABLE", 2000, Set.of("d:1")));
        polls.add(s(1, "n1", "LINEARIZABLE", 6000, Set.of()));
        for (String n : List.of("n1", "n2")) {
            polls.add(s(0, n, "STALE", 2000, Set.of("d:1")));
            polls.add(s(1, n, "STALE", n.equals("n1") ? 6000 : 9000, Set.of()));
        }
        var ok = LivenessAnalysis.analyze(true,
                List.of(new LivenessAnalysis.BrokerRecord("d", "d:1", death * MS, "HUNG", 7, List.of())), polls, BOUND);
        assertEquals(1, ok.deadBrokers());
        assertEquals(5005, ok.dead().get(0).detectionMs());
        assertEquals(8005, ok.dead().get(0).everywhereMs());
        assertEquals(0, ok.beyondBound());
        assertEquals(0, ok.beyondLeaderBound());
        assertEquals(0, ok.dead().get(0).leaderChanges());

        List<NodePoller.Sample> late = new ArrayList<>(polls);
        late.add(s(2, "n2", "LINEARIZABLE", death + BOUND.boundMs() + 1, Set.of("d:1")));
        var bad = LivenessAnalysis.analyze(true,
                List.of(new LivenessAnalysis.BrokerRecord("d", "d:1", death * MS, "HUNG", 7, List.of())), late, BOUND);
        assertEquals(1, bad.beyondBound());
        assertEquals(1, bad.beyondLeaderBound(), "term 3 answered at 2.005 s, so 5.1 s later it must be gone");
        assertEquals(1, bad.reappeared());
    }

    @Test
    void aLeaderChangeRestartsTheLeaseButEveryLeaderIsHeldToItsOwnBound() {
        long death = 1000;
        List<NodePoller.Sample> polls = new ArrayList<>();
        // term 3 until 4 s, term 4 from 4.5 s, term 5 from 8.5 s: every leader must drop it 5.1 s after its first
        // answer
        long[][] seen = {{2000, 3}, {4500, 4}, {8500, 5}, {12000, 5}};
        for (long[] x : seen) {
            polls.add(new NodePoller.Sample(0, x[0] * MS, x[0] * MS, (x[0] + 5) * MS, "n1", "T", "LINEARIZABLE", true,
                    Set.of("d:1"), 100, x[1], null));
        }
        polls.add(new NodePoller.Sample(0, 13500 * MS, 13500 * MS, 13505 * MS, "n1", "T", "LINEARIZABLE", true,
                Set.of(), 100, 5, null));
        var r = LivenessAnalysis.analyze(true,
                List.of(new LivenessAnalysis.BrokerRecord("d", "d:1", death * MS, "HUNG", 7, List.of())), polls, BOUND);
        assertEquals(2, r.dead().get(0).leaderChanges());
        assertEquals(1, r.multiFailover());
        assertEquals(0, r.beyondBound(), "the single-failover bound does not apply across two leader changes");
        assertEquals(0, r.beyondLeaderBound(), "12.0 s < 8.505 s + 5.1 s");
        polls.add(new NodePoller.Sample(0, 13700 * MS, 13700 * MS, 13705 * MS, "n2", "T", "LINEARIZABLE", true,
                Set.of("d:1"), 100, 5, null));
        var bad = LivenessAnalysis.analyze(true,
                List.of(new LivenessAnalysis.BrokerRecord("d", "d:1", death * MS, "HUNG", 7, List.of())), polls, BOUND);
        assertEquals(1, bad.beyondLeaderBound(), "13.7 s > 8.505 s + 5.1 s");
    }

    /**
     * Seen in CI-like runs: a hung broker's last heartbeat went to a SIGSTOPped leader and failed; the paused node
     * read it on SIGCONT and forwarded it to the new leader, which counted it, so the broker legitimately stayed
     * listed past death + L. The per-leader bound starts from the last possible contact: the end of a pause, a
     * network fault's end plus its length (TCP retransmits), never later for a kill (the process lost its buffers).
     */
    @Test
    void aCallHeldByAFaultMovesTheLastPossibleContact() {
        long death = 1000;
        List<SimBroker.Call> calls = List.of(c("register", 0, 10, SimBroker.Outcome.OK),
                c("heartbeat", 800, 1000, SimBroker.Outcome.FAIL));
        LivenessAnalysis.BrokerRecord b = new LivenessAnalysis.BrokerRecord("d", "d:1", death * MS, "HUNG", 7, calls);
        List<NodePoller.Sample> polls = new ArrayList<>();
        polls.add(s(0, "n1", "LINEARIZABLE", 2000, Set.of("d:1")));
        polls.add(s(1, "n1", "LINEARIZABLE", 8000, Set.of("d:1")));
        polls.add(s(2, "n1", "LINEARIZABLE", 12_700, Set.of()));
        assertEquals(1, beyondLeaderBound(b, polls), "without faults: listed at 8.0 s > 2.005 s + 5.1 s");
        assertEquals(0, beyondLeaderBound(b, polls, fault("pause-leader", 500, 4000)),
                "the paused node could deliver it at 4.0 s; 8.0 s < 9.1 s");
        assertEquals(1, beyondLeaderBound(b, polls, fault("kill-leader", 500, 4000)),
                "a killed node delivers nothing late");
        assertEquals(1, beyondLeaderBound(b, polls, fault("random-halves", 3000, 6000)),
                "a call that ended before the fault began is not held by it");
        List<NodePoller.Sample> later = new ArrayList<>(polls.subList(0, 2));
        later.add(s(2, "n1", "LINEARIZABLE", 12_700, Set.of("d:1")));
        assertEquals(1, beyondLeaderBound(b, later, fault("random-halves", 500, 4000)),
                "a network fault holds it until 4.0 s + 3.5 s at most; listed at 12.7 s > 7.5 s + 5.1 s");
        var pause = LivenessAnalysis.analyze(true, List.of(b), polls, BOUND, List.of(fault("pause-leader", 500, 4000)));
        assertEquals(11_705, pause.dead().get(0).detectionMs(), "detection is still reported from the death");
    }

    static LivenessAnalysis.Fault fault(String name, long startMs, long stopMs) {
        return new LivenessAnalysis.Fault(name, startMs * MS, stopMs * MS);
    }

    static int beyondLeaderBound(LivenessAnalysis.BrokerRecord b, List<NodePoller.Sample> polls,
            LivenessAnalysis.Fault... faults) {
        return LivenessAnalysis.analyze(true, List.of(b), polls, BOUND, List.of(faults)).beyondLeaderBound();
    }

    @Test
    void divergenceWindowsOpenOnDisagreementAndCloseOnAgreement() {
        List<NodePoller.Sample> p = new ArrayList<>();
        long[] t = {0, 150, 300, 450, 600, 750};
        // round 0 agree, 1-2 disagree, 3 undecided (one answer), 4 disagree, 5 agree -> one window 150..750
        String[][] a = {{"x", "x"}, {"x", "y"}, {"x", "y"}, {"x", null}, {"y", "x"}, {"y", "y"}};
        for (int r = 0; r < t.length; r++) {
            for (int n = 0; n < 2; n++) {
                String v = a[r][n];
                p.add(new NodePoller.Sample(r, t[r] * MS, t[r] * MS, (t[r] + 3) * MS, "n" + n, "K", "STALE", v != null,
                        v == null ? null : Set.of(v), -1, -1, null));
            }
        }
        Divergence d = Divergence.compute(p, "STALE");
        assertEquals(List.of(1L, 600L, 600L, 5L, 3L, 0L),
                List.of((long) d.windows(), d.maxWindowMs(), d.totalWindowMs(), (long) d.decidedRounds(),
                        (long) d.divergentRounds(), (long) d.openAtEnd()),
                "windows, maxWindowMs, totalWindowMs, decidedRounds, divergentRounds, openAtEnd: " + d);
    }
}
