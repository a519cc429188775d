package io.rns.client;

import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.v1.Consistency;

/**
 * Per-call options.
 *
 * @param consistency    read level; {@code null} = the client's default ({@code NamesrvClient.Builder#defaultConsistency})
 * @param node           {@code null} = any node (failover allowed); otherwise {@code host:port} of the one node to ask:
 *                       exactly one attempt, no failover, no redirect to the leader, no retry
 * @param minIndex       reads: the lowest applied index the answering node must have; 0 = the client's own floor
 *                       ({@link NamesrvClient#highestSeenIndex()}); the larger of the two is always sent
 * @param maxStalenessMs STALE reads: refuse (STALENESS_EXCEEDED) if the node last heard from a leader longer ago; 0 = no bound
 */
public record CallOptions(Consistency consistency, String node, long minIndex, int maxStalenessMs) {
    public static final CallOptions DEFAULT = new CallOptions(null, null, 0, 0);

    public CallOptions {
        if (consistency == Consistency.UNRECOGNIZED) {
            throw new IllegalArgumentException("consistency must be a known level");
        }
        if (node != null && !Endpoints.isValid(node)) {
            throw new IllegalArgumentException("node must be host:port: '" + node + "'");
        }
        if (minIndex < 0)
            throw new IllegalArgumentException("minIndex must be >= 0: " + minIndex);
        if (maxStalenessMs < 0)
            throw new IllegalArgumentException("maxStalenessMs must be >= 0: " + maxStalenessMs);
    }

    public CallOptions withConsistency(Consistency c) {
        return new CallOptions(c, node, minIndex, maxStalenessMs);
    }

    public CallOptions withNode(String n) {
        return new CallOptions(consistency, n, minIndex, maxStalenessMs);
    }

    public CallOptions withMinIndex(long i) {
        return new CallOptions(consistency, node, i, maxStalenessMs);
    }

    public CallOptions withMaxStalenessMs(int ms) {
        return new CallOptions(consistency, node, minIndex, ms);
    }
}
