package io.rns.namesrv.api;

import io.rns.namesrv.api.Route.Placement;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.watch.WatchHub;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.RequestEnvelope.BodyCase;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Entry point for every native request: looks up the request kind's {@link Route} (one table), bounds it by the
 * request's deadline, runs its checks, decides once whether it is served here or forwarded to the leader, and turns
 * every failure into a response through {@link ErrorMapping}. Never throws, never answers without a header.
 */
public final class RequestDispatcher implements RequestHandler {
    private final NamesrvConfig config;
    private final Consensus consensus;
    private final Responses responses;
    private final LeaderForwarding forwarding;
    private final LivenessService liveness;
    private final ReadService reads;
    private final RequestMetrics metrics;
    private final Map<RequestEnvelope.BodyCase, Route> routes = new EnumMap<>(RequestEnvelope.BodyCase.class);
    private final RefusalLog refusals = new RefusalLog(System::nanoTime);
    private final AccessGate gate;
    private final long startedNanos = System.nanoTime();

    public RequestDispatcher(NamesrvConfig config, Consensus consensus, ReadService reads, WriteService writes,
            Responses responses, Executor readExecutor, LivenessService liveness, ConnectionRegistry connections,
            LeaderForwarding forwarding, RequestMetrics metrics, BackupSource backups, Authenticator auth,
            WatchHub watches) {
        this.config = config;
        this.gate = new AccessGate(auth);
        this.metrics = metrics;
        this.consensus = consensus;
        this.responses = responses;
        this.forwarding = forwarding;
        this.liveness = liveness;
        this.reads = reads;
        WriteAnswers answers = new WriteAnswers(responses);
        BrokerHandlers brokers = new BrokerHandlers(writes, answers, liveness, connections);
        LivenessHandlers leases = new LivenessHandlers(consensus, liveness, connections, responses,
                new NodeReports(config, consensus));
        AdminHandlers admin = new AdminHandlers(writes, answers);
        MembershipHandlers membership = new MembershipHandlers(config, consensus, responses);
        QueryHandlers queries = new QueryHandlers(reads, responses, readExecutor);
        SnapshotHandlers snapshots = new SnapshotHandlers(config.nodeId(), reads, responses, readExecutor, backups,
                config.maxFrameBytes(), System::nanoTime);

        routes.put(BodyCase.REGISTER_BROKER,
                new Route(Placement.WRITER, brokers::validateRegister, brokers::register, brokers::bindRegistered));
        routes.put(BodyCase.HEARTBEAT,
                new Route(Placement.WRITER_TIMED, leases::validateHeartbeat, leases::heartbeat, leases::bindHeartbeat));
        routes.put(BodyCase.LIST_BROKER_LEASES, Route.on(Placement.WRITER_TIMED, Route.Check.NONE, leases::listLeases));
        routes.put(BodyCase.BROKER_CONNECTION_CLOSED,
                Route.on(Placement.WRITER_TIMED, leases.connectionClosedCheck(), leases::connectionClosed));
        routes.put(BodyCase.BROKER_CONNECTIONS,
                Route.local(LivenessHandlers::checkBrokerConnections, leases::brokerConnections));
        write(BodyCase.UNREGISTER_BROKER, r -> RequestValidator.validate(r.getUnregisterBroker()), brokers::unregister);
        write(BodyCase.DELETE_TOPIC, r -> RequestValidator.validate(r.getDeleteTopic()), admin::deleteTopic);
        write(BodyCase.KV_PUT, r -> RequestValidator.validate(r.getKvPut()), admin::kvPut);
        write(BodyCase.KV_DELETE, r -> RequestValidator.validate(r.getKvDelete()), admin::kvDelete);
        write(BodyCase.CHANGE_WRITE_PERM, r -> RequestValidator.validate(r.getChangeWritePerm()),
                admin::changeWritePerm);
        write(BodyCase.REGISTER_TOPIC, r -> RequestValidator.validate(r.getRegisterTopic()), admin::registerTopic);
        write(BodyCase.OPEN_SESSION, Route.Check.NONE, admin::openSession);
        WatchHandlers watch = new WatchHandlers(watches, reads, responses, config.watch(), config.maxFrameBytes());
        routes.put(BodyCase.WATCH, Route.local(watch::validate, watch::watch));
        read(BodyCase.GET_BROKER, queries::getBroker);
        read(BodyCase.GET_TOPIC_ROUTE, queries::topicRoute);
        read(BodyCase.GET_CLUSTER_INFO, queries::clusterInfo);
        read(BodyCase.LIST_TOPICS, queries::listTopics);
        read(BodyCase.KV_GET, queries::kvGet);
        read(BodyCase.KV_LIST, queries::kvList);
        read(BodyCase.GET_NODE_STATUS, (req, ctx, t) -> CompletableFuture.completedFuture(nodeStatus()));
        routes.put(BodyCase.SAVE_SNAPSHOT,
                Route.local(req -> membership.requireRaft("save_snapshot"), snapshots::save));
        routes.put(BodyCase.LIST_PEERS,
                Route.local(req -> membership.requireRaft("list_peers"), (req, ctx, t) -> membership.list(req)));
        routes.put(BodyCase.ADD_PEER, Route.on(Placement.LEADER_TIMED, membership::validateAdd, membership::add));
        routes.put(BodyCase.REMOVE_PEER,
                Route.on(Placement.LEADER_TIMED, membership::validateRemove, membership::remove));
        routes.put(BodyCase.TRANSFER_LEADERSHIP,
                Route.on(Placement.LEADER_TIMED, membership::validateTransfer, membership::transfer));
    }

