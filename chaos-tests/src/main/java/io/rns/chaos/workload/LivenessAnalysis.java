package io.rns.chaos.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Workload (c) "liveness", the analysis: false expiries of heartbeating brokers and detection times of dead ones,
 * from the brokers' own call records ({@link SimBroker.Call}) and the all-node polls ({@link NodePoller.Sample}).
 *
 * <p><b>False expiry.</b> The harness knows when each register/heartbeat was invoked and answered. An acknowledged
 * (OK) heartbeat reached the leader (Raft: heartbeats are served by the leader, followers forward them) somewhere
 * between its invocation and its answer, so between two consecutive OK contacts {@code a}, {@code b} of one epoch
 * the leader went at most {@code b.ret - a.call} without hearing from the broker. When a heartbeat is answered
 * UNKNOWN_BROKER (the epoch is gone: expired), the broker's longest possible silence is the largest such gap up to
 * that answer. If it is shorter than the shortest deadline the server may legitimately apply — {@code min(lease,
 * suspect lease)} in Raft mode (a closed bound connection shortens a lease to the suspect lease), the lease in
 * leaderless mode — the expiry is <b>false</b>: the broker was expired while its heartbeats kept reaching the
 * leader. Longer gaps (heartbeats failing during a fault) make the expiry legitimate; it is counted, not failed.
 * Leaderless: per node, and an UNKNOWN_BROKER after any failed call to that node is not counted as false (the node
 * may have restarted empty, as the stock NameServer does).
 *
 * <p><b>Detection.</b> A dead broker's clock starts when its last call has returned (for the bounds: at its last
 * possible contact, see "Late copies" below). Raft: detection time = answer time of the first LINEARIZABLE poll invoked after the death that no longer
 * lists the broker, minus the death; a LINEARIZABLE poll <i>invoked</i> later than death + bound that still lists it
 * proves the bound was exceeded (independent of how often polls succeed). "Everywhere" = per node, the first STALE
 * poll from which on that node never lists the broker again (Raft: at an applied index at or above the broker's
 * registration, so a node replaying its log after a restart is not counted as having removed it), the maximum over
 * nodes. Leaderless: detection = everywhere (nodes decide alone).
 *
 * <p><b>Two bounds (Raft).</b> The README's worst case ({@link Bound#raft}) assumes at most one leader change
 * between the death and the expiry; every new leader grants every broker a full lease, so with k leader changes in
 * that window detection can take about (k+1)·L. Under a nemesis that targets the leader every few seconds on an
 * overloaded machine (jraft leaders also step down when their heartbeats are starved) k can exceed 1. So: (1) the
 * worst-case bound is checked for brokers whose detection window saw at most one leader change (terms of the
 * LINEARIZABLE polls), the others are counted as "more than one leader change"; (2) for every broker, the
 * per-leader bound: a LINEARIZABLE poll answered in term T and invoked later than max(death, the first answer seen
 * in term T) + L + scan + commit allowance that still lists the broker proves that the leader of T kept a dead
 * broker longer than its lease (the first answer of T comes after that leader's takeover, so this never blames a
 * leader for time before it led).
 *
 * <p><b>Late copies.</b> A request can reach the leader after the call that sent it has returned: a paused node reads
 * its socket when it resumes and forwards what it finds, and segments dropped by a partition are retransmitted by TCP
 * after the heal (with exponential back-off, up to about the partition's length later). The leader counts contact on
 * arrival (the safe side: a live broker is never expired early), so such a copy legitimately restarts a lease after
 * the broker's death. Heartbeat numbering fences copies the leader has already passed; a leader elected after the
 * broker's last counted heartbeat has passed none. So both bounds start from the broker's <i>last possible
 * contact</i>: its death, or, for any of its calls that overlapped a fault window, the latest time that fault could
 * still deliver it ({@link Fault#deliverableUntil}). Detection times are still reported from the death.
 */
public final class LivenessAnalysis {
    private LivenessAnalysis() {
    }

    /** The detection bound and where it comes from (all ms). */
    public record Bound(long leaseMs, long suspectMs, long electionTimeoutMs, long maxElectionDelayMs, long scanMs,
            long commitAllowanceMs, long guardMs, long boundMs, String formula) {

        /**
         * Raft (README "Detection time", worst case): the leader dies just before expiring the broker, so almost a
         * whole lease is lost, an election starts up to {@code 2ET + delay} later (jraft's election timer ticks every
         * ET + a random [0, delay) and is not reset by heartbeats; a tick starts an election only when the leader has
         * been silent for ET, so the first tick after a crash can come almost a whole period after the leader's last
         * heartbeat + ET), the new leader grants a full lease, then one scan and one commit:
         * {@code 2L + 2ET + delay + s + c}, plus the mass-expiry guard's
         * spacing {@code (k-1)/rate} for k brokers dying within one lease of each other.
         */
        public static Bound raft(long leaseMs, long suspectMs, long electionTimeoutMs, long maxElectionDelayMs,
                long scanMs, long commitAllowanceMs, int concurrentDeaths, double expiryRatePerSec) {
            long guard = (long) Math.ceil(Math.max(0, concurrentDeaths - 1) * 1000.0 / expiryRatePerSec);
            long b = 2 * leaseMs + 2 * electionTimeoutMs + maxElectionDelayMs + scanMs + commitAllowanceMs + guard;
            return new Bound(leaseMs, suspectMs, electionTimeoutMs, maxElectionDelayMs, scanMs, commitAllowanceMs,
                    guard, b,
                    String.format(Locale.ROOT,
                            "2*L(%d) + 2*ET(%d) + election delay(%d) + scan(%d) + commit(%d) + " + "guard(%d) = %d ms",
                            leaseMs, electionTimeoutMs, maxElectionDelayMs, scanMs, commitAllowanceMs, guard, b));
        }

        /** Leaderless (stock): each node on its own clock: {@code L + scan + c}; no election, no hand-over. */
        public static Bound leaderless(long leaseMs, long scanMs, long commitAllowanceMs) {
            long b = leaseMs + scanMs + commitAllowanceMs;
            return new Bound(leaseMs, 0, 0, 0, scanMs, commitAllowanceMs, 0, b, String.format(Locale.ROOT,
                    "L(%d) + scan(%d) + apply(%d) = %d ms (each node alone)", leaseMs, scanMs, commitAllowanceMs, b));
        }

        public long falseExpiryThresholdMs(boolean raft) {
            return raft && suspectMs > 0 ? Math.min(leaseMs, suspectMs) : leaseMs;
        }
    }

    /**
     * One fault window (history ns). What it may hold back and deliver late depends on the kind, by name: a killed
     * process loses its buffers (nothing late); a paused one reads them when it resumes (until the stop); any other
     * fault is taken as a network fault, whose dropped segments TCP retransmits up to about its length after the heal.
     */
    public record Fault(String name, long startNanos, long stopNanos) {
        public long deliverableUntil() {
            if (name.startsWith("kill")) {
                return Long.MIN_VALUE;
            }
            if (name.startsWith("pause")) {
                return stopNanos;
            }
            return stopNanos + (stopNanos - startNanos);
        }

        boolean overlaps(long fromNanos, long toNanos) {
            return fromNanos <= stopNanos && startNanos <= toNanos;
        }
    }

    /** One dead broker. Times in ms; -1 = never seen. */
    public record DeadBroker(String name, String death, double deathS, long detectionMs, long lastPresentMs,
            long everywhereMs, Map<String, Long> perNodeMs, boolean beyondBound, int reappeared, int leaderChanges,
            boolean beyondLeaderBound) {
    }

    public record Report(boolean raft, int brokers, int deadBrokers, int detected, int undetected,
            long detectionMedianMs, long detectionMaxMs, long everywhereMedianMs, long everywhereMaxMs, long boundMs,
            String boundFormula, int beyondBound, int multiFailover, int beyondLeaderBound, long leaderBoundMs,
            int reappeared, int heartbeatsOk, int heartbeatsFailed, int expiries, int falseExpiries,
            long falseExpiryThresholdMs, List<String> falseExpiryDetails, List<String> legitimateExpiryDetails,
            List<DeadBroker> dead) {

        public String summary() {
            return String.format(Locale.ROOT,
                    "brokers=%d dead=%d detected=%d undetected=%d | detection median %s max %s"
                            + " | everywhere median %s max %s | bound %d ms (%s) beyond=%d (not applicable: %d, more than one"
                            + " leader change) | per leader: L + scan + commit = %d ms after the last possible contact or the leader's"
                            + " first answer, beyond=%d | reappeared=%d | heartbeats ok=%d"
                            + " failed=%d | expiries=%d false=%d (threshold %d ms)",
                    brokers, deadBrokers, detected, undetected, ms(detectionMedianMs), ms(detectionMaxMs),
                    ms(everywhereMedianMs), ms(everywhereMaxMs), boundMs, boundFormula, beyondBound, multiFailover,
                    leaderBoundMs, beyondLeaderBound, reappeared, heartbeatsOk, heartbeatsFailed, expiries,
                    falseExpiries, falseExpiryThresholdMs);
        }

        /** For the comparison table: "median 2.1 s / max 4.3 s (bound 11.1 s; 9 dead, 0 undetected)". */
        public String detectionCell() {
            if (deadBrokers == 0) {
                return "n/a (no broker died)";
            }
            return String.format(Locale.ROOT, "median %s / max %s (bound %.1f s; %d dead, %d undetected%s%s%s)",
                    ms(raft ? detectionMedianMs : everywhereMedianMs), ms(raft ? detectionMaxMs : everywhereMaxMs),
                    boundMs / 1000.0, deadBrokers, undetected, beyondBound > 0 ? ", " + beyondBound + " beyond" : "",
                    multiFailover > 0 ? ", " + multiFailover + " across >1 leader change" : "",
                    beyondLeaderBound > 0 ? ", " + beyondLeaderBound + " beyond the per-leader bound" : "");
        }
    }

    static String ms(long v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f s", v / 1000.0);
    }

    /** Input about one broker, decoupled from {@link SimBroker} for tests. */
    public record BrokerRecord(String name, String addr, long deathTime, String death, long maxEpoch,
            List<SimBroker.Call> calls) {
        public static BrokerRecord of(SimBroker b) {
            return new BrokerRecord(b.name(), b.addr(), b.deathTime(), b.death() == null ? null : b.death().name(),
                    b.maxEpoch(), b.calls());
        }
    }

    public static Report analyze(boolean raft, List<BrokerRecord> brokers, List<NodePoller.Sample> samples,
            Bound bound) {
        return analyze(raft, brokers, samples, bound, List.of());
    }

    /** The latest time one of the broker's calls could still reach a node: its death, or later through a fault. */
    static long lastPossibleContact(BrokerRecord b, List<Fault> faults) {
        long last = b.deathTime();
        for (SimBroker.Call c : b.calls()) {
            for (Fault f : faults) {
                if (f.overlaps(c.call(), c.ret())) {
                    last = Math.max(last, f.deliverableUntil());
                }
            }
        }
        return last;
    }

    public static Report analyze(boolean raft, List<BrokerRecord> brokers, List<NodePoller.Sample> samples, Bound bound,
            List<Fault> faults) {
        long threshold = bound.falseExpiryThresholdMs(raft);
        int ok = 0, failed = 0, expiries = 0;
        List<String> falseOnes = new ArrayList<>();
        List<String> legit = new ArrayList<>();
        for (BrokerRecord b : brokers) {
            Map<String, List<SimBroker.Call>> byLane = new LinkedHashMap<>();
            for (SimBroker.Call c : b.calls()) {
                byLane.computeIfAbsent(c.lane(), l -> new ArrayList<>()).add(c);
            }
            for (Map.Entry<String, List<SimBroker.Call>> e : byLane.entrySet()) {
                List<SimBroker.Call> calls = new ArrayList<>(e.getValue());
                calls.sort(Comparator.comparingLong(SimBroker.Call::call));
                SimBroker.Call lastOk = null;
                long gap = 0;
                boolean failedSince = false;
                for (SimBroker.Call c : calls) {
                    if (c.f().equals("register")) {
                        if (c.outcome() == SimBroker.Outcome.OK) {
                            lastOk = c;
                            gap = 0;
                            failedSince = false;
                        } else {
                            failedSince = true;
                        }
                        continue;
                    }
                    switch (c.outcome()) {
                        case OK -> {
                            ok++;
                            if (lastOk != null) {
                                gap = Math.max(gap, c.ret() - lastOk.call());
                            }
                            lastOk = c;
                        }
                        case UNKNOWN_BROKER -> {
                            expiries++;
                            if (lastOk != null) {
                                long g = Math.max(gap, c.ret() - lastOk.call()) / 1_000_000;
                                String what = String.format(Locale.ROOT, "%s epoch %d on %s: UNKNOWN_BROKER at %.3f s, "
                                        + "longest possible silence %d ms (last OK contact invoked at %.3f s)%s",
                                        b.name(), c.epoch(), e.getKey(), c.ret() / 1e9, g, lastOk.call() / 1e9,
                                        failedSince ? ", calls failed since" : "");
                                if (g < threshold && (raft || !failedSince)) {
                                    falseOnes.add(what);
                                } else {
                                    legit.add(what);
                                }
                            }
                            lastOk = null;
                            gap = 0;
                        }
                        case STALE_EPOCH -> {
                            failed++;
                            lastOk = null;
                            gap = 0;
                        }
                        default -> {
                            failed++;
                            failedSince = true;
                        }
                    }
                }
            }
        }

        // when each term was first seen answering a LINEARIZABLE read (its leader had taken over by then)
        Map<Long, Long> termSeen = new HashMap<>();
        for (NodePoller.Sample s : samples) {
            if (s.ok() && s.level().equals("LINEARIZABLE") && s.term() >= 0) {
                termSeen.merge(s.term(), s.ret(), Math::min);
            }
        }
        long leaderBoundMs = bound.leaseMs() + bound.scanMs() + bound.commitAllowanceMs();
        int multiFailover = 0, beyondLeader = 0;
        List<DeadBroker> dead = new ArrayList<>();
        List<Long> det = new ArrayList<>();
        List<Long> every = new ArrayList<>();
        int undetected = 0, beyond = 0, reappearedTotal = 0;
        for (BrokerRecord b : brokers) {
            if (b.deathTime() < 0) {
                continue;
            }
            long d = b.deathTime();
            long contact = lastPossibleContact(b, faults);
            long firstAbsentRet = -1, lastPresentCall = -1;
            if (raft) {
                for (NodePoller.Sample s : samples) {
                    if (!s.ok() || !s.level().equals("LINEARIZABLE") || s.call() <= d) {
                        continue;
                    }
                    if (s.addrs().contains(b.addr())) {
                        lastPresentCall = Math.max(lastPresentCall, s.call());
                    } else if (firstAbsentRet < 0 || s.ret() < firstAbsentRet) {
                        firstAbsentRet = s.ret();
                    }
                }
            }
            Map<String, List<NodePoller.Sample>> byNode = new LinkedHashMap<>();
            for (NodePoller.Sample s : samples) {
                if (s.ok() && s.level().equals("STALE") && s.call() > d) {
                    byNode.computeIfAbsent(s.node(), n -> new ArrayList<>()).add(s);
                }
            }
            Map<String, Long> perNode = new LinkedHashMap<>();
            long everywhere = byNode.isEmpty() ? -1 : 0;
            for (Map.Entry<String, List<NodePoller.Sample>> e : byNode.entrySet()) {
                List<NodePoller.Sample> l = e.getValue();
                l.sort(Comparator.comparingLong(NodePoller.Sample::call));
                int from = l.size();
                while (from > 0 && gone(l.get(from - 1), b, raft)) {
                    from--;
                }
                long t = from == l.size() ? -1 : (l.get(from).ret() - d) / 1_000_000;
                perNode.put(e.getKey(), t);
                everywhere = t < 0 || everywhere < 0 ? -1 : Math.max(everywhere, t);
            }
            int reappeared = 0;
            if (raft && firstAbsentRet >= 0) {
                for (NodePoller.Sample s : samples) {
                    if (s.ok() && s.level().equals("LINEARIZABLE") && s.call() > firstAbsentRet
                            && s.addrs().contains(b.addr())) {
                        reappeared++;
                    }
                }
            }
            long detection = raft ? (firstAbsentRet < 0 ? -1 : (firstAbsentRet - d) / 1_000_000) : everywhere;
            long lastPresent = lastPresentCall < 0 ? -1 : (lastPresentCall - d) / 1_000_000;
            // Raft: leader changes between the death and the detection; each new leader grants a full lease
            Set<Long> terms = new TreeSet<>();
            boolean leaderViolation = false;
            if (raft) {
                long until = firstAbsentRet < 0 ? Long.MAX_VALUE : firstAbsentRet;
                for (NodePoller.Sample s : samples) {
                    if (!s.ok() || !s.level().equals("LINEARIZABLE") || s.call() <= d || s.term() < 0) {
                        continue;
                    }
                    if (s.call() <= until) {
                        terms.add(s.term());
                    }
                    // proof: the leader of this term had heard nothing from the broker for L + scan + commit after
                    // max(last possible contact, its first answer), yet the broker is still listed
                    long from = Math.max(contact, termSeen.getOrDefault(s.term(), s.ret()));
                    if (s.addrs().contains(b.addr()) && s.call() > from + leaderBoundMs * 1_000_000L) {
                        leaderViolation = true;
                    }
                }
            }
            int changes = Math.max(0, terms.size() - 1);
            boolean isBeyond = raft
                    ? changes <= 1 && lastPresentCall >= 0 && lastPresentCall - contact > bound.boundMs() * 1_000_000L
                    : (everywhere < 0 || everywhere > bound.boundMs());
            multiFailover += raft && changes > 1 ? 1 : 0;
            beyondLeader += leaderViolation ? 1 : 0;
            if (detection < 0) {
                undetected++;
            } else {
                det.add(detection);
            }
            if (everywhere >= 0) {
                every.add(everywhere);
            }
            beyond += isBeyond ? 1 : 0;
            reappearedTotal += reappeared;
            dead.add(new DeadBroker(b.name(), b.death(), d / 1e9, detection, lastPresent, everywhere, perNode, isBeyond,
                    reappeared, changes, leaderViolation));
        }
        det.sort(null);
        every.sort(null);
        return new Report(raft, brokers.size(), dead.size(), det.size(), undetected, median(det), max(det),
                median(every), max(every), bound.boundMs(), bound.formula(), beyond, multiFailover, beyondLeader,
                leaderBoundMs, reappearedTotal, ok, failed, expiries, falseOnes.size(), threshold, falseOnes, legit,
                dead);
    }

    private static boolean gone(NodePoller.Sample s, BrokerRecord b, boolean raft) {
        if (s.addrs().contains(b.addr())) {
            return false;
        }
        // raft: a node below the registration's index has not applied it yet (e.g. replaying after a restart)
        return !raft || s.appliedIndex() < 0 || s.appliedIndex() >= b.maxEpoch();
    }

    static long median(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get((sorted.size() - 1) / 2);
    }

    static long max(List<Long> sorted) {
        return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
    }
}
