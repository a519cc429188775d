package io.rns.chaos.nemesis;

import io.rns.rpc.v1.Role;

/** One node's answer to GetNodeStatus, as the harness saw it. */
public record ObservedNode(String hostId, String nodeId, Role role, long term, String leaderId, long appliedIndex,
        long commitIndex, long msSinceLeaderContact) {
    public boolean isLeader() {
        return role == Role.LEADER;
    }
}
