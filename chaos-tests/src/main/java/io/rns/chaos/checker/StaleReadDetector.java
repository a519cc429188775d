package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Operation;
import io.rns.chaos.history.ServerMeta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds stale and non-monotonic reads from server-reported applied indexes (the Raft log is global, so indexes compare
 * across keys). Cheap (O(n log n)) and independent of the linearizability search.
 *
 * <ul>
 *   <li><b>Stale read</b>: an OK read served at {@code LINEARIZABLE} or {@code LEASE} whose applied index is lower than
 *   the applied index reported by an OK write that completed strictly before the read was invoked. Sound: the write's
 *   response carries the leader's applied index A (&ge; the write's own index); every entry up to A was committed
 *   before the response, hence before the read began, and a linearizable read must reflect every entry committed before
 *   it began, so the serving node must have applied at least A.</li>
 *   <li><b>Non-monotonic read</b>: an OK read by a process, served at a level promising monotonic reads
 *   ({@code LINEARIZABLE}, {@code LEASE}, {@code SEQUENTIAL}), whose applied index is lower than that of an earlier
 *   (completed before it was invoked) read of the same process served at such a level.</li>
 * </ul>
 * Reads and writes without an applied index are skipped (counted).
 */
public final class StaleReadDetector {

    public static final Set<String> LINEARIZABLE_LEVELS = Set.of("LINEARIZABLE", "LEASE");
    public static final Set<String> MONOTONIC_LEVELS = Set.of("LINEARIZABLE", "LEASE", "SEQUENTIAL");

    private final Set<String> readFunctions;
    private final Set<String> writeFunctions;
    private final int maxExamples;

    /**
     * @param readFunctions  functions that are reads (e.g. {@code read})
     * @param writeFunctions functions that are writes (e.g. {@code write}, {@code register}, {@code unregister})
     * @param maxExamples    examples kept per anomaly kind
     */
    public StaleReadDetector(Set<String> readFunctions, Set<String> writeFunctions, int maxExamples) {
        this.readFunctions = Set.copyOf(readFunctions);
        this.writeFunctions = Set.copyOf(writeFunctions);
        this.maxExamples = maxExamples;
    }

    /** Reads: {@code read}; writes: {@code write}, {@code register}, {@code unregister}; 20 examples. */
    public StaleReadDetector() {
        this(Set.of("read"), Set.of("write", "register", "unregister"), 20);
    }

    /** A stale read and the write that proves it stale (the one with the highest index completed before it). */
    public record StaleRead(Operation read, Operation write, long readIndex, long requiredIndex) {
        @Override
        public String toString() {
            return "stale read (applied " + readIndex + " < " + requiredIndex + "): " + read + "\n    after write: "
                    + write;
        }
    }

    /** A read whose applied index went backwards relative to an earlier read of the same process. */
    public record NonMonotonicRead(Operation read, Operation earlier, long readIndex, long earlierIndex) {
        @Override
        public String toString() {
            return "non-monotonic read (applied " + readIndex + " < " + earlierIndex + "): " + read
                    + "\n    earlier read: " + earlier;
        }
    }

    /**
     * @param linearizableReadsChecked OK reads at LINEARIZABLE/LEASE with an applied index
     * @param monotonicReadsChecked    OK reads at LINEARIZABLE/LEASE/SEQUENTIAL with an applied index
     * @param readsWithoutIndex        OK reads lacking meta or applied index (not checked)
     * @param writesWithIndex          OK writes with an applied index (the stale-read floor)
     */
    public record Report(int linearizableReadsChecked, int monotonicReadsChecked, int readsWithoutIndex,
            int writesWithIndex, int staleReads, List<StaleRead> staleExamples, int nonMonotonicReads,
            List<NonMonotonicRead> nonMonotonicExamples) {

        public boolean clean() {
            return staleReads == 0 && nonMonotonicReads == 0;
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append("stale reads: ").append(staleReads).append(" of ").append(linearizableReadsChecked)
                    .append(" LINEARIZABLE/LEASE reads; non-monotonic reads: ").append(nonMonotonicReads).append(" of ")
                    .append(monotonicReadsChecked).append(" monotonic-level reads; ").append(readsWithoutIndex)
                    .append(" reads without applied index; ").append(writesWithIndex).append(" writes with index\n");
            staleExamples.forEach(s -> sb.append("  ").append(s).append('\n'));
            nonMonotonicExamples.forEach(s -> sb.append("  ").append(s).append('\n'));
            return sb.toString();
        }
    }

