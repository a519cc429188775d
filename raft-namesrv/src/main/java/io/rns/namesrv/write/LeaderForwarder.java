package io.rns.namesrv.write;

import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards a write from a follower to the leader's client port over the native protocol, exactly once (hops = 1).
 * The leader's response, header included, goes back to the caller unchanged: it says the leader served it, and its
 * applied index lets the client's next read on any node wait for this write.
 */
public final class LeaderForwarder {
    private final RpcClient client;

    public LeaderForwarder(RpcClient client) {
        this.client = client;
    }

    public CompletableFuture<ResponseEnvelope> forward(
            RequestEnvelope request, String leaderClientAddress, long timeoutMs) {
        RequestEnvelope fwd = request.toBuilder().setHops(request.getHops() + 1).build();
        return client.call(leaderClientAddress, fwd, Duration.ofMillis(Math.max(1, timeoutMs)));
    }
}
