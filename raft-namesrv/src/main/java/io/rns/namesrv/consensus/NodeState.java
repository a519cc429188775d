package io.rns.namesrv.consensus;

import io.rns.rpc.v1.Role;

/**
 * A point-in-time view of this node.
 *
 * @param leaderId             the leader's member id, or null if none is known
 * @param msSinceLeaderContact 0 on the leader; -1 if unknown
 */
public record NodeState(Role role, long term, String leaderId, long msSinceLeaderContact, long commitIndex,
        long lastLogIndex, long lastSnapshotIndex) {

    /**
     * A voting member and whether the leader considers it alive; see {@link Consensus#peers()}. {@code clientAddr} is
     * empty when this node does not know the member's client port (a member added at runtime that is not in this
     * node's {@code members} setting and was not added through this node).
     */
    public record Peer(String id, String raftAddr, String clientAddr, boolean alive) {
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** Whether this node applies writes itself: the Raft leader, or any node in leaderless mode. */
    public boolean acceptsWrites() {
        return role == Role.LEADER || role == Role.LEADERLESS;
    }
}
