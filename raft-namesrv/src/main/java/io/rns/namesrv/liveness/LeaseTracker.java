package io.rns.namesrv.liveness;

import io.rns.namesrv.base.MonotonicClock;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.rpc.transport.LogBudget;
import io.rns.statemachine.BrokerGroup;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.RouteImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The leader's soft-state view of broker liveness (DESIGN §5; models: Kafka's BrokerHeartbeatManager, etcd's lessor).
 * Nothing here is replicated: only the expiry decisions it produces become log records, conditional on the epoch
 * they name. All time is the injected monotonic clock.
 *
 * <ul>
 *   <li>Tracking starts in {@link #startLeading} — every registered broker gets a full lease from that moment, so a
 *       new leader never expires a broker it has not had a chance to hear from — and ends in {@link #stopLeading}.</li>
 *   <li>A heartbeat or registration counts as contact at the time it ARRIVED (a request that waited in a queue still
 *       counts; the KAFKA-15019 lesson), and only for the broker's current epoch. A numbered heartbeat counts only if
 *       its number is above the highest counted since the broker's last registration: a copy that a paused or partitioned node held back and
 *       forwarded seconds later is old news (seen in a chaos run: a copy delivered when a SIGSTOPped follower resumed
 *       kept a hung broker listed 3 s past its lease).</li>
 *   <li>A bound connection that closes makes the broker a suspect: its deadline becomes at most now + the suspect
 *       lease. Any later heartbeat clears the suspicion.</li>
 *   <li>{@link #dueExpiries} hands out expired leases, oldest first, through a token bucket; when more than the
 *       configured fraction of a cluster's brokers would expire within one lease period, that cluster loses the
 *       burst (one expiry per 1/rate seconds) and a warning is logged: routes are never dropped en masse silently.</li>
 * </ul>
 * Thread-safe (one monitor; the leader's heartbeat rate is modest).
 */
public final class LeaseTracker {
    private static final Logger log = LoggerFactory.getLogger(LeaseTracker.class);

    /** One broker epoch's lease. */
    static final class Lease {
        final String cluster;
        final String addr;
        final long epoch;
        final long timeoutNanos;
        long lastContactNanos;
        long suspectDeadlineNanos = Long.MAX_VALUE;
        /** When the last connection-closed report for this epoch was counted; contact before it cannot clear it. */
        long suspectSinceNanos = Long.MIN_VALUE;
        /** The highest heartbeat number counted since the epoch's last registration (0: none numbered yet). */
        long heartbeatSequence;
        /** The epoch's last registration said the broker registers with every node (then all-closed expires it). */
        boolean everyNode;

        boolean expiring;

        Lease(String cluster, String addr, long epoch, long timeoutNanos, long lastContactNanos) {
            this.cluster = cluster;
            this.addr = addr;
            this.epoch = epoch;
            this.timeoutNanos = timeoutNanos;
            this.lastContactNanos = lastContactNanos;
        }

        long deadline() {
            return Math.min(lastContactNanos + timeoutNanos, suspectDeadlineNanos);
        }

        boolean suspect() {
            return suspectDeadlineNanos != Long.MAX_VALUE;
        }
    }

    /** An expiry to propose: UnregisterBroker(epoch, EXPIRED). */
    public record Expiry(BrokerKey key, long epoch, String cluster, String addr) {
    }

    /** What a heartbeat found. */
    public enum HeartbeatStatus {
        OK, NOT_LEADING, UNKNOWN_BROKER, STALE_EPOCH,
        /** A numbered heartbeat at or below the highest already counted for the epoch: it renewed nothing. */
        ALREADY_COUNTED
    }

    public record HeartbeatResult(HeartbeatStatus status, long currentEpoch, int leaseMs) {
    }

    /** A row of the lease table, as the leader sees it now. */
    public record LeaseView(BrokerKey key, String cluster, String addr, long epoch, long lastContactAgeMs,
            long remainingMs, int timeoutMs, boolean suspect, boolean expiring) {
    }

    public enum Outcome {
        APPLIED, REJECTED, FAILED
    }

    private final LivenessConfig config;
    private final MonotonicClock clock;
    private final Map<BrokerKey, Lease> leases = new HashMap<>();
    /** Per cluster: when its recent expiries were proposed (for the mass-expiry window). */
    private final Map<String, ArrayDeque<Long>> recentExpiries = new HashMap<>();

    private final Map<String, Long> lastGuardedExpiry = new HashMap<>();
    private ExpiryRateLimiter limiter;
    private boolean leading;
    private long massExpiryWarnings;
    private long lastWarnNanos = Long.MIN_VALUE;
    private long heartbeatCopiesIgnored;
    private final LogBudget copyLog;

    public LeaseTracker(LivenessConfig config, MonotonicClock clock) {
        this.config = config;
        this.clock = clock;
        this.copyLog = new LogBudget(10, clock::nanos);
    }

    private long leaseNanos(long leaseMs) {
        return TimeUnit.MILLISECONDS.toNanos(config.effectiveLeaseMs(leaseMs));
    }

    private Lease freshLease(BrokerMember m, long contact) {
        return new Lease(m.cluster(), m.addr(), m.epoch(), leaseNanos(m.leaseTimeoutMs()), contact);
    }

    /** This node became leader: every registered broker gets a full lease starting now. */
    public synchronized void startLeading(RouteImage image) {
        long now = clock.nanos();
        leases.clear();
        recentExpiries.clear();
        lastGuardedExpiry.clear();
        limiter = new ExpiryRateLimiter(config.expiryRatePerSec(), config.expiryBurst(), now);
        for (BrokerGroup g : image.brokerGroups().values()) {
            for (BrokerMember m : g.members().values()) {
                leases.put(new BrokerKey(m.brokerName(), m.brokerId()), freshLease(m, now));
            }
        }
        leading = true;
        log.info("liveness: tracking {} broker(s) as leader; every one has a full lease before any expiry",
                leases.size());
    }

    /** This node stopped leading: all soft state is dropped (the next leader starts from its own grace). */
    public synchronized void stopLeading() {
        leading = false;
        leases.clear();
        recentExpiries.clear();
        lastGuardedExpiry.clear();
    }

    public synchronized boolean isLeading() {
        return leading;
    }

    /**
     * A heartbeat that arrived at {@code contactNanos} for {@code key} at {@code epoch}, numbered {@code sequence}
     * by its sender (0: unnumbered). Validated against the image: an unknown broker or another epoch never refreshes
     * anything (zombie fencing); nor does a numbered heartbeat whose number was already passed (a late copy).
     */
    public synchronized HeartbeatResult heartbeat(BrokerKey key, long epoch, long sequence, long contactNanos,
            RouteImage image) {
        if (!leading) {
            return new HeartbeatResult(HeartbeatStatus.NOT_LEADING, 0, 0);
        }
        BrokerMember m = image.broker(key.brokerName(), key.brokerId()).orElse(null);
        if (m == null) {
            return new HeartbeatResult(HeartbeatStatus.UNKNOWN_BROKER, 0, 0);
        }
        if (m.epoch() != epoch) {
            return new HeartbeatResult(HeartbeatStatus.STALE_EPOCH, m.epoch(), 0);
        }
        Lease l = leases.get(key);
        if (l == null || l.epoch != epoch) {
            l = freshLease(m, contactNanos);
            leases.put(key, l);
        }
        int leaseMs = config.effectiveLeaseMs(m.leaseTimeoutMs());
        int order = Long.compareUnsigned(sequence, l.heartbeatSequence);
        if (sequence != 0 && order <= 0) {
            heartbeatCopiesIgnored++;
            if (order < 0 && copyLog.admit()) {
                log.info(
                        "liveness: heartbeat #{} of broker {} epoch {} arrived after #{} had been counted (a copy"
                                + " delivered late, e.g. by a node that was paused or cut off); it renews nothing{}",
                        Long.toUnsignedString(sequence), key, epoch, Long.toUnsignedString(l.heartbeatSequence),
                        copyLog.takeSuppressed());
            }
            return new HeartbeatResult(HeartbeatStatus.ALREADY_COUNTED, epoch, leaseMs);
        }
        if (sequence != 0) {
            l.heartbeatSequence = sequence;
        }
        l.lastContactNanos = Math.max(l.lastContactNanos, contactNanos);
        clearSuspicionIfNewer(l, contactNanos);
        return new HeartbeatResult(HeartbeatStatus.OK, epoch, leaseMs);
    }

    /** Numbered heartbeats that renewed nothing because a higher or equal number had been counted already. */
    public synchronized long heartbeatCopiesIgnored() {
        return heartbeatCopiesIgnored;
    }

    /**
     * A registration (applied, or confirmed unchanged) for the member now in the image counts as contact;
     * {@code everyNode}: the broker registers with every node, so when no member holds a bound connection of it,
     * nobody hears from it ({@link #allConnectionsClosed}).
     */
    public synchronized void registered(BrokerMember m, long contactNanos, boolean everyNode) {
        if (!leading) {
            return;
        }
        BrokerKey key = new BrokerKey(m.brokerName(), m.brokerId());
        Lease l = leases.get(key);
        if (l == null || l.epoch != m.epoch() || l.timeoutNanos != leaseNanos(m.leaseTimeoutMs())) {
            l = freshLease(m, contactNanos);
            leases.put(key, l);
        }
        l.lastContactNanos = Math.max(l.lastContactNanos, contactNanos);
        l.everyNode = everyNode;
        // a registration may come from a restarted broker process that registered unchanged (same epoch) and numbers
        // its heartbeats from 1 again: numbering starts over with every registration
        l.heartbeatSequence = 0;
        clearSuspicionIfNewer(l, contactNanos);
    }

    /**
     * Contact clears a suspicion only if it arrived after the connection-closed report was counted. A broker sends
     * the same registration to every node; a copy that arrived before the broker died but reaches the leader (or is
     * confirmed "unchanged") after the close report is old news and must not undo the suspicion, otherwise a killed
     * broker would live on for its full lease (seen: a RocketMQ broker killed 0.6 s after its registration stayed
     * listed for its 120 s lease).
     */
    private static void clearSuspicionIfNewer(Lease l, long contactNanos) {
        if (contactNanos > l.suspectSinceNanos) {
            l.suspectDeadlineNanos = Long.MAX_VALUE;
        }
    }

    /** A node reports that the connection this broker epoch was bound to closed. */
    public synchronized boolean connectionClosed(BrokerKey key, long epoch) {
        Lease l = leases.get(key);
        if (!leading || l == null || l.epoch != epoch) {
            return false;
        }
        long now = clock.nanos();
        long suspectDeadline = now + TimeUnit.MILLISECONDS.toNanos(config.suspectLeaseMs());
        l.suspectDeadlineNanos = Math.min(l.suspectDeadlineNanos, suspectDeadline);
        l.suspectSinceNanos = Math.max(l.suspectSinceNanos, now);
        return true;
    }

    /**
     * No member holds a bound connection of this broker epoch any more (the leader asked them after its connection
     * closed): a suspect that no contact has cleared since, of a broker that registers with every node, becomes due at
     * once. Returns whether it did (false if it already was). (A broker that talks to one node at a time holds no
     * connection while it moves to another node; it keeps the suspect lease.)
     */
    public synchronized boolean allConnectionsClosed(BrokerKey key, long epoch) {
        Lease l = leases.get(key);
        long now = clock.nanos();
        if (!leading || l == null || l.epoch != epoch || !l.everyNode || !l.suspect() || l.expiring
                || l.suspectDeadlineNanos <= now) {
            return false;
        }
        l.suspectDeadlineNanos = now;
        return true;
    }

    /** Whether this broker epoch's last registration said it registers with every node (worth asking the members). */
    public synchronized boolean registersWithEveryNode(BrokerKey key, long epoch) {
        Lease l = leases.get(key);
        return l != null && l.epoch == epoch && l.everyNode;
    }

    /**
     * Brings the leases in line with the image (new members get a fresh lease, removed ones are dropped), then
     * returns the expiries to propose now, oldest deadline first, within the rate limit and the mass-expiry guard.
     */
    public synchronized List<Expiry> dueExpiries(RouteImage image) {
        if (!leading) {
            return List.of();
        }
        long now = clock.nanos();
        reconcile(image, now);
        List<Map.Entry<BrokerKey, Lease>> due = new ArrayList<>();
        for (Map.Entry<BrokerKey, Lease> e : leases.entrySet()) {
            if (!e.getValue().expiring && e.getValue().deadline() <= now) {
                due.add(e);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        due.sort(Comparator.comparingLong((Map.Entry<BrokerKey, Lease> e) -> e.getValue().deadline())
                .thenComparing(Map.Entry::getKey));
        Set<String> guarded = guardedClusters(due, now);
        List<Expiry> out = new ArrayList<>();
        for (Map.Entry<BrokerKey, Lease> e : due) {
            Lease l = e.getValue();
            if (guarded.contains(l.cluster)) {
                Long last = lastGuardedExpiry.get(l.cluster);
                if (last != null && now - last < limiter.spacingNanos()) {
                    continue;
                }
            }
            if (!limiter.tryAcquire(now)) {
                break;
            }
            if (guarded.contains(l.cluster)) {
                lastGuardedExpiry.put(l.cluster, now);
            }
            l.expiring = true;
            recentExpiries.computeIfAbsent(l.cluster, c -> new ArrayDeque<>()).addLast(now);
            out.add(new Expiry(e.getKey(), l.epoch, l.cluster, l.addr));
        }
        return out;
    }

    private void reconcile(RouteImage image, long now) {
        Set<BrokerKey> present = new HashSet<>();
        for (BrokerGroup g : image.brokerGroups().values()) {
            for (BrokerMember m : g.members().values()) {
                BrokerKey key = new BrokerKey(m.brokerName(), m.brokerId());
                present.add(key);
                Lease l = leases.get(key);
                if (l == null || l.epoch != m.epoch()) {
                    // a registration this tracker has not counted yet (or a newer epoch): never expire it unheard
                    leases.put(key, freshLease(m, now));
                }
            }
        }
        leases.keySet().retainAll(present);
    }

    /** Clusters where more than the configured fraction of brokers would expire within one lease period. */
    private Set<String> guardedClusters(List<Map.Entry<BrokerKey, Lease>> due, long now) {
        Map<String, Integer> total = new HashMap<>();
        Map<String, Long> window = new HashMap<>();
        Map<String, Integer> dying = new HashMap<>();
        for (Lease l : leases.values()) {
            total.merge(l.cluster, 1, Integer::sum);
            window.merge(l.cluster, l.timeoutNanos, Math::max);
            if (l.expiring || l.deadline() <= now) {
                dying.merge(l.cluster, 1, Integer::sum);
            }
        }
        Set<String> guarded = new HashSet<>();
        for (Map.Entry<String, Integer> e : dying.entrySet()) {
            String cluster = e.getKey();
            long w = window.getOrDefault(cluster, 0L);
            ArrayDeque<Long> recent = recentExpiries.getOrDefault(cluster, new ArrayDeque<>());
            while (!recent.isEmpty() && now - recent.peekFirst() > w) {
                recent.pollFirst();
            }
            // expiries proposed in the window and already applied are gone from `total`: count them on both sides
            int gone = recent.size() - countExpiring(cluster);
            int all = total.getOrDefault(cluster, 0) + Math.max(0, gone);
            int dyingNow = e.getValue() + Math.max(0, gone);
            if (all >= 2 && dyingNow > config.massExpiryFraction() * all) {
                guarded.add(cluster);
            }
        }
        if (!guarded.isEmpty()) {
            massExpiryWarnings++;
            if (lastWarnNanos == Long.MIN_VALUE || now - lastWarnNanos >= TimeUnit.SECONDS.toNanos(5)) {
                lastWarnNanos = now;
                log.warn(
                        "MASS EXPIRY GUARD: more than {}% of the brokers of cluster(s) {} would expire within one lease "
                                + "period ({} lease(s) due now); expiring them one at a time at {}/s instead of in a burst. "
                                + "Check the network between brokers and the RNS leader before trusting these expiries.",
                        Math.round(config.massExpiryFraction() * 100), new TreeMap<>(dying).keySet(), due.size(),
                        config.expiryRatePerSec());
            }
        }
        return guarded;
    }

    private int countExpiring(String cluster) {
        int n = 0;
        for (Lease l : leases.values()) {
            if (l.expiring && l.cluster.equals(cluster)) {
                n++;
            }
        }
        return n;
    }

    /** The outcome of a proposed expiry. */
    public synchronized void expiryFinished(Expiry e, Outcome outcome) {
        Lease l = leases.get(e.key());
        if (l == null || l.epoch != e.epoch()) {
            return;
        }
        if (outcome == Outcome.FAILED) {
            l.expiring = false; // try again at the next scan, if still leading
        } else {
            leases.remove(e.key()); // applied, or the broker re-registered in between (reconcile re-adds the new epoch)
        }
    }

    public synchronized List<LeaseView> view() {
        long now = clock.nanos();
        List<LeaseView> out = new ArrayList<>();
        for (Map.Entry<BrokerKey, Lease> e : new TreeMap<>(leases).entrySet()) {
            Lease l = e.getValue();
            out.add(new LeaseView(e.getKey(), l.cluster, l.addr, l.epoch,
                    TimeUnit.NANOSECONDS.toMillis(now - l.lastContactNanos),
                    TimeUnit.NANOSECONDS.toMillis(l.deadline() - now),
                    (int) TimeUnit.NANOSECONDS.toMillis(l.timeoutNanos), l.suspect(), l.expiring));
        }
        return out;
    }

    public synchronized int tracked() {
        return leases.size();
    }

    public synchronized int suspects() {
        int n = 0;
        for (Lease l : leases.values()) {
            if (l.suspect()) {
                n++;
            }
        }
        return n;
    }

    public synchronized long massExpiryWarnings() {
        return massExpiryWarnings;
    }
}
