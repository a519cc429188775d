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

    /** A voting member and whether the leader considers it alive; see {@link Consensus#peers()}. */
    public record Peer(String id, boolean alive) {}

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** Whether this node applies writes itself: the Raft leader, or any node in leaderless mode. */
    public boolean acceptsWrites() {
        return role == Role.LEADER || role == Role.LEADERLESS;
    }
}
