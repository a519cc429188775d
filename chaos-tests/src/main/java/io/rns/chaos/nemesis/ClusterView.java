package io.rns.chaos.nemesis;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/** What a nemesis may ask about the cluster right now (each call asks the nodes afresh). */
public interface ClusterView {
    /** Every node that answered GetNodeStatus, by host id; unreachable, paused or dead nodes are absent. */
    Map<String, ObservedNode> statuses();

    /**
     * The leader's host id: among the nodes answering with role LEADER, the one with the highest term (an isolated
     * old leader may still claim leadership for a while). Empty if no node claims it (or in leaderless mode).
     */
    default Optional<String> leader() {
        return leaderAmong(statuses());
    }

    static Optional<String> leaderAmong(Map<String, ObservedNode> statuses) {
        return statuses.values().stream().filter(ObservedNode::isLeader)
                .max(Comparator.comparingLong(ObservedNode::term)).map(ObservedNode::hostId);
    }
}
