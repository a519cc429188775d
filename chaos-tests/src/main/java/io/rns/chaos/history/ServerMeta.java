package io.rns.chaos.history;

import io.rns.client.ResponseMeta;
import io.rns.rpc.v1.Consistency;

/**
 * What the answering server reported with a response (from the client's {@link ResponseMeta}).
 *
 * @param served       consistency level actually served for reads ({@code LINEARIZABLE}, {@code LEASE},
 *                     {@code SEQUENTIAL}, {@code STALE}); {@code null} for writes / unknown
 * @param nodeId       the node that answered; {@code null} if unknown
 * @param term         its Raft term; {@code -1} if unknown
 * @param appliedIndex its applied index when the answer was produced; {@code -1} if unknown
 */
public record ServerMeta(String served, String nodeId, long term, long appliedIndex) {

    public static final long UNKNOWN = -1;

    public static ServerMeta of(ResponseMeta m) {
        if (m == null) {
            return null;
        }
        Consistency c = m.served();
        String served = c == null || c == Consistency.CONSISTENCY_UNSPECIFIED || c == Consistency.UNRECOGNIZED ? null
                : c.name();
        String node = m.nodeId() == null || m.nodeId().isEmpty() ? null : m.nodeId();
        return new ServerMeta(served, node, m.term(), m.appliedIndex());
    }

    public boolean hasAppliedIndex() {
        return appliedIndex >= 0;
    }
}
