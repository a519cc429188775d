package io.rns.chaos.report;

import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.StaleReadDetector;
import io.rns.chaos.checker.Verdict;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.Operation;
import io.rns.chaos.history.SetValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The numbers of one run that go into {@code comparison.md} (see docs/consistency.md for the definitions).
 *
 * <ul>
 *   <li>{@code staleIndexReads / linReadsChecked}: reads served at LINEARIZABLE/LEASE whose server-reported applied
 *       index is below the index of a write acknowledged before the read was invoked ({@link StaleReadDetector}).
 *       Only meaningful in raft mode (leaderless nodes report no index), and only if write replies carry an applied
 *       index (reported as n/a otherwise); the non-monotonic read count (a read at a lower applied index than one that
 *       completed before it began) is reported alongside.</li>
 *   <li>{@code missedAckedReads / okReads}: OK workload reads that missed an acknowledged write — a broker whose
 *       register was acknowledged before the read was invoked and whose unregister had not been invoked before the
 *       read completed is absent, or a broker whose unregister was acknowledged before the read was invoked is still
 *       present. Mode-independent and computed from the client history only; for raft it is a subset of what the
 *       linearizability checker rejects.</li>
 *   <li>availability: fraction of workload ops invoked during a fault window (resp. outside one) that completed OK;
 *       reads and writes (register/unregister) separately. An unregister refused with UNKNOWN_BROKER counts as not OK.</li>
 *   <li>{@code divergentKeys / finalKeys}: keys whose final reads (one per node, after the final heal and a 3 s quiesce)
 *       disagree between nodes — divergence that never converged. How long nodes disagreed during the run is
 *       {@link Divergence} (from periodic all-node polls).</li>
 * </ul>
 */
