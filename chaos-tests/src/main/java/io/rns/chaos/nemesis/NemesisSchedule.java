package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Alternates quiet and fault windows for a bounded duration, drawn from a seed: {@code quiet, fault, quiet, fault,
 * ...}, each window's length jittered by ±{@code jitter}, each fault window running one nemesis picked at random
 * with targets planned from the window's own seed. Only windows that end within {@code duration} are planned; the
 * run then ends with {@link #finalHeal}. The same seed, nemesis list, host ids and timings give the same
 * {@link #preview} (names and planned targets; targets resolved at run time, such as "the leader", may differ).
 *
 * <p>Every transition is recorded as a {@link FaultEvent} (see {@link #events()}) and passed to the listener.
 * {@link #run} blocks (bounded by {@code duration} plus the time the last transitions and the final heal take);
 * {@link #requestStop()} ends it early, still stopping the current fault and healing.
 */
public final class NemesisSchedule {
    private final long seed;
    private final List<Nemesis> nemeses;
    private final Duration quiet;
    private final Duration fault;
    private final double jitter;
    private final Duration duration;
    private final FaultListener listener;
    private final Long origin;
    private final List<FaultEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private volatile long originNanos;

    private NemesisSchedule(Builder b) {
        this.seed = b.seed;
        this.nemeses = List.copyOf(b.nemeses);
        this.quiet = b.quiet;
        this.fault = b.fault;
        this.jitter = b.jitter;
        this.duration = b.duration;
        this.listener = b.listener;
        this.origin = b.origin;
        if (nemeses.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one nemesis");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    public List<Nemesis> nemeses() {
        return nemeses;
    }

    /** The planned fault windows (no fault is run; the nemeses' plans are overwritten, which is harmless). */
    public List<PlannedFault> preview(List<String> hostIds) {
        Random rnd = new Random(seed);
        List<PlannedFault> out = new ArrayList<>();
        long t = 0;
        long end = duration.toMillis();
        for (int w = 0;; w++) {
            long q = jittered(quiet, rnd);
            Nemesis n = nemeses.get(rnd.nextInt(nemeses.size()));
            long windowSeed = rnd.nextLong();
            long f = jittered(fault, rnd);
            if (t + q + f > end) {
                break;
            }
            String targets = n.plan(hostIds, new Random(windowSeed));
            out.add(new PlannedFault(w, n.name(), targets, windowSeed, t + q, f));
            t += q + f;
        }
        return out;
    }

    private long jittered(Duration d, Random rnd) {
        double factor = 1 + jitter * (2 * rnd.nextDouble() - 1);
        return Math.max(1, Math.round(d.toMillis() * factor));
    }

    /**
     * Runs the schedule against {@code hosts}, then {@link #finalHeal}s. Failures of one start/stop are recorded
     * (phase "fail"), followed by a heal, and the schedule goes on.
     *
     * @return every recorded event
     */
    public List<FaultEvent> run(Hosts hosts, ClusterView view) {
        long runStart = System.nanoTime();
        originNanos = origin != null ? origin : runStart;
        List<PlannedFault> plan = preview(hosts.ids());
        System.err.println("[chaos-nemesis] schedule seed=" + seed + " (rerun with -Dchaos.seed=" + seed + "), "
                + plan.size() + " fault windows over " + duration.toMillis() + " ms: "
                + plan.stream().map(p -> p.nemesis() + "[" + p.targets() + "]@" + p.startMs()).toList());
        try {
            for (PlannedFault p : plan) {
                if (!sleepUntil(runStart, p.startMs())) {
                    break;
                }
                Nemesis n = nemesisNamed(p.nemesis());
                n.plan(hosts.ids(), new Random(p.windowSeed()));
                boolean started = false;
                try {
                    n.start(hosts, view);
                    started = true;
                    record(p.window(), n.name(), "start", n.detail());
                } catch (RuntimeException e) {
                    record(p.window(), n.name(), "fail", "start: " + e);
                    safeStop(p.window(), n, hosts);
                    healQuietly(hosts);
                }
                if (started) {
                    sleepUntil(runStart, p.stopMs());
                    try {
                        n.stop(hosts);
                        record(p.window(), n.name(), "stop", n.detail());
                    } catch (RuntimeException e) {
                        record(p.window(), n.name(), "fail", "stop: " + e);
                        healQuietly(hosts);
                    }
                }
                if (stopRequested) {
                    break;
                }
            }
        } finally {
            record(-1, "final-heal", "start", "");
            String what = finalHeal(hosts);
            record(-1, "final-heal", "stop", what);
        }
        return events();
    }

    private void safeStop(int window, Nemesis n, Hosts hosts) {
        try {
            n.stop(hosts);
        } catch (RuntimeException e) {
            record(window, n.name(), "fail", "stop after failed start: " + e);
        }
    }

    private static void healQuietly(Hosts hosts) {
        try {
            hosts.heal();
        } catch (RuntimeException e) {
            System.err.println("[chaos-nemesis] heal failed: " + e);
        }
    }

    private Nemesis nemesisNamed(String name) {
        return nemeses.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Heals the network, resumes every paused node and starts every node that is not running (killed ones restart
     * on their data dirs). Never throws.
     *
     * @return what was done
     */
    public static String finalHeal(Hosts hosts) {
        List<String> done = new ArrayList<>();
        try {
            hosts.heal();
            done.add("healed network");
        } catch (RuntimeException e) {
            done.add("heal FAILED: " + e.getMessage());
        }
        for (Host h : hosts.hosts()) {
            try {
                if (h.isPaused()) {
                    h.resume();
                    done.add("resumed " + h.id());
                }
                if (!h.isRunning()) {
                    h.start();
                    done.add("restarted " + h.id());
                }
            } catch (RuntimeException e) {
                done.add(h.id() + " FAILED: " + e.getMessage());
            }
        }
        return String.join(", ", done);
    }

    /** Ends a running {@link #run} early (the current fault is stopped, then the final heal runs). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Recorded events so far (thread-safe snapshot). */
    public List<FaultEvent> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    private void record(int window, String name, String phase, String detail) {
        long nanos = System.nanoTime() - originNanos;
        FaultEvent e = new FaultEvent(window, name, phase, detail, nanos);
        events.add(e);
        System.err.println("[chaos-nemesis] " + e);
        if (listener != null) {
            try {
                listener.onFault(name, phase, detail, nanos);
            } catch (RuntimeException ex) {
                System.err.println("[chaos-nemesis] listener failed: " + ex);
            }
        }
    }

    /** Sleeps until {@code offsetMs} after {@code start} in small steps; false if a stop was requested meanwhile. */
    private boolean sleepUntil(long start, long offsetMs) {
        long target = start + offsetMs * 1_000_000L;
        while (!stopRequested) {
            long left = target - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
        }
        return false;
    }

    /** Settings; defaults: seed from {@code -Dchaos.seed} or random, 5 s quiet, 5 s fault, ±20 % jitter, 60 s. */
    public static final class Builder {
        private long seed = Long.getLong("chaos.seed", new Random().nextLong());
        private final List<Nemesis> nemeses = new ArrayList<>();
        private Duration quiet = Duration.ofSeconds(5);
        private Duration fault = Duration.ofSeconds(5);
        private double jitter = 0.2;
        private Duration duration = Duration.ofSeconds(60);
        private FaultListener listener;
        private Long origin;

        private Builder() {
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder nemesis(Nemesis n) {
            this.nemeses.add(n);
            return this;
        }

        public Builder nemeses(List<? extends Nemesis> ns) {
            this.nemeses.addAll(ns);
            return this;
        }

        public Builder quiet(Duration d) {
            this.quiet = d;
            return this;
        }
        /** Fault window length; for pauses and isolations keep it well above the election timeout. */
        public Builder fault(Duration d) {
            this.fault = d;
            return this;
        }
        /** Window lengths vary by ±this fraction, in [0, 0.9]. */
        public Builder jitter(double j) {
            if (j < 0 || j > 0.9) {
                throw new IllegalArgumentException("jitter must be in [0, 0.9]: " + j);
            }
            this.jitter = j;
            return this;
        }
        /** Total length: only fault windows ending within it are planned. */
        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder listener(FaultListener l) {
            this.listener = l;
            return this;
        }
        /** The {@code System.nanoTime()} value event times are relative to (e.g. the history's origin); default: run start. */
        public Builder origin(long nanoTime) {
            this.origin = nanoTime;
            return this;
        }

        public NemesisSchedule build() {
            return new NemesisSchedule(this);
        }
    }
}
