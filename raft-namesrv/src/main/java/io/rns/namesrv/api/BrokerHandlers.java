package io.rns.namesrv.api;

import io.rns.namesrv.write.RecordFactory;
import io.rns.namesrv.write.WriteService;
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

    BrokerHandlers(WriteService writes) {
        this.writes = writes;
    }

    CompletableFuture<ResponseEnvelope> register(RequestEnvelope req, long timeoutMs) {
        RegisterBrokerRequest r = req.getRegisterBroker();
        RequestValidator.validate(r);
        return writes.write(req, timeoutMs, new WriteService.WriteOp() {
            @Override
            public Optional<io.rns.log.v1.LogRecord> toRecord(RouteImage image, long now) {
                return RecordFactory.register(r, image, now);
            }

            @Override
            public ResponseEnvelope.Builder applied(io.rns.statemachine.ApplyResult.Applied a, RouteImage after) {
                return ResponseEnvelope.newBuilder().setRegisterBroker(body(r, after, a.brokerEpoch(), true));
            }

            @Override
            public ResponseEnvelope.Builder unchanged(RouteImage image) {
                long epoch = image.broker(r.getBrokerName(), r.getBrokerId()).map(BrokerMember::epoch).orElse(0L);
                return ResponseEnvelope.newBuilder().setRegisterBroker(body(r, image, epoch, false));
            }
        });
    }

    private static RegisterBrokerResponse body(RegisterBrokerRequest r, RouteImage image, long epoch, boolean changed) {
        RegisterBrokerResponse.Builder b = RegisterBrokerResponse.newBuilder().setBrokerEpoch(epoch).setChanged(changed);
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
                // always logged (apply decides, conditionally on the epoch): a refusal here would race with registrations
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
