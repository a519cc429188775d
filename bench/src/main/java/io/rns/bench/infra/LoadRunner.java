package io.rns.bench.infra;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: N threads each call {@link Op#call(int, long)} back to back. A warm-up window (not recorded),
 * then a measured window; every loop is bounded by time and by a per-thread operation cap.
 */
public final class LoadRunner {
    /** One operation; return true on success, false (or throw) on failure. {@code seq} counts this thread's calls. */
    @FunctionalInterface
    public interface Op {
        boolean call(int thread, long seq) throws Exception;
    }

    /**
     * @param cpu where the machine's CPU went during the measured window ({@link CpuUse#NONE} when not measured)
     */
    public record Stats(int clients, long ok, long errors, double seconds, double opsPerSec, double p50Ms, double p99Ms,
            double p999Ms, double maxMs, double meanMs, String firstError, CpuUse cpu) {
        public static Stats none(int clients, String why) {
            return new Stats(clients, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why,
                    CpuUse.NONE);
        }

        /**
         * CPU time (user + system) the server processes spent during the measured window, per operation, in µs; NaN
         * when not measured. Less sensitive than req/s to a busy or slow machine: it counts the work done, not how
         * fast the machine happened to be.
         */
        public double serverCpuUsPerOp() {
            return cpu.serverUsPerOp();
        }
    }

    public static final long MAX_OPS_PER_THREAD = 50_000_000L;

    public static Stats run(int clients, double warmupS, double measureS, Op op) {
        return run(clients, warmupS, measureS, MAX_OPS_PER_THREAD, op);
    }

    public static Stats run(int clients, double warmupS, double measureS, long maxOpsPerThread, Op op) {
        return run(clients, warmupS, measureS, maxOpsPerThread, op, null);
    }

    /** As {@link #run(int, double, double, Op)}, also measuring the servers' CPU per operation ({@code serverPids}). */
    public static Stats run(int clients, double warmupS, double measureS, Op op, List<Long> serverPids) {
        return run(clients, warmupS, measureS, MAX_OPS_PER_THREAD, op, serverPids);
    }

    private static Stats run(int clients, double warmupS, double measureS, long maxOpsPerThread, Op op,
            List<Long> serverPids) {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupS * 1e9);
        long end = measureFrom + (long) (measureS * 1e9);
        List<Histogram> hists = new ArrayList<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong lastEnd = new AtomicLong(measureFrom);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            hists.add(h);
            final int thread = t;
            Thread th = new Thread(() -> {
                long seq = 0;
                while (seq < maxOpsPerThread) {
                    long t0 = System.nanoTime();
                    if (t0 >= end)
                        break;
                    boolean success;
                    String err = null;
                    try {
                        success = op.call(thread, seq);
                        if (!success)
                            err = "operation reported failure";
                    } catch (Exception e) {
                        success = false;
                        err = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    seq++;
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom) {
                        if (success) {
                            ok.incrementAndGet();
                            h.recordValue(Math.min(t1 - t0, h.getHighestTrackableValue()));
                        } else {
                            errors.incrementAndGet();
                            if (err != null)
                                firstError.compareAndSet(null, err);
                        }
                        lastEnd.accumulateAndGet(t1, Math::max);
                    }
                }
            }, "bench-load-" + t);
            th.setDaemon(true);
            threads.add(th);
        }
        threads.forEach(Thread::start);
        CpuUse.Sampler cpu = null;
        if (serverPids != null) {
            long wait = measureFrom - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            cpu = CpuUse.Sampler.start(serverPids);
        }
        for (Thread th : threads) {
            try {
                th.join(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        CpuUse cpuUse = cpu == null ? CpuUse.NONE : cpu.stop(ok.get() + errors.get());
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        hists.forEach(all::add);
        double secs = Math.max(1e-9, (Math.max(lastEnd.get(), end) - measureFrom) / 1e9);
        if (all.getTotalCount() == 0) {
            return new Stats(clients, ok.get(), errors.get(), secs, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, firstError.get(), cpuUse);
        }
        return new Stats(clients, ok.get(), errors.get(), secs, ok.get() / secs, all.getValueAtPercentile(50) / 1e6,
                all.getValueAtPercentile(99) / 1e6, all.getValueAtPercentile(99.9) / 1e6, all.getMaxValue() / 1e6,
                all.getMean() / 1e6, firstError.get(), cpuUse);
    }
}
