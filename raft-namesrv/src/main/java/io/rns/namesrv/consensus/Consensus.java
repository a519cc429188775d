package io.rns.namesrv.consensus;

/**
 * A whole replication engine: the four narrow ports together (the etcd split: proposer, read barrier, membership,
 * status). Implemented by {@code raft.JraftConsensus} (the only place that touches sofa-jraft) and
 * {@code leaderless.LeaderlessConsensus}; tests use an in-memory stand-in. Services take only the port they need.
 * Futures complete exceptionally with {@link ConsensusException} only.
 */
public interface Consensus extends Proposer, ReadBarrier, NodeStatus, Membership, AutoCloseable {
    /** Stops the engine; pending futures fail with SHUTTING_DOWN. */
    @Override
    void close();
}
