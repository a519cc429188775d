package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.write.RecordFactory;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.UnregisterBrokerResponse;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.RouteImage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** RegisterBroker and UnregisterBroker: validate, then the write path. */
final class BrokerHandlers {
    private final WriteService writes;
    private final LivenessService liveness;
    private final ConnectionRegistry connections;

    BrokerHandlers(WriteService writes, LivenessService liveness, ConnectionRegistry connections) {
        this.writes = writes;
        this.liveness = liveness;
        this.connections = connections;
    }

    /**
     * A registration is also a heartbeat: once it is applied (or confirmed unchanged) on the leader, the broker's
     * lease counts contact from the request's arrival. With bind_connection, the receiving node remembers the
     * connection so its close makes the broker a suspect.
     */
    CompletableFuture<ResponseEnvelope> register(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        RegisterBrokerRequest r = req.getRegisterBroker();
        RequestValidator.validate(r);
        LivenessConfig lc = liveness.config();
        if (r.getLeaseTimeoutMs() != 0
                && (r.getLeaseTimeoutMs() < lc.minLeaseMs() || r.getLeaseTimeoutMs() > lc.maxLeaseMs())) {
            throw RnsException.invalid("register_broker.lease_timeout_ms must be 0 (default " + lc.defaultLeaseMs()
                    + ") or in [" + lc.minLeaseMs() + ", " + lc.maxLeaseMs() + "], got " + r.getLeaseTimeoutMs());
        }
        int leaseMs = lc.effectiveLeaseMs(r.getLeaseTimeoutMs());
        long contact = LivenessHandlers.contactNanos(req, ctx);
        CompletableFuture<ResponseEnvelope> f = writes.write(req, timeoutMs, new WriteService.WriteOp() {
            @Override
            public Optional<io.rns.log.v1.LogRecord> toRecord(RouteImage image, long now) {
                return RecordFactory.register(r, leaseMs, image, now);
            }

            @Override
            public ResponseEnvelope.Builder applied(io.rns.statemachine.ApplyResult.Applied a, RouteImage after) {
                after.broker(r.getBrokerName(), r.getBrokerId()).ifPresent(m -> liveness.registered(m, contact));
                return ResponseEnvelope.newBuilder().setRegisterBroker(body(r, after, a.brokerEpoch(), true, leaseMs));
            }

            @Override
            public ResponseEnvelope.Builder unchanged(RouteImage image) {
                BrokerMember m =
                        image.broker(r.getBrokerName(), r.getBrokerId()).orElse(null);
                if (m != null) {
                    liveness.registered(m, contact);
                }
                long epoch = m == null ? 0 : m.epoch();
                return ResponseEnvelope.newBuilder().setRegisterBroker(body(r, image, epoch, false, leaseMs));
            }
        });
        if (r.getBindConnection() && req.getHops() == 0) {
            f = f.thenApply(resp -> {
                if (resp.getHeader().getCode() == ErrorCode.OK
                        && resp.getRegisterBroker().getBrokerEpoch() > 0) {
                    connections.bind(
                            ctx,
                            new BrokerKey(r.getBrokerName(), r.getBrokerId()),
                            resp.getRegisterBroker().getBrokerEpoch());
                }
                return resp;
            });
        }
        return f;
    }

    private static RegisterBrokerResponse body(
            RegisterBrokerRequest r, RouteImage image, long epoch, boolean changed, int leaseMs) {
        RegisterBrokerResponse.Builder b = RegisterBrokerResponse.newBuilder()
                .setBrokerEpoch(epoch)
                .setChanged(changed)
                .setLeaseTimeoutMs(leaseMs)
                .setHeartbeatIntervalMs(LivenessConfig.heartbeatIntervalMs(leaseMs));
        if (r.getBrokerId() != 0) {
            image.broker(r.getBrokerName(), 0).ifPresent(master -> {
                b.setMasterAddr(master.addr());
                b.setHaServerAddr(master.haAddr());
            });
        }
        return b.build();
    }

    CompletableFuture<ResponseEnvelope> unregister(RequestEnvelope req, long timeoutMs) {
        UnregisterBrokerRequest r = req.getUnregisterBroker();
        RequestValidator.validate(r);
        return writes.write(req, timeoutMs, new WriteService.WriteOp() {
            @Override
            public Optional<io.rns.log.v1.LogRecord> toRecord(RouteImage image, long now) {
                // always logged (apply decides, conditionally on the epoch): a refusal here would race with
                // registrations
                return Optional.of(RecordFactory.unregister(r, now));
            }

            @Override
            public ResponseEnvelope.Builder applied(io.rns.statemachine.ApplyResult.Applied a, RouteImage after) {
                return ResponseEnvelope.newBuilder().setUnregisterBroker(UnregisterBrokerResponse.getDefaultInstance());
            }

            @Override
            public ResponseEnvelope.Builder unchanged(RouteImage image) {
                throw new IllegalStateException("unregister always proposes");
            }
        });
    }
}
