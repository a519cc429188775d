package io.rns.namesrv.api;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.write.RecordFactory;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.ChangeWritePermResponse;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.DeleteTopicResponse;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvDeleteResponse;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.KvPutResponse;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.RegisterTopicResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RouteImage;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** DeleteTopic, KvPut, KvDelete: validate, then the write path. */
final class AdminHandlers {
    private final WriteService writes;

    AdminHandlers(WriteService writes) {
        this.writes = writes;
    }

    CompletableFuture<ResponseEnvelope> deleteTopic(RequestEnvelope req, long timeoutMs) {
        DeleteTopicRequest r = req.getDeleteTopic();
        RequestValidator.validate(r);
        return writes.write(
                req,
                timeoutMs,
                op(
                        (image, now) -> RecordFactory.deleteTopic(r, image, now),
                        a -> ResponseEnvelope.newBuilder()
                                .setDeleteTopic(DeleteTopicResponse.newBuilder().setExisted(a.existed())),
                        ResponseEnvelope.newBuilder()
                                .setDeleteTopic(DeleteTopicResponse.newBuilder().setExisted(false))));
    }

    CompletableFuture<ResponseEnvelope> kvPut(RequestEnvelope req, long timeoutMs) {
        KvPutRequest r = req.getKvPut();
        RequestValidator.validate(r);
        return writes.write(
                req,
                timeoutMs,
                op(
                        (image, now) -> RecordFactory.kvPut(r, image, now),
                        a -> ResponseEnvelope.newBuilder().setKvPut(KvPutResponse.getDefaultInstance()),
                        ResponseEnvelope.newBuilder().setKvPut(KvPutResponse.getDefaultInstance())));
    }

    CompletableFuture<ResponseEnvelope> kvDelete(RequestEnvelope req, long timeoutMs) {
        KvDeleteRequest r = req.getKvDelete();
        RequestValidator.validate(r);
        return writes.write(
                req,
                timeoutMs,
                op(
                        (image, now) -> RecordFactory.kvDelete(r, image, now),
                        a -> ResponseEnvelope.newBuilder()
                                .setKvDelete(KvDeleteResponse.newBuilder().setExisted(a.existed())),
                        ResponseEnvelope.newBuilder()
                                .setKvDelete(KvDeleteResponse.newBuilder().setExisted(false))));
    }

    /** Wipe/add write permission of a broker name; the answer counts that broker name's topics after the change. */
    CompletableFuture<ResponseEnvelope> changeWritePerm(RequestEnvelope req, long timeoutMs) {
        ChangeWritePermRequest r = req.getChangeWritePerm();
        RequestValidator.validate(r);
        return writes.write(
                req,
                timeoutMs,
                answeredFromImage(
                        (image, now) -> RecordFactory.changeWritePerm(r, image, now),
                        image -> ResponseEnvelope.newBuilder()
                                .setChangeWritePerm(ChangeWritePermResponse.newBuilder()
                                        .setTopicCount(image.queueCountOf(r.getBrokerName())))));
    }

    /** Queue data into a topic for registered broker names; the answer names the skipped ones. */
    CompletableFuture<ResponseEnvelope> registerTopic(RequestEnvelope req, long timeoutMs) {
        RegisterTopicRequest r = req.getRegisterTopic();
        RequestValidator.validate(r);
        return writes.write(
                req, timeoutMs, answeredFromImage((image, now) -> RecordFactory.registerTopic(r, image, now), image -> {
                    RegisterTopicResponse.Builder b = RegisterTopicResponse.newBuilder();
                    r.getQueueDatasList().forEach(q -> {
                        if (image.brokerGroup(q.getBrokerName()).isEmpty()) {
                            b.addSkippedBrokerNames(q.getBrokerName());
                        }
                    });
                    return ResponseEnvelope.newBuilder().setRegisterTopic(b);
                }));
    }

    private interface RecordFn {
        Optional<LogRecord> apply(RouteImage image, long now);
    }

    /** An op whose answer is read from the image, the same way whether its record was applied or nothing changed. */
    private static WriteService.WriteOp answeredFromImage(
            RecordFn record, java.util.function.Function<RouteImage, ResponseEnvelope.Builder> answer) {
        return new WriteService.WriteOp() {
            @Override
            public Optional<LogRecord> toRecord(RouteImage image, long now) {
                return record.apply(image, now);
            }

            @Override
            public ResponseEnvelope.Builder applied(ApplyResult.Applied a, RouteImage after) {
                return answer.apply(after);
            }

            @Override
            public ResponseEnvelope.Builder unchanged(RouteImage image) {
                return answer.apply(image);
            }
        };
    }

    private static WriteService.WriteOp op(
            RecordFn record,
            java.util.function.Function<ApplyResult.Applied, ResponseEnvelope.Builder> applied,
            ResponseEnvelope.Builder unchanged) {
        return new WriteService.WriteOp() {
            @Override
            public Optional<LogRecord> toRecord(RouteImage image, long now) {
                return record.apply(image, now);
            }

            @Override
            public ResponseEnvelope.Builder applied(ApplyResult.Applied a, RouteImage after) {
                return applied.apply(a);
            }

            @Override
            public ResponseEnvelope.Builder unchanged(RouteImage image) {
                return unchanged.clone();
            }
        };
    }
}
