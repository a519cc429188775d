package io.rns.namesrv.api;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Entry point for every native request: picks the handler by body type, bounds it by the request's deadline, and
 * turns every failure into a response through {@link ErrorMapping}. Never throws, never answers without a header.
 */
public final class RequestDispatcher implements RequestHandler {
    private final NamesrvConfig config;
    private final Consensus consensus;
    private final Responses responses;
    private final BrokerHandlers brokers;
    private final AdminHandlers admin;
    private final QueryHandlers queries;
    private final LivenessHandlers livenessHandlers;
    private final MembershipHandlers membership;
    private final LivenessService liveness;
    private final long startedNanos = System.nanoTime();

    public RequestDispatcher(
            NamesrvConfig config,
            Consensus consensus,
            ReadService reads,
            WriteService writes,
            Responses responses,
            Executor readExecutor,
            LivenessService liveness,
            ConnectionRegistry connections) {
        this.config = config;
        this.consensus = consensus;
        this.responses = responses;
        this.liveness = liveness;
        this.brokers = new BrokerHandlers(writes, liveness, connections);
        this.livenessHandlers = new LivenessHandlers(consensus, liveness, connections, writes, responses);
        this.admin = new AdminHandlers(writes);
        this.membership = new MembershipHandlers(config, consensus, writes, responses);
        this.queries = new QueryHandlers(reads, responses, readExecutor);
    }

    @Override
    public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
        CompletableFuture<ResponseEnvelope> f;
        try {
            long remaining = TimeUnit.NANOSECONDS.toMillis(ctx.deadlineNanos() - System.nanoTime());
            if (remaining <= 0 && isPriority(req)) {
                remaining = 1000; // a late heartbeat still proves life at its arrival: handle it (KAFKA-15019)
            }
            if (remaining <= 0) {
                return CompletableFuture.completedFuture(responses.error(
                        ErrorCode.DEADLINE_EXCEEDED, "the request's deadline passed before it was handled"));
            }
            f = route(req, ctx, remaining);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionally(responses::error);
    }

    /** Heartbeats and connection-closed reports run on the transport's priority executor: never starved. */
    @Override
    public boolean isPriority(RequestEnvelope req) {
        return req.getBodyCase() == RequestEnvelope.BodyCase.HEARTBEAT
                || req.getBodyCase() == RequestEnvelope.BodyCase.BROKER_CONNECTION_CLOSED;
    }

    private CompletableFuture<ResponseEnvelope> route(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        return switch (req.getBodyCase()) {
            case REGISTER_BROKER -> brokers.register(req, ctx, timeoutMs);
            case HEARTBEAT -> livenessHandlers.heartbeat(req, ctx, timeoutMs);
            case LIST_BROKER_LEASES -> livenessHandlers.listLeases(req, ctx, timeoutMs);
            case BROKER_CONNECTION_CLOSED -> livenessHandlers.connectionClosed(req, ctx, timeoutMs);
            case UNREGISTER_BROKER -> brokers.unregister(req, timeoutMs);
            case DELETE_TOPIC -> admin.deleteTopic(req, timeoutMs);
            case KV_PUT -> admin.kvPut(req, timeoutMs);
            case KV_DELETE -> admin.kvDelete(req, timeoutMs);
            case CHANGE_WRITE_PERM -> admin.changeWritePerm(req, timeoutMs);
            case REGISTER_TOPIC -> admin.registerTopic(req, timeoutMs);
            case GET_BROKER -> queries.getBroker(req, timeoutMs);
            case GET_TOPIC_ROUTE -> queries.topicRoute(req, timeoutMs);
            case GET_CLUSTER_INFO -> queries.clusterInfo(req, timeoutMs);
            case LIST_TOPICS -> queries.listTopics(req, timeoutMs);
            case KV_GET -> queries.kvGet(req, timeoutMs);
            case KV_LIST -> queries.kvList(req, timeoutMs);
            case GET_NODE_STATUS -> CompletableFuture.completedFuture(nodeStatus());
            case LIST_PEERS -> membership.list(req);
            case ADD_PEER -> membership.add(req, ctx, timeoutMs);
            case REMOVE_PEER -> membership.remove(req, ctx, timeoutMs);
            case TRANSFER_LEADERSHIP -> membership.transfer(req, ctx, timeoutMs);
            case BODY_NOT_SET ->
                CompletableFuture.completedFuture(responses.error(
                        ErrorCode.UNSUPPORTED_REQUEST,
                        req.getUnknownFields().asMap().isEmpty()
                                ? "request has no body"
                                : "unknown request type (field "
                                        + req.getUnknownFields().asMap().keySet() + "); this node speaks rns.rpc.v1"));
        };
    }

    /** Local status; answered from this node's own view (served STALE: it is not a barrier-protected read). */
    private ResponseEnvelope nodeStatus() {
        NodeState s = consensus.state();
        var image = consensus.image();
        GetNodeStatusResponse.Builder b = GetNodeStatusResponse.newBuilder()
                .setNodeId(config.nodeId())
                .setMode(config.mode().name().toLowerCase(java.util.Locale.ROOT))
                .setRole(s.role())
                .setTerm(s.term())
                .setLeaderId(s.leaderId() == null ? "" : s.leaderId())
                .setLeaderClientAddr(responses.leaderHint(s))
                .setAppliedIndex(consensus.appliedIndex())
                .setCommitIndex(s.commitIndex())
                .setLastLogIndex(s.lastLogIndex())
                .setLastSnapshotIndex(s.lastSnapshotIndex())
                .setMsSinceLeaderContact(s.msSinceLeaderContact())
                .setUptimeMs(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos))
                .setTopics(image.topicCount())
                .setBrokers(image.brokerCount())
                .setLeasesTracked(liveness.tracker().tracked())
                .setSuspects(liveness.tracker().suspects())
                .setExpiriesProposed(liveness.expiriesProposed())
                .setExpiriesApplied(liveness.expiriesApplied())
                .setMassExpiryWarnings(liveness.tracker().massExpiryWarnings());
        b.addAllPeers(MembershipHandlers.toWire(consensus.peers(), s.leaderId() == null ? "" : s.leaderId()));
        return responses.ok(ResponseEnvelope.newBuilder().setGetNodeStatus(b), Consistency.STALE);
    }
}
