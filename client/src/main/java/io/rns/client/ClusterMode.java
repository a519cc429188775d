package io.rns.client;

/**
 * How the nodes of the cluster a {@link NamesrvClient} talks to work together.
 *
 * <ul>
 *   <li>{@link #RAFT}: one Raft group; writes go to the leader, reads may ask for any consistency level.</li>
 *   <li>{@link #LEADERLESS}: the stock RocketMQ NameServer design: the nodes never talk to each other, each keeps its
 *       own table (with its own, node-local index and broker epochs) and serves only STALE reads. The client fans
 *       writes out to every node and reads from one node, sticky until it fails.</li>
 *   <li>{@link #AUTO} (the default): learned from the {@code mode} of the first GetNodeStatus answer of any
 *       endpoint, lazily on first use, then cached ({@link NamesrvClient#mode()}).</li>
 * </ul>
 */
public enum ClusterMode {
    AUTO, RAFT, LEADERLESS
}