    public Report check(History history) {
        return check(history.pair().operations());
    }

    public Report check(List<Operation> operations) {
        List<Operation> writes = new ArrayList<>();
        List<Operation> reads = new ArrayList<>();
        int noIndex = 0;
        for (Operation o : operations) {
            if (!o.isOk()) {
                continue;
            }
            ServerMeta m = o.meta();
            boolean indexed = m != null && m.hasAppliedIndex();
            if (writeFunctions.contains(o.f())) {
                if (indexed) {
                    writes.add(o);
                }
            } else if (readFunctions.contains(o.f())) {
                if (indexed) {
                    reads.add(o);
                } else {
                    noIndex++;
                }
            }
        }
        // stale reads: prefix maximum of write indexes ordered by completion time
        writes.sort(Comparator.comparingLong(Operation::ret));
        long[] retTimes = new long[writes.size()];
        int[] argmax = new int[writes.size()];
        for (int i = 0; i < writes.size(); i++) {
            retTimes[i] = writes.get(i).ret();
            int best = i == 0 ? 0 : argmax[i - 1];
            argmax[i] = writes.get(i).meta().appliedIndex() > writes.get(best).meta().appliedIndex() ? i : best;
        }
        int linChecked = 0;
        int stale = 0;
        List<StaleRead> staleEx = new ArrayList<>();
        for (Operation r : reads) {
            if (r.meta() == null || r.meta().served() == null || !LINEARIZABLE_LEVELS.contains(r.meta().served())) {
                continue;
            }
            linChecked++;
            int idx = lastBefore(retTimes, r.call());
            if (idx < 0) {
                continue;
            }
            Operation w = writes.get(argmax[idx]);
            long required = w.meta().appliedIndex();
            if (r.meta().appliedIndex() < required) {
                stale++;
                if (staleEx.size() < maxExamples) {
                    staleEx.add(new StaleRead(r, w, r.meta().appliedIndex(), required));
                }
            }
        }
        // non-monotonic reads per process, in invocation order
        Map<Integer, List<Operation>> byProcess = new HashMap<>();
        int monoChecked = 0;
        for (Operation r : reads) {
            if (r.meta() != null && r.meta().served() != null && MONOTONIC_LEVELS.contains(r.meta().served())) {
                byProcess.computeIfAbsent(r.process(), p -> new ArrayList<>()).add(r);
                monoChecked++;
            }
        }
        int nonMono = 0;
        List<NonMonotonicRead> nonMonoEx = new ArrayList<>();
        List<Integer> processes = new ArrayList<>(byProcess.keySet());
        processes.sort(null);
        for (int p : processes) {
            List<Operation> rs = byProcess.get(p);
            rs.sort(Comparator.comparingLong(Operation::call));
            Operation maxRead = null;
            for (Operation r : rs) {
                if (maxRead != null && maxRead.ret() < r.call()
                        && r.meta().appliedIndex() < maxRead.meta().appliedIndex()) {
                    nonMono++;
                    if (nonMonoEx.size() < maxExamples) {
                        nonMonoEx.add(new NonMonotonicRead(r, maxRead, r.meta().appliedIndex(),
                                maxRead.meta().appliedIndex()));
                    }
                }
                if (maxRead == null || r.meta().appliedIndex() > maxRead.meta().appliedIndex()) {
                    maxRead = r;
                }
            }
        }
        return new Report(linChecked, monoChecked, noIndex, writes.size(), stale, List.copyOf(staleEx), nonMono,
                List.copyOf(nonMonoEx));
    }

    /** Index of the last element strictly less than {@code t}, or -1. */
    private static int lastBefore(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length - 1;
        int ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }
}
