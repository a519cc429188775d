package io.rns.namesrv.api;

import com.google.protobuf.ByteString;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionLoss;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.v1.BrokerConnectionClosedRequest;
import io.rns.rpc.v1.BrokerConnectionsRequest;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything a node sends to other nodes' client ports over the native protocol: requests only the leader serves
 * (forwarded exactly once, hops 0 -> 1; the leader's response, header included, goes back unchanged: it says the
 * leader served it, and its applied index lets the client's next read on any node wait for this write), this node's
 * reports to the leader that a broker's bound connection closed, and the leader's question to the other members
 * whether they still hold one.
 *
 * @param client may be null (tests): a follower then answers NOT_LEADER instead of forwarding
 * @param auth   this node's credentials for its own reports (auth.enabled)
 */
public record LeaderForwarding(NamesrvConfig config, NodeStatus status, Responses responses, RpcClient client,
        Authenticator auth) implements ConnectionLoss.LeaderReport, ConnectionLoss.MemberConnections {
    private static final Logger log = LoggerFactory.getLogger(LeaderForwarding.class);

    /**
     * Forwards once to the leader (adding how long the request waited here since {@code arrivalNanos}; 0 = add
     * nothing), or answers NOT_LEADER when already forwarded or no leader is known. With auth on, it goes with this
     * node's credentials on behalf of {@code account} (the one the access gate admitted here).
     */
    CompletableFuture<ResponseEnvelope> forwardOrRefuse(RequestEnvelope request, String account, long timeoutMs,
            long arrivalNanos) {
        String hint = responses.leaderHint(status.state());
        if (request.getHops() > 0 || hint.isEmpty()) {
            String why = hint.isEmpty()
                    ? "this node is not the leader and knows no leader (election in progress or no quorum)"
                    : "this node is not the leader (request already forwarded once)";
            return CompletableFuture.completedFuture(responses.error(ErrorCode.NOT_LEADER, why));
        }
        if (client == null) {
            return CompletableFuture
                    .failedFuture(new RnsException(ErrorCode.NOT_LEADER, "this node is not the leader"));
        }
        long queuedMs = arrivalNanos == 0 ? 0
                : Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivalNanos));
        RequestEnvelope.Builder fwd = request.toBuilder()
                .setQueuedMs((int) Math.min(Integer.MAX_VALUE, request.getQueuedMs() + queuedMs))
                .setHops(request.getHops() + 1);
        if (account != null) {
            fwd.setAuth(ByteString.copyFrom(auth.nodeToken())).setAuthFor(account);
        }
        return client.call(hint, fwd.build(), Duration.ofMillis(Math.max(1, timeoutMs)));
    }

    /** Tells the leader (asynchronously; this runs on a Netty event loop) that a broker's bound connection closed. */
    @Override
    public void connectionClosed(BrokerKey key, long epoch) {
        String leader = responses.leaderHint(status.state());
        if (leader.isEmpty() || client == null) {
            log.warn("node {}: broker {} epoch {} lost its connection but no leader is known to tell", config.nodeId(),
                    key, epoch);
            return;
        }
        RequestEnvelope.Builder report = RequestEnvelope.newBuilder().setClientId("node-" + config.nodeId())
                .setBrokerConnectionClosed(BrokerConnectionClosedRequest.newBuilder().setBrokerName(key.brokerName())
                        .setBrokerId(key.brokerId()).setBrokerEpoch(epoch).setReportingNode(config.nodeId()));
        if (auth.enabled()) {
            report.setAuth(ByteString.copyFrom(auth.nodeToken()));
        }
        client.call(leader, report.build(), Duration.ofMillis(config.writeTimeoutMs())).whenComplete((r, t) -> {
            if (t != null || r.getHeader().getCode() != ErrorCode.OK) {
                log.warn("node {}: could not tell the leader that broker {} lost its connection: {}", config.nodeId(),
                        key, t != null ? t.toString() : r.getHeader().getCode() + " " + r.getHeader().getMessage());
            }
        });
    }

    /**
     * Asks every other voting member (its client port; at most the suspect lease or 1 s) how many bound connections of
     * the broker it holds. True only if all answered 0; a member without a client address, an error or a timeout
     * makes it false.
     */
    @Override
    public CompletableFuture<Boolean> noneOpen(BrokerKey key) {
        if (client == null) {
            return CompletableFuture.completedFuture(false);
        }
        Duration timeout = Duration.ofMillis(Math.min(1000, config.liveness().suspectLeaseMs()));
        RequestEnvelope.Builder ask = RequestEnvelope.newBuilder().setClientId("node-" + config.nodeId())
                .setBrokerConnections(BrokerConnectionsRequest.newBuilder().setBrokerName(key.brokerName())
                        .setBrokerId(key.brokerId()));
        if (auth.enabled()) {
            ask.setAuth(ByteString.copyFrom(auth.nodeToken()));
        }
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (NodeState.Peer p : status.peers()) {
            if (p.id().equals(config.nodeId())) {
                continue;
            }
            if (p.clientAddr() == null || p.clientAddr().isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            answers.add(client.call(p.clientAddr(), ask.build(), timeout).handle((r, t) -> t == null
                    && r.getHeader().getCode() == ErrorCode.OK && r.getBrokerConnections().getOpen() == 0));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> answers.stream().allMatch(CompletableFuture::join));
    }
}