public record RunMetrics(String verdict, int keys, int invalidKeys, int unknownKeys, int ops, int indeterminate,
        int linReadsChecked, int staleIndexReads, int okReads, int missedAckedReads, int readsInFault,
        int readsOkInFault, int readsQuiet, int readsOkQuiet, int writesInFault, int writesOkInFault, int writesQuiet,
        int writesOkQuiet, int finalKeys, int divergentKeys, int faultWindows, double faultSeconds, int writesWithIndex,
        int nonMonotonicReads, int monotonicReadsChecked) {

    /** A fault window [start, stop) in history time (ns). */
    public record Window(String name, String detail, long start, long stop) {
        boolean contains(long t) {
            return t >= start && t < stop;
        }
    }

    /**
     * History time of the last {@code final-heal:start} event (ChaosRun records one after every workload thread has
     * finished; the final reads follow it), or Long.MAX_VALUE.
     */
    public static long finalHealTime(History h) {
        long t = Long.MAX_VALUE;
        for (Op op : h.ops()) {
            if (!op.isClient() && op.f().equals("final-heal:start")) {
                t = op.time();
            }
        }
        return t;
    }

    /** Fault windows from the history's nemesis ops ({@code name:start} .. {@code name:stop|fail}); final heal excluded. */
    public static List<Window> faultWindows(History h) {
        List<Window> out = new ArrayList<>();
        Map<String, Op> open = new HashMap<>();
        long end = 0;
        for (Op op : h.ops()) {
            end = Math.max(end, op.time());
            if (op.isClient()) {
                continue;
            }
            int colon = op.f().lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = op.f().substring(0, colon);
            String phase = op.f().substring(colon + 1);
            if (name.equals("final-heal")) {
                continue;
            }
            if (phase.equals("start")) {
                open.put(name, op);
            } else if (phase.equals("stop") || phase.equals("fail")) {
                Op s = open.remove(name);
                if (s != null) {
                    out.add(new Window(name, s.value(), s.time(), op.time()));
                }
            }
        }
        long fh = finalHealTime(h);
        for (Op s : open.values()) {
            out.add(new Window(s.f().substring(0, s.f().lastIndexOf(':')), s.value(), s.time(),
                    fh == Long.MAX_VALUE ? end : fh));
        }
        out.sort((a, b) -> Long.compare(a.start(), b.start()));
        return out;
    }

    static boolean inFault(List<Window> ws, long t) {
        for (Window w : ws) {
            if (w.contains(t)) {
                return true;
            }
        }
        return false;
    }

    static boolean isWrite(String f) {
        return f.equals("register") || f.equals("unregister") || f.equals("write") || f.equals("add")
                || f.equals("remove");
    }

    public static RunMetrics compute(History history, CheckResult check, StaleReadDetector.Report stale) {
        List<Operation> all = history.pair().operations();
        long fh = finalHealTime(history);
        List<Operation> workload = all.stream().filter(o -> o.call() < fh).toList();
        List<Operation> finals = all.stream().filter(o -> o.call() >= fh).toList();
        List<Window> ws = faultWindows(history);
        int ops = all.size();
        int infos = (int) all.stream().filter(Operation::isIndeterminate).count();
        // per kind: [in a fault window, of those OK, quiet, of those OK]
        int[] reads = new int[4];
        int[] writes = new int[4];
        for (Operation o : workload) {
            int[] tally = o.f().equals("read") ? reads : isWrite(o.f()) ? writes : null;
            if (tally != null) {
                int at = inFault(ws, o.call()) ? 0 : 2;
                tally[at]++;
                tally[at + 1] += o.isOk() ? 1 : 0;
            }
        }
        int[] missed = missedAckedWrites(all);
        int[] div = divergence(finals);
        double faultSec = ws.stream().mapToLong(w -> w.stop() - w.start()).sum() / 1e9;
        int keys = check == null ? history.keys().size() : check.keys().size();
        return new RunMetrics(check == null ? "n/a" : check.verdict().name(), keys,
                check == null ? 0 : (int) check.count(Verdict.INVALID),
                check == null ? 0 : (int) check.count(Verdict.UNKNOWN), ops, infos,
                stale == null ? 0 : stale.linearizableReadsChecked(), stale == null ? 0 : stale.staleReads(), missed[0],
                missed[1], reads[0], reads[1], reads[2], reads[3], writes[0], writes[1], writes[2], writes[3], div[0],
                div[1], ws.size(), faultSec, stale == null ? 0 : stale.writesWithIndex(),
                stale == null ? 0 : stale.nonMonotonicReads(), stale == null ? 0 : stale.monotonicReadsChecked());
    }

    /** The same numbers without the final-read divergence (for workloads whose reads after the heal are not final reads). */
    public RunMetrics withoutFinalReads() {
        return new RunMetrics(verdict, keys, invalidKeys, unknownKeys, ops, indeterminate, linReadsChecked,
                staleIndexReads, okReads, missedAckedReads, readsInFault, readsOkInFault, readsQuiet, readsOkQuiet,
                writesInFault, writesOkInFault, writesQuiet, writesOkQuiet, 0, 0, faultWindows, faultSeconds,
                writesWithIndex, nonMonotonicReads, monotonicReadsChecked);
    }

    /** [OK reads, OK reads that missed an acknowledged register or saw an acknowledged unregister's broker]. */
    static int[] missedAckedWrites(List<Operation> all) {
        Map<String, List<Operation>> byKey = History.byKey(all);
        int okReads = 0, missed = 0;
        for (List<Operation> ops : byKey.values()) {
            Map<String, Operation> reg = new LinkedHashMap<>();
            Map<String, List<Operation>> unreg = new HashMap<>();
            for (Operation o : ops) {
                if (o.input() == null) {
                    continue;
                }
                if (o.f().equals("register")) {
                    reg.put(o.input(), o);
                } else if (o.f().equals("unregister")) {
                    unreg.computeIfAbsent(o.input(), k -> new ArrayList<>()).add(o);
                }
            }
            for (Operation r : ops) {
                if (!r.f().equals("read") || !r.isOk()) {
                    continue;
                }
                okReads++;
                Set<String> seen = SetValue.decode(r.output());
                boolean bad = false;
                for (Map.Entry<String, Operation> e : reg.entrySet()) {
                    Operation w = e.getValue();
                    List<Operation> us = unreg.getOrDefault(e.getKey(), List.of());
                    boolean mustBePresent = w.isOk() && w.ret() < r.call()
                            && us.stream().noneMatch(u -> u.call() <= r.ret());
                    boolean mustBeAbsent = us.stream().anyMatch(u -> u.isOk() && u.ret() < r.call());
                    if ((mustBePresent && !seen.contains(e.getKey())) || (mustBeAbsent && seen.contains(e.getKey()))) {
                        bad = true;
                        break;
                    }
                }
                missed += bad ? 1 : 0;
            }
        }
        return new int[]{okReads, missed};
    }

    /** [keys with at least two OK final reads, of which the final reads disagree]. */
    static int[] divergence(List<Operation> finals) {
        int keys = 0, divergent = 0;
        for (List<Operation> ops : History.byKey(finals).values()) {
            SortedSet<String> values = new TreeSet<>();
            int ok = 0;
            for (Operation o : ops) {
                if (o.f().equals("read") && o.isOk()) {
                    ok++;
                    values.add(SetValue.canonical(o.output()));
                }
            }
            if (ok >= 2) {
                keys++;
                divergent += values.size() > 1 ? 1 : 0;
            }
        }
        return new int[]{keys, divergent};
    }

    static String pct(int num, int den) {
        return den == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100.0 * num / den, num, den);
    }

    /**
     * Index-based stale-read rate; "n/a" when no acknowledged write carried an applied index (then the detector has no
     * floor to compare against and can only see non-monotonic reads), plus the non-monotonic count.
     */
    public String staleIndexRate() {
        String stale = writesWithIndex == 0 ? "n/a (writes carry no index)" : pct(staleIndexReads, linReadsChecked);
        return stale + "; non-monotonic " + pct(nonMonotonicReads, monotonicReadsChecked);
    }

    public String missedAckedRate() {
        return pct(missedAckedReads, okReads);
    }

    public String readAvailFault() {
        return pct(readsOkInFault, readsInFault);
    }

    public String readAvailQuiet() {
        return pct(readsOkQuiet, readsQuiet);
    }

    public String writeAvailFault() {
        return pct(writesOkInFault, writesInFault);
    }

    public String writeAvailQuiet() {
        return pct(writesOkQuiet, writesQuiet);
    }

    public String divergence() {
        return finalKeys == 0 ? "n/a" : divergentKeys + "/" + finalKeys + " keys";
    }
}
