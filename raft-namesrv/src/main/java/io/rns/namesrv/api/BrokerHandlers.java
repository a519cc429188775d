package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.UnregisterBrokerResponse;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.RouteImage;

import java.util.concurrent.CompletableFuture;

/** RegisterBroker and UnregisterBroker: validated by the dispatcher, then the write path, then liveness is told. */
record BrokerHandlers(WriteService writes, WriteAnswers answers, LivenessService liveness,
        ConnectionRegistry connections) {
    /** The request checks, on the receiving node before any forward. */
    void validateRegister(RequestEnvelope req) {
        RegisterBrokerRequest r = req.getRegisterBroker();
        RequestValidator.validate(r);
        LivenessConfig lc = liveness.config();
        if (r.getLeaseTimeoutMs() != 0
                && (r.getLeaseTimeoutMs() < lc.minLeaseMs() || r.getLeaseTimeoutMs() > lc.maxLeaseMs())) {
            throw RnsException.invalid("register_broker.lease_timeout_ms must be 0 (default " + lc.defaultLeaseMs()
                    + ") or in [" + lc.minLeaseMs() + ", " + lc.maxLeaseMs() + "], got "
                    + Integer.toUnsignedString(r.getLeaseTimeoutMs()));
        }
    }

    /**
     * A registration is also a heartbeat: once it is applied (or confirmed unchanged) on the leader, the broker's
     * lease counts contact from the request's arrival.
     */
    CompletableFuture<ResponseEnvelope> register(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        RegisterBrokerRequest r = req.getRegisterBroker();
        int leaseMs = liveness.config().effectiveLeaseMs(r.getLeaseTimeoutMs());
        long contact = LivenessHandlers.contactNanos(req, ctx, liveness.config());
        return answers.answer(writes.session(Sessions.of(req)).register(r, leaseMs, timeoutMs), a -> {
            a.after().broker(r.getBrokerName(), r.getBrokerId())
                    .ifPresent(m -> liveness.registered(m, contact, r.getRegistersWithEveryNode()));
            return ResponseEnvelope.newBuilder()
                    .setRegisterBroker(body(r, a.after(), a.result().brokerEpoch(), true, leaseMs));
        }, image -> {
            BrokerMember m = image.broker(r.getBrokerName(), r.getBrokerId()).orElse(null);
            if (m != null) {
                liveness.registered(m, contact, r.getRegistersWithEveryNode());
            }
            long epoch = m == null ? 0 : m.epoch();
            return ResponseEnvelope.newBuilder().setRegisterBroker(body(r, image, epoch, false, leaseMs));
        });
    }

    /**
     * With bind_connection, the receiving node (the first hop, whether it served or forwarded the registration)
     * remembers the connection, so its close makes the broker a suspect.
     */
    CompletableFuture<ResponseEnvelope> bindRegistered(RequestEnvelope req, InboundContext ctx,
            CompletableFuture<ResponseEnvelope> answer) {
        RegisterBrokerRequest r = req.getRegisterBroker();
        if (!r.getBindConnection() || req.getHops() != 0) {
            return answer;
        }
        return answer.thenApply(resp -> {
            if (resp.getHeader().getCode() == ErrorCode.OK && resp.getRegisterBroker().getBrokerEpoch() > 0) {
                connections.bind(ctx, new BrokerKey(r.getBrokerName(), r.getBrokerId()),
                        resp.getRegisterBroker().getBrokerEpoch());
            }
            return resp;
        });
    }

    private static RegisterBrokerResponse body(RegisterBrokerRequest r, RouteImage image, long epoch, boolean changed,
            int leaseMs) {
        RegisterBrokerResponse.Builder b = RegisterBrokerResponse.newBuilder().setBrokerEpoch(epoch).setChanged(changed)
                .setLeaseTimeoutMs(leaseMs).setHeartbeatIntervalMs(LivenessConfig.heartbeatIntervalMs(leaseMs));
        if (r.getBrokerId() != 0) {
            image.broker(r.getBrokerName(), 0).ifPresent(master -> {
                b.setMasterAddr(master.addr());
                b.setHaServerAddr(master.haAddr());
            });
        }
        return b.build();
    }

    CompletableFuture<ResponseEnvelope> unregister(RequestEnvelope req, long timeoutMs) {
        return answers.answer(writes.session(Sessions.of(req)).unregister(req.getUnregisterBroker(), timeoutMs),
                a -> ResponseEnvelope.newBuilder().setUnregisterBroker(UnregisterBrokerResponse.getDefaultInstance()),
                image -> {
                    throw new IllegalStateException("unregister always proposes");
                });
    }
}
