package io.rns.namesrv.liveness;

import io.rns.namesrv.base.MonotonicClock;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.write.WriteOutcome;
import io.rns.namesrv.write.WriteService;
import io.rns.statemachine.BrokerMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leader-only broker liveness: owns the {@link LeaseTracker}, follows leadership, and on a short scan proposes a
 * conditional {@code UnregisterBroker(epoch, EXPIRED)} for every lease that ran out. The record goes through the
 * normal log, so every node removes the broker at the same index; if the broker re-registered in between, apply
 * rejects the stale epoch and the broker survives. No node ever removes a broker on its own.
 */
public final class LivenessService implements NodeStatus.LeadershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivenessService.class);

    private final LivenessConfig config;
    private final NodeStatus status;
    private final WriteService writes;
    private final LeaseTracker tracker;
    private final MonotonicClock clock;
    private final AtomicLong expiriesProposed = new AtomicLong();
    private final AtomicLong expiriesApplied = new AtomicLong();
    private ScheduledFuture<?> scan;
    private ScheduledExecutorService executor;
    /** The last {@link #RECENT_EXPIRIES} expiries this node applied as leader, newest first. */
    private final Deque<RecentExpiry> recent = new ArrayDeque<>();
    static final int RECENT_EXPIRIES = 20;

    /** An expiry that took effect: the broker, the index of its record, and when (this clock's nanos). */
    public record RecentExpiry(LeaseTracker.Expiry expiry, long logIndex, long appliedNanos) {
    }

    /** Expiries go through {@code writes}, the same write path as every other change (DESIGN §2). */
    public LivenessService(LivenessConfig config, NodeStatus status, WriteService writes, MonotonicClock clock) {
        this.config = config;
        this.status = status;
        this.writes = writes;
        this.clock = clock;
        this.tracker = new LeaseTracker(config, clock);
    }

    public LivenessConfig config() {
        return config;
    }

    public LeaseTracker tracker() {
        return tracker;
    }

    public MonotonicClock clock() {
        return clock;
    }

    /** Runs {@link #scanOnce()} every scan interval on {@code executor} (production); tests call scanOnce directly. */
    public synchronized void start(ScheduledExecutorService executor) {
        this.executor = executor;
        scan = executor.scheduleWithFixedDelay(this::safeScan, config.scanIntervalMs(), config.scanIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** One scan now on the scan executor, besides the periodic ones (a broker became due before its next tick). */
    public synchronized void scanSoon() {
        if (executor != null && scan != null) {
            try {
                executor.execute(this::safeScan);
            } catch (RejectedExecutionException e) {
                // the node is stopping: no more scans
            }
        }
    }

    private void safeScan() {
        try {
            scanOnce();
        } catch (Throwable e) {
            // never let the scheduled task die: an escaping Error (a class that cannot load, say) would stop every
            // later scan silently, and dead brokers would stay routed on this leader for good
            log.error("liveness scan failed; scanning goes on", e);
        }
    }

    @Override
    public void onLeaderStart(long term) {
        tracker.startLeading(status.image());
    }

    @Override
    public void onLeaderStop() {
        tracker.stopLeading();
    }

    /** One scan: proposes the due expiries (bounded by the rate limit and the mass-expiry guard). */
    public void scanOnce() {
        List<LeaseTracker.Expiry> due = tracker.dueExpiries(status.image());
        for (LeaseTracker.Expiry e : due) {
            propose(e);
        }
    }

    private void propose(LeaseTracker.Expiry e) {
        expiriesProposed.incrementAndGet();
        log.info("liveness: lease of broker {} (cluster {}, {}) epoch {} ran out; proposing its expiry", e.key(),
                e.cluster(), e.addr(), e.epoch());
        writes.expire(e.cluster(), e.key().brokerName(), e.key().brokerId(), e.addr(), e.epoch(),
                Math.max(1000, config.scanIntervalMs() * 10L)).whenComplete((r, t) -> {
                    if (t != null) {
                        log.warn("liveness: expiry of {} epoch {} not confirmed ({}); will retry if still leader",
                                e.key(), e.epoch(), t.getMessage());
                        tracker.expiryFinished(e, LeaseTracker.Outcome.FAILED);
                    } else if (r instanceof WriteOutcome.Applied a) {
                        expiriesApplied.incrementAndGet();
                        remember(new RecentExpiry(e, a.index(), clock.nanos()));
                        log.info("liveness: broker {} epoch {} expired at log index {}", e.key(), e.epoch(), a.index());
                        tracker.expiryFinished(e, LeaseTracker.Outcome.APPLIED);
                    } else {
                        log.info("liveness: expiry of {} epoch {} lost the race ({}): the broker re-registered or left",
                                e.key(), e.epoch(), r);
                        tracker.expiryFinished(e, LeaseTracker.Outcome.REJECTED);
                    }
                });
    }

    /**
     * A registration of {@code m} (applied or unchanged) that arrived at {@code contactNanos}; {@code everyNode}: the
     * broker registers with every node (RegisterBrokerRequest.registers_with_every_node).
     */
    public void registered(BrokerMember m, long contactNanos, boolean everyNode) {
        tracker.registered(m, contactNanos, everyNode);
    }

    private void remember(RecentExpiry r) {
        synchronized (recent) {
            recent.addFirst(r);
            while (recent.size() > RECENT_EXPIRIES) {
                recent.removeLast();
            }
        }
    }

    /** The last expiries this node applied as leader, newest first. */
    public List<RecentExpiry> recentExpiries() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public long expiriesProposed() {
        return expiriesProposed.get();
    }

    public long expiriesApplied() {
        return expiriesApplied.get();
    }

    @Override
    public synchronized void close() {
        if (scan != null) {
            scan.cancel(false);
            scan = null;
        }
        executor = null;
        tracker.stopLeading();
    }
}
