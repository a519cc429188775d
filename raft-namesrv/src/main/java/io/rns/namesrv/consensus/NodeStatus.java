package io.rns.namesrv.consensus;

import io.rns.statemachine.RouteImage;

import java.util.List;

/** The status port of the replication engine: the current image, this node's role and progress, the members. */
public interface NodeStatus {
    /** The latest published route image. Never blocks. */
    RouteImage image();

    /**
     * This node's applied index: everything up to it is reflected in {@link #image()}. Monotonic. Comparable across
     * nodes (it is a log index). By default the image's; an engine that also counts entries the image does not show
     * (e.g. Raft configuration entries) says so here.
     */
    default long appliedIndex() {
        return image().appliedIndex();
    }

    /**
     * Role, term, leader and progress of this node, as of now. Called for every response header: cheap, lock-free
     * on our side, never throws.
     */
    NodeState state();

    /**
     * Every voting member, with whether the leader considers it alive (all false unless this node leads): on the
     * leader its current configuration (a change in flight included), elsewhere the last committed configuration.
     * Asks the replication engine (on the leader, under its lock): for node status, not for every request.
     */
    List<NodeState.Peer> peers();

    /** Why this replica halted (an apply, snapshot or replication error), or null while it is healthy. */
    default String haltReason() {
        return null;
    }

    /** The replication engine's own measurements, now (empty if the engine keeps none). */
    default List<EngineMetric> engineMetrics() {
        return List.of();
    }

    /** How many leaders this node has seen take over (itself included) since it started; 0 without a leader. */
    default long leaderChanges() {
        return 0;
    }

    /**
     * Registers a listener for leadership changes. onLeaderStart runs once this node leads and has applied every
     * entry committed before its term; onLeaderStop when it steps down. Both run on the apply thread: keep them short.
     */
    void addLeadershipListener(LeadershipListener listener);

    /** Leadership changes of this node. */
    interface LeadershipListener {
        void onLeaderStart(long term);

        void onLeaderStop();
    }
}
