package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LeaseTracker;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.BrokerConnectionClosedRequest;
import io.rns.rpc.v1.BrokerConnectionClosedResponse;
import io.rns.rpc.v1.BrokerConnectionsRequest;
import io.rns.rpc.v1.BrokerConnectionsResponse;
import io.rns.rpc.v1.BrokerLease;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ExpiredBroker;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.HeartbeatResponse;
import io.rns.rpc.v1.ListBrokerLeasesResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.statemachine.RecordValidator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats (soft state, never logged), the leader's lease table, and connection-closed reports. On a follower each
 * is forwarded once to the leader; the leader answers from its {@link LeaseTracker}.
 */
record LivenessHandlers(NodeStatus status, LivenessService liveness, ConnectionRegistry connections,
        Responses responses, NodeReports reports) {
    /**
     * When the request reached the first node: arrival here minus the time it waited on a forwarding node. queued_ms
     * is a uint32 on the wire: it is read unsigned and never counts for more than the longest lease (a larger value is
     * garbage, not a wait), so a contact is never later than this arrival, whatever a sender puts there.
     */
    static long contactNanos(RequestEnvelope req, InboundContext ctx, LivenessConfig config) {
        long queuedMs = Math.min(Integer.toUnsignedLong(req.getQueuedMs()), config.maxLeaseMs());
        return ctx.arrivalNanos() - TimeUnit.MILLISECONDS.toNanos(queuedMs);
    }

    /** The request checks, on the receiving node before any forward. */
    void validateHeartbeat(RequestEnvelope req) {
        HeartbeatRequest h = req.getHeartbeat();
        RequestValidator.check(RecordValidator.checkClusterName("heartbeat.cluster", h.getCluster()));
        RequestValidator.check(RecordValidator.checkBrokerName("heartbeat.broker_name", h.getBrokerName()));
        RequestValidator.check(RecordValidator.checkBrokerId("heartbeat.broker_id", h.getBrokerId()));
        if (!h.getBrokerAddr().isEmpty()) {
            RequestValidator.check(RecordValidator.checkAddress("heartbeat.broker_addr", h.getBrokerAddr()));
        }
        if (h.getBrokerEpoch() <= 0) {
            throw RnsException.invalid("heartbeat.broker_epoch is required (the epoch its registration returned)");
        }
    }

    /** On the node that holds the leases: refresh the lease of the heartbeat's broker epoch. */
    CompletableFuture<ResponseEnvelope> heartbeat(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        HeartbeatRequest h = req.getHeartbeat();
        return CompletableFuture
                .completedFuture(onLeader(req, h, new BrokerKey(h.getBrokerName(), h.getBrokerId()), ctx));
    }

    /** With bind_connection, the receiving node remembers the connection (whether it served or forwarded). */
    CompletableFuture<ResponseEnvelope> bindHeartbeat(RequestEnvelope req, InboundContext ctx,
            CompletableFuture<ResponseEnvelope> answer) {
        HeartbeatRequest h = req.getHeartbeat();
        if (!h.getBindConnection() || req.getHops() != 0) {
            return answer;
        }
        BrokerKey key = new BrokerKey(h.getBrokerName(), h.getBrokerId());
        return answer.thenApply(resp -> {
            if (resp.getHeader().getCode() == ErrorCode.OK) {
                connections.bind(ctx, key, h.getBrokerEpoch());
            }
            return resp;
        });
    }

    private ResponseEnvelope onLeader(RequestEnvelope req, HeartbeatRequest h, BrokerKey key, InboundContext ctx) {
        LeaseTracker.HeartbeatResult r = liveness.tracker().heartbeat(key, h.getBrokerEpoch(), h.getSequence(),
                contactNanos(req, ctx, liveness.config()), status.image());
        return switch (r.status()) {
            // a copy of a heartbeat already counted is answered as that heartbeat was: its sender may still wait
            case OK, ALREADY_COUNTED ->
                responses.ok(
                        ResponseEnvelope.newBuilder()
                                .setHeartbeat(HeartbeatResponse.newBuilder().setLeaseTimeoutMs(r.leaseMs())
                                        .setHeartbeatIntervalMs(LivenessConfig.heartbeatIntervalMs(r.leaseMs()))),
                        null);
            case NOT_LEADING -> responses.error(ErrorCode.NOT_LEADER,
                    "this node was just elected and has not started tracking leases yet; retry");
            case UNKNOWN_BROKER -> responses.error(ErrorCode.UNKNOWN_BROKER,
                    "broker " + key + " is not registered" + " (expired or unregistered); register again");
            case STALE_EPOCH -> responses.error(ErrorCode.STALE_BROKER_EPOCH, "broker " + key + " epoch "
                    + h.getBrokerEpoch() + " is not current (current epoch " + r.currentEpoch() + "); register again");
        };
    }

    CompletableFuture<ResponseEnvelope> listLeases(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        if (!liveness.tracker().isLeading()) {
            return CompletableFuture.completedFuture(responses.error(ErrorCode.NOT_LEADER,
                    "this node was just elected and has not started tracking leases yet; retry"));
        }
        ListBrokerLeasesResponse.Builder b = ListBrokerLeasesResponse.newBuilder();
        for (LeaseTracker.LeaseView v : liveness.tracker().view()) {
            b.addLeases(BrokerLease.newBuilder().setCluster(v.cluster()).setBrokerName(v.key().brokerName())
                    .setBrokerId(v.key().brokerId()).setBrokerAddr(v.addr()).setBrokerEpoch(v.epoch())
                    .setLastContactAgeMs(v.lastContactAgeMs()).setLeaseRemainingMs(v.remainingMs())
                    .setLeaseTimeoutMs(v.timeoutMs()).setSuspect(v.suspect()).setExpiring(v.expiring()));
        }
        long now = liveness.clock().nanos();
        for (LivenessService.RecentExpiry x : liveness.recentExpiries()) {
            LeaseTracker.Expiry e = x.expiry();
            b.addRecentExpiries(ExpiredBroker.newBuilder().setCluster(e.cluster()).setBrokerName(e.key().brokerName())
                    .setBrokerId(e.key().brokerId()).setBrokerAddr(e.addr()).setBrokerEpoch(e.epoch())
                    .setLogIndex(x.logIndex()).setAgeMs(TimeUnit.NANOSECONDS.toMillis(now - x.appliedNanos())));
        }
        String leader = status.state().leaderId();
        b.setLeaderId(leader == null ? "" : leader);
        return CompletableFuture
                .completedFuture(responses.ok(ResponseEnvelope.newBuilder().setListBrokerLeases(b), null));
    }

    /** The report names a valid broker, and comes from a member (one forged report would drop a broker). */
    Route.Check connectionClosedCheck() {
        return new Route.Check() {
            @Override
            public void check(RequestEnvelope req) {
                RequestValidator.check(RecordValidator.checkBrokerName("broker_connection_closed.broker_name",
                        req.getBrokerConnectionClosed().getBrokerName()));
            }

            @Override
            public void check(RequestEnvelope req, InboundContext ctx) {
                check(req);
                reports.checkFromMember("broker_connection_closed", req.getBrokerConnectionClosed().getReportingNode(),
                        ctx);
            }
        };
    }

    CompletableFuture<ResponseEnvelope> connectionClosed(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        BrokerConnectionClosedRequest c = req.getBrokerConnectionClosed();
        connections.closedElsewhere(new BrokerKey(c.getBrokerName(), c.getBrokerId()), c.getBrokerEpoch());
        return CompletableFuture.completedFuture(responses.ok(ResponseEnvelope.newBuilder()
                .setBrokerConnectionClosed(BrokerConnectionClosedResponse.getDefaultInstance()), null));
    }

    static void checkBrokerConnections(RequestEnvelope req) {
        RequestValidator.check(RecordValidator.checkBrokerName("broker_connections.broker_name",
                req.getBrokerConnections().getBrokerName()));
    }

    /** How many of this node's open connections the broker registered or heartbeated on (asked by the leader). */
    CompletableFuture<ResponseEnvelope> brokerConnections(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        BrokerConnectionsRequest q = req.getBrokerConnections();
        int open = connections.open(new BrokerKey(q.getBrokerName(), q.getBrokerId()));
        return CompletableFuture.completedFuture(responses.ok(ResponseEnvelope.newBuilder()
                .setBrokerConnections(BrokerConnectionsResponse.newBuilder().setOpen(open)), null));
    }
}
