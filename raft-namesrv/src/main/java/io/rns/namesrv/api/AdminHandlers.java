package io.rns.namesrv.api;

import io.rns.namesrv.write.WriteService;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.ChangeWritePermResponse;
import io.rns.rpc.v1.DeleteTopicResponse;
import io.rns.rpc.v1.KvDeleteResponse;
import io.rns.rpc.v1.KvPutResponse;
import io.rns.rpc.v1.OpenSessionResponse;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.RegisterTopicResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.CompletableFuture;

/** DeleteTopic, KvPut, KvDelete, ChangeWritePerm, RegisterTopic on the writing node: the write path, then the answer. */
record AdminHandlers(WriteService writes, WriteAnswers answers) {
    /** A new client session; its id is the log index of its OpenSession record. */
    CompletableFuture<ResponseEnvelope> openSession(RequestEnvelope req, long timeoutMs) {
        return answers.answer(writes.openSession(timeoutMs), a -> ResponseEnvelope.newBuilder().setOpenSession(
                OpenSessionResponse.newBuilder().setSessionId(a.index()).setTimeoutMs(writes.sessions().timeoutMs())),
                image -> {
                    throw new IllegalStateException("opening a session always proposes");
                });
    }

    CompletableFuture<ResponseEnvelope> deleteTopic(RequestEnvelope req, long timeoutMs) {
        return answers.answer(writes.session(Sessions.of(req)).deleteTopic(req.getDeleteTopic(), timeoutMs),
                a -> ResponseEnvelope.newBuilder()
                        .setDeleteTopic(DeleteTopicResponse.newBuilder().setExisted(a.result().existed())),
                image -> ResponseEnvelope.newBuilder()
                        .setDeleteTopic(DeleteTopicResponse.newBuilder().setExisted(false)));
    }

    CompletableFuture<ResponseEnvelope> kvPut(RequestEnvelope req, long timeoutMs) {
        return answers.answerFromImage(writes.session(Sessions.of(req)).kvPut(req.getKvPut(), timeoutMs),
                image -> ResponseEnvelope.newBuilder().setKvPut(KvPutResponse.getDefaultInstance()));
    }

    CompletableFuture<ResponseEnvelope> kvDelete(RequestEnvelope req, long timeoutMs) {
        return answers.answer(writes.session(Sessions.of(req)).kvDelete(req.getKvDelete(), timeoutMs),
                a -> ResponseEnvelope.newBuilder()
                        .setKvDelete(KvDeleteResponse.newBuilder().setExisted(a.result().existed())),
                image -> ResponseEnvelope.newBuilder().setKvDelete(KvDeleteResponse.newBuilder().setExisted(false)));
    }

    /** Wipe/add write permission of a broker name; the answer counts that broker name's topics after the change. */
    CompletableFuture<ResponseEnvelope> changeWritePerm(RequestEnvelope req, long timeoutMs) {
        ChangeWritePermRequest r = req.getChangeWritePerm();
        return answers.answerFromImage(writes.session(Sessions.of(req)).changeWritePerm(r, timeoutMs),
                image -> ResponseEnvelope.newBuilder().setChangeWritePerm(
                        ChangeWritePermResponse.newBuilder().setTopicCount(image.queueCountOf(r.getBrokerName()))));
    }

    /** Queue data into a topic for registered broker names; the answer names the skipped ones. */
    CompletableFuture<ResponseEnvelope> registerTopic(RequestEnvelope req, long timeoutMs) {
        RegisterTopicRequest r = req.getRegisterTopic();
        return answers.answerFromImage(writes.session(Sessions.of(req)).registerTopic(r, timeoutMs), image -> {
            RegisterTopicResponse.Builder b = RegisterTopicResponse.newBuilder();
            r.getQueueDatasList().forEach(q -> {
                if (image.brokerGroup(q.getBrokerName()).isEmpty()) {
                    b.addSkippedBrokerNames(q.getBrokerName());
                }
            });
            return ResponseEnvelope.newBuilder().setRegisterTopic(b);
        });
    }
}
