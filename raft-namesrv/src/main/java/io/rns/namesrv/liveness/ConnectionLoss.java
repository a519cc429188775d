package io.rns.namesrv.liveness;

import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.write.WriteService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What a node does when a broker's bound connection to it closes ({@link ConnectionRegistry} calls it). Raft mode:
 * on the leader the broker becomes a suspect at once; elsewhere the leader is told. No node removes a broker on its
 * own, because one node's view of one connection proves nothing in a cluster. But when the leader holds no bound
 * connection of the broker and every other member answers that it holds none either, nobody hears from the broker
 * any more: it is expired at once instead of after the suspect lease ({@code liveness.expire-when-all-closed}; a
 * member that does not answer counts as still connected). Leaderless mode (the stock design,
 * RouteInfoManager.onChannelDestroy): the broker goes at once, from this node only.
 */
public final class ConnectionLoss implements BiConsumer<BrokerKey, Long> {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLoss.class);

    /** How a node reacts to a closed broker connection. */
    public enum Policy {
        /** Raft mode: suspect on the leader (the suspect lease), reported to the leader from elsewhere. */
        SUSPECT,
        /** Leaderless mode: expire the broker from this node's own table at once. */
        EXPIRE_AT_ONCE
    }

    /** Sends "this broker's connection closed" to the leader (implemented by api/, which owns the wire). */
    @FunctionalInterface
    public interface LeaderReport {
        void connectionClosed(BrokerKey key, long epoch);
    }

    /** Asks every other member for its bound connections of a broker (implemented by api/, which owns the wire). */
    @FunctionalInterface
    public interface MemberConnections {
        /** Completes true only if every other member answered, and none holds an open bound connection. */
        CompletableFuture<Boolean> noneOpen(BrokerKey key);
    }

    private final String nodeId;
    private final Policy policy;
    private final LivenessService liveness;
    private final NodeStatus status;
    private final WriteService writes;
    private final LeaderReport report;
    private final MemberConnections members;
    private final long writeTimeoutMs;
    private final ConnectionRegistry registry;
    private volatile boolean closed;

    /**
     * @param members
     *            null: never expire at once (liveness.expire-when-all-closed=false, or leaderless)
     */
    public ConnectionLoss(String nodeId, Policy policy, LivenessService liveness, NodeStatus status,
            WriteService writes, LeaderReport report, MemberConnections members, long writeTimeoutMs) {
        this.nodeId = nodeId;
        this.policy = policy;
        this.liveness = liveness;
        this.status = status;
        this.writes = writes;
        this.report = report;
        this.members = members;
        this.writeTimeoutMs = writeTimeoutMs;
        this.registry = new ConnectionRegistry(this);
    }

    /** This node's table of bound connections, whose closing it handles. */
    public ConnectionRegistry registry() {
        return registry;
    }

    @Override
    public void accept(BrokerKey key, Long epoch) {
        if (closed) {
            return;
        }
        if (policy == Policy.EXPIRE_AT_ONCE) {
            expireLocally(key, epoch);
            return;
        }
        if (liveness.tracker().isLeading()) {
            if (liveness.tracker().connectionClosed(key, epoch)) {
                log.info("node {}: broker {} epoch {} lost its connection; suspect for {} ms", nodeId, key, epoch,
                        liveness.config().suspectLeaseMs());
                expireIfNoneOpen(key, epoch);
            }
            return;
        }
        report.connectionClosed(key, epoch);
    }

    private void expireIfNoneOpen(BrokerKey key, long epoch) {
        if (members == null || registry.open(key) > 0 || !liveness.tracker().registersWithEveryNode(key, epoch)) {
            return;
        }
        members.noneOpen(key).whenComplete((none, t) -> {
            if (t == null && Boolean.TRUE.equals(none) && registry.open(key) == 0
                    && liveness.tracker().allConnectionsClosed(key, epoch)) {
                log.info("node {}: broker {} epoch {}: no member holds a connection of it any more; expiring it now",
                        nodeId, key, epoch);
                liveness.scanSoon();
            }
        });
    }

    private void expireLocally(BrokerKey key, long epoch) {
        status.image().broker(key.brokerName(), key.brokerId()).ifPresent(m -> {
            if (m.epoch() != epoch) {
                return;
            }
            writes.expire(m.cluster(), m.brokerName(), m.brokerId(), m.addr(), epoch, writeTimeoutMs)
                    .whenComplete((r, t) -> log.info(
                            "node {} (leaderless): broker {} epoch {} removed because its connection closed: {}",
                            nodeId, key, epoch, t != null ? t.toString() : r));
        });
    }

    /** After close, closed connections are ignored (the node is going down and closes every connection). */
    public void close() {
        closed = true;
    }
}
