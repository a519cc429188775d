package io.rns.bench.infra;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the machine's CPU went during one measured window: the servers' CPU per operation (summed, and per server
 * process), the load client's own (this JVM's), and how many cores the whole machine was busy on average. Together
 * they say whether a cell was limited by the servers' work or by a machine the load client shares with them.
 *
 * @param serverUsPerOp     user + system CPU of the server processes per operation, in µs, summed over them
 * @param eachServerUsPerOp the same per server process, in the order the pids were given
 * @param clientUsPerOp     user + system CPU of the load-generating JVM (this one) per operation, in µs
 * @param machineCores      busy CPU time of the whole machine (/proc/stat: everything but idle and iowait) divided by
 *                          the window, i.e. the average number of cores in use; the machine's core count is the cap
 */
public record CpuUse(double serverUsPerOp, List<Double> eachServerUsPerOp, double clientUsPerOp, double machineCores) {
    public static final CpuUse NONE = new CpuUse(Double.NaN, List.of(), Double.NaN, Double.NaN);

    public CpuUse {
        eachServerUsPerOp = List.copyOf(eachServerUsPerOp);
    }

    /** The per-server figures joined by {@code " · "} (one decimal), or {@code -} when not measured. */
    public String eachServer() {
        if (eachServerUsPerOp.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (double d : eachServerUsPerOp) {
            parts.add(String.format("%.1f", d));
        }
        return String.join(" · ", parts);
    }

    /** Counters read at the start of a window; {@link #stop(long)} turns them into a {@link CpuUse}. */
    public static final class Sampler {
        private final List<Long> serverPids;
        private final long[] serverFrom;
        private final long clientFrom;
        private final long machineFrom;
        private final long wallFrom;

        private Sampler(List<Long> serverPids) {
            this.serverPids = List.copyOf(serverPids);
            this.serverFrom = new long[this.serverPids.size()];
            for (int i = 0; i < serverFrom.length; i++) {
                serverFrom[i] = Procs.cpuNanos(this.serverPids.get(i));
            }
            this.clientFrom = Procs.cpuNanos(ProcessHandle.current().pid());
            this.machineFrom = Procs.machineBusyNanos();
            this.wallFrom = System.nanoTime();
        }

        public static Sampler start(List<Long> serverPids) {
            return new Sampler(serverPids);
        }

        /** The window's figures for {@code ops} operations (NaN per operation when there were none). */
        public CpuUse stop(long ops) {
            long wall = System.nanoTime() - wallFrom;
            List<Double> each = new ArrayList<>();
            double sum = 0;
            for (int i = 0; i < serverFrom.length; i++) {
                double us = perOp(Procs.cpuNanos(serverPids.get(i)) - serverFrom[i], ops);
                each.add(us);
                sum += us;
            }
            double client = perOp(Procs.cpuNanos(ProcessHandle.current().pid()) - clientFrom, ops);
            long machine = Procs.machineBusyNanos();
            double cores = machine >= 0 && machineFrom >= 0 && wall > 0 ? (double) (machine - machineFrom) / wall
                    : Double.NaN;
            return new CpuUse(serverFrom.length == 0 ? Double.NaN : sum, each, client, cores);
        }

        private static double perOp(long nanos, long ops) {
            return ops > 0 && nanos >= 0 ? nanos / 1e3 / ops : Double.NaN;
        }
    }
}
