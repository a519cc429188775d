package io.rns.client;

import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.Consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The validated settings of a {@link NamesrvClient}, as {@link NamesrvClient.Builder#build()} checks them: the
 * constructor throws {@link IllegalArgumentException} naming the bad setting. Endpoints are trimmed.
 *
 * @param randomSeed  {@code null} = an unseeded random
 * @param exactlyOnce writes in client sessions (raft mode), see {@link SessionPool}
 */
record ClientSettings(List<String> endpoints, Duration requestTimeout, Duration overallTimeout, RetryPolicy retryPolicy,
        Consistency defaultConsistency, boolean defaultConsistencyExplicit, String clientId,
        RpcClientOptions rpcOptions, Long randomSeed, ClusterMode mode, boolean exactlyOnce, String credentials) {

    ClientSettings {
        endpoints = checkEndpoints(endpoints);
        positive("requestTimeout", requestTimeout);
        positive("overallTimeout", overallTimeout);
        if (retryPolicy == null)
            throw new IllegalArgumentException("retryPolicy must not be null");
        if (defaultConsistency == null || defaultConsistency == Consistency.CONSISTENCY_UNSPECIFIED
                || defaultConsistency == Consistency.UNRECOGNIZED) {
            throw new IllegalArgumentException(
                    "defaultConsistency must be LINEARIZABLE, LEASE, SEQUENTIAL or STALE: " + defaultConsistency);
        }
        if (clientId == null)
            throw new IllegalArgumentException("clientId must not be null");
        if (mode == null)
            throw new IllegalArgumentException("mode must not be null (AUTO, RAFT or LEADERLESS)");
        if (rpcOptions == null)
            throw new IllegalArgumentException("rpcOptions must not be null");
    }

    private static List<String> checkEndpoints(List<String> endpoints) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints must name at least one host:port");
        }
        Set<String> seen = new HashSet<>();
        List<String> clean = new ArrayList<>();
        for (String e : endpoints) {
            if (e == null || !Endpoints.isValid(e)) {
                throw new IllegalArgumentException("endpoints: '" + e + "' is not host:port");
            }
            String t = e.trim();
            if (!seen.add(t))
                throw new IllegalArgumentException("endpoints: duplicate '" + t + "'");
            clean.add(t);
        }
        return List.copyOf(clean);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero())
            throw new IllegalArgumentException(name + " must be > 0: " + d);
        if (d.toMillis() > Integer.MAX_VALUE)
            throw new IllegalArgumentException(name + " is too large: " + d);
    }

    /** Without the secret. */
    @Override
    public String toString() {
        return "ClientSettings[endpoints=" + endpoints + ", clientId=" + clientId + ", mode=" + mode
                + ", requestTimeout=" + requestTimeout + ", overallTimeout=" + overallTimeout + ", exactlyOnce="
                + exactlyOnce + ", account="
                + (credentials == null ? "none" : credentials.substring(0, credentials.indexOf(':'))) + "]";
    }
}
