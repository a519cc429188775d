package io.rns.client;

import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.Role;

/**
 * What a node reported about itself in a response header.
 *
 * @param nodeId               the node that answered
 * @param role                 its role when it answered
 * @param term                 its Raft term
 * @param appliedIndex         its applied index when the answer was produced
 * @param served               the consistency level actually served (reads); {@code CONSISTENCY_UNSPECIFIED} for writes
 * @param msSinceLeaderContact 0 on the leader, -1 if never/unknown
 * @param leaderHint           the leader's client address as the node knows it; empty if unknown
 * @param endpoint             the endpoint ({@code host:port}) this client sent the request to
 */
public record ResponseMeta(String nodeId, Role role, long term, long appliedIndex, Consistency served,
        long msSinceLeaderContact, String leaderHint, String endpoint) {

    public static ResponseMeta of(ResponseHeader h, String endpoint) {
        return new ResponseMeta(h.getNodeId(), h.getRole(), h.getTerm(), h.getAppliedIndex(), h.getServed(),
                h.getMsSinceLeaderContact(), h.getLeaderHint(), endpoint);
    }

    /**
     * The one-line form the CLI prints after every result:
     * {@code served=<LEVEL> node=<nodeId> role=<ROLE> term=<n> applied=<n> endpoint=<host:port>}
     * ({@code served=NONE} when the node served no read level, i.e. for writes).
     */
    public String toMetaLine() {
        String level = served == null || served == Consistency.CONSISTENCY_UNSPECIFIED
                || served == Consistency.UNRECOGNIZED ? "NONE" : served.name();
        return "served=" + level + " node=" + (nodeId == null || nodeId.isEmpty() ? "-" : nodeId) + " role=" + role
                + " term=" + term + " applied=" + appliedIndex + " endpoint=" + endpoint;
    }
}
