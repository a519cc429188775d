package io.rns.client;

import io.rns.rpc.v1.GetNodeStatusRequest;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's mode: the configured one, or (AUTO) the one learned from the first GetNodeStatus answer of any
 * endpoint, then cached; switches the engine to leaderless behaviour when it learns LEADERLESS.
 */
final class ModeResolver {
    private final ClusterMode configured;
    private final List<String> endpoints;
    private final Duration overallTimeout;
    private final Caller caller;
    private final Object lock = new Object();
    private volatile ClusterMode resolved; // null until known (AUTO)

    ModeResolver(ClusterMode configured, List<String> endpoints, Duration overallTimeout, Caller caller) {
        this.configured = configured;
        this.endpoints = endpoints;
        this.overallTimeout = overallTimeout;
        this.caller = caller;
        if (configured != ClusterMode.AUTO) {
            resolved = configured;
            caller.setLeaderless(configured == ClusterMode.LEADERLESS);
        }
    }

    ClusterMode configured() {
        return configured;
    }

    boolean known() {
        return resolved != null;
    }

    /** The mode, asked now (the preferred endpoint first, if any) if not yet known. */
    ClusterMode modeFor(String preferredEndpoint) {
        ClusterMode m = resolved;
        return m != null ? m : resolve(preferredEndpoint);
    }

    private ClusterMode resolve(String preferredEndpoint) {
        synchronized (lock) {
            if (resolved != null)
                return resolved;
            List<String> order = new ArrayList<>();
            if (preferredEndpoint != null)
                order.add(preferredEndpoint);
            int start = Math.max(0, endpoints.indexOf(caller.router().current()));
            for (int i = 0; i < endpoints.size(); i++) {
                String ep = endpoints.get((start + i) % endpoints.size());
                if (!order.contains(ep))
                    order.add(ep);
            }
            long deadline = System.nanoTime() + overallTimeout.toNanos();
            List<NamesrvException> errors = new ArrayList<>();
            for (String ep : order) {
                if (!errors.isEmpty() && System.nanoTime() >= deadline)
                    break;
                try {
                    Caller.Answer a = Replies.await(caller.call(
                            RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance()),
                            CallOptions.DEFAULT.withNode(ep), true, false));
                    GetNodeStatusResponse s = Replies
                            .reply(a, ResponseEnvelope.BodyCase.GET_NODE_STATUS, ResponseEnvelope::getGetNodeStatus)
                            .value();
                    learn(s.getMode());
                    return resolved;
                } catch (NamesrvException e) {
                    errors.add(e);
                }
            }
            throw FanOut.allFailed(errors, "cannot learn the cluster mode: no endpoint answered GetNodeStatus");
        }
    }

    /** AUTO only, first answer wins: "leaderless" = LEADERLESS, anything else (an older server says "") = RAFT. */
    void learn(String mode) {
        synchronized (lock) {
            if (resolved != null)
                return;
            ClusterMode m = "leaderless".equalsIgnoreCase(mode.trim()) ? ClusterMode.LEADERLESS : ClusterMode.RAFT;
            caller.setLeaderless(m == ClusterMode.LEADERLESS);
            resolved = m;
        }
    }
}