    /** A handler that needs only the request and its time budget. */
    @FunctionalInterface
    private interface Timed {
        CompletableFuture<ResponseEnvelope> serve(RequestEnvelope req, long timeoutMs);
    }

    /** A write served by the writing node, checked here first. */
    private void write(BodyCase kind, Route.Check check, Timed handler) {
        routes.put(kind, Route.on(Placement.WRITER, check, (req, ctx, t) -> handler.serve(req, t)));
    }

    /** A read served by any node (its read level is the read service's business). */
    private void read(BodyCase kind, Route.Serve handler) {
        routes.put(kind, Route.local(Route.Check.NONE, handler));
    }

    @Override
    public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope req, InboundContext ctx) {
        long started = System.nanoTime();
        metrics.queued(req.getBodyCase(), started - ctx.arrivalNanos());
        return answer(req, ctx).thenApply(resp -> {
            metrics.answered(req.getBodyCase(), resp, System.nanoTime() - started);
            return resp;
        });
    }

    private CompletableFuture<ResponseEnvelope> answer(RequestEnvelope req, InboundContext ctx) {
        CompletableFuture<ResponseEnvelope> f;
        try {
            long remaining = TimeUnit.NANOSECONDS.toMillis(ctx.deadlineNanos() - System.nanoTime());
            if (remaining <= 0 && isPriority(req)) {
                remaining = 1000; // a late heartbeat still proves life at its arrival: handle it (KAFKA-15019)
            }
            if (remaining <= 0) {
                return CompletableFuture.completedFuture(responses.error(ErrorCode.DEADLINE_EXCEEDED,
                        "the request's deadline passed before it was handled"));
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

    /**
     * A STALE route read is answered on the transport's event loop: a lookup in the local image and one small
     * encoding, with no barrier to wait for (the read many clients send most). Larger STALE reads (cluster info,
     * topic lists) still go to a worker, so one big answer never holds up a loop.
     */
    @Override
    public boolean isInline(RequestEnvelope req) {
        return req.getBodyCase() == BodyCase.GET_TOPIC_ROUTE && reads.answersAtOnce(req.getRead());
    }

    private CompletableFuture<ResponseEnvelope> route(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        Route route = routes.get(req.getBodyCase());
        if (route == null) {
            String msg = req.getUnknownFields().asMap().isEmpty() ? "request has no body"
                    : "unknown request type (field " + req.getUnknownFields().asMap().keySet()
                            + "); this node speaks rns.rpc.v1";
            refusals.refused(req, ctx, ErrorCode.UNSUPPORTED_REQUEST, msg);
            return CompletableFuture.completedFuture(responses.error(ErrorCode.UNSUPPORTED_REQUEST, msg));
        }
        String account = admitted(req, ctx);
        try {
            Sessions.check(req);
            route.check().check(req, ctx);
        } catch (RnsException e) {
            refusals.refused(req, ctx, e.code(), e.getMessage());
            throw e;
        }
        Placement p = route.placement();
        CompletableFuture<ResponseEnvelope> answer;
        if (!p.servesHere(consensus.state())) {
            // refused or not, the serving node logs it
            metrics.forwarded(req.getBodyCase());
            answer = forwarding.forwardOrRefuse(req, account, timeoutMs, p.countsQueueTime() ? ctx.arrivalNanos() : 0);
        } else if (p == Placement.LOCAL) {
            answer = serveLocal(route, req, ctx, timeoutMs);
        } else {
            answer = route.serve().serve(req, ctx, timeoutMs).thenApply(resp -> {
                refusals.refused(req, ctx, resp.getHeader().getCode(), resp.getHeader().getMessage());
                return resp;
            });
        }
        return route.after().after(req, ctx, answer);
    }

    /** The account the access gate lets the request act as (null: auth off), or its refusal, logged. */
    private String admitted(RequestEnvelope req, InboundContext ctx) {
        try {
            return gate.admit(req, ctx);
        } catch (RnsException e) {
            refusals.refused(req, ctx, e.code(), e.getMessage());
            throw e;
        }
    }

    /**
     * A request any node answers itself; its refusals (a bad name, a read level this node cannot serve) are logged,
     * not its ordinary negative answers (a topic or broker that does not exist).
     */
    private CompletableFuture<ResponseEnvelope> serveLocal(Route route, RequestEnvelope req, InboundContext ctx,
            long timeoutMs) {
        try {
            return route.serve().serve(req, ctx, timeoutMs).whenComplete((resp, t) -> {
                Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                if (e instanceof RnsException r) {
                    refusals.refused(req, ctx, r.code(), r.getMessage());
                }
            });
        } catch (RnsException e) {
            refusals.refused(req, ctx, e.code(), e.getMessage());
            throw e;
        }
    }

    /** Local status; answered from this node's own view (served STALE: it is not a barrier-protected read). */
    private ResponseEnvelope nodeStatus() {
        NodeState s = consensus.state();
        var image = consensus.image();
        GetNodeStatusResponse.Builder b = GetNodeStatusResponse.newBuilder().setNodeId(config.nodeId())
                .setMode(config.mode().name().toLowerCase(Locale.ROOT)).setRole(s.role()).setTerm(s.term())
                .setLeaderId(s.leaderId() == null ? "" : s.leaderId()).setLeaderClientAddr(responses.leaderHint(s))
                .setAppliedIndex(consensus.appliedIndex()).setCommitIndex(s.commitIndex())
                .setLastLogIndex(s.lastLogIndex()).setLastSnapshotIndex(s.lastSnapshotIndex())
                .setMsSinceLeaderContact(s.msSinceLeaderContact())
                .setUptimeMs(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos))
                .setTopics(image.topicCount()).setBrokers(image.brokerCount())
                .setLeasesTracked(liveness.tracker().tracked()).setSuspects(liveness.tracker().suspects())
                .setExpiriesProposed(liveness.expiriesProposed()).setExpiriesApplied(liveness.expiriesApplied())
                .setMassExpiryWarnings(liveness.tracker().massExpiryWarnings());
        b.addAllPeers(MembershipHandlers.toWire(consensus.peers(), s.leaderId() == null ? "" : s.leaderId()));
        return responses.ok(ResponseEnvelope.newBuilder().setGetNodeStatus(b), Consistency.STALE);
    }
}
