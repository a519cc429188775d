package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.watch.RouteChange;
import io.rns.namesrv.watch.WatchHub;
import io.rns.namesrv.watch.WatchResult;
import io.rns.namesrv.watch.WatchSelector;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.WatchEvent;
import io.rns.rpc.v1.WatchRequest;
import io.rns.rpc.v1.WatchResponse;
import io.rns.statemachine.RecordValidator;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Watch polls. The first poll of a watcher (from_revision unset) passes the read barrier of its level and is answered
 * with a reset at or after the barrier's index; a resuming poll is served at SEQUENTIAL: never older than the
 * revision the watcher already saw, wherever it saw it.
 */
record WatchHandlers(WatchHub hub, ReadService reads, Responses responses, NamesrvConfig.Watch config,
        int maxFrameBytes) {
    /** Time kept back from the request's deadline so that an empty answer still reaches the client in time. */
    private static final long ANSWER_MARGIN_MS = 200;

    void validate(RequestEnvelope req) {
        selector(req.getWatch());
    }

    WatchSelector selector(WatchRequest w) {
        int kinds = (w.getTopicsCount() > 0 ? 1 : 0) + (w.getCluster().isEmpty() ? 0 : 1) + (w.getAll() ? 1 : 0);
        if (kinds != 1) {
            throw RnsException.invalid("watch: name exactly one of topics, cluster or all (got " + kinds + ")");
        }
        if (w.getTopicsCount() > config.maxTopics()) {
            throw RnsException.invalid("watch.topics names " + w.getTopicsCount() + " topics, more than "
                    + config.maxTopics() + " (watch.max-topics)");
        }
        Set<String> topics = new HashSet<>();
        for (String t : w.getTopicsList()) {
            RequestValidator.validateTopic("watch.topics", t);
            topics.add(t);
        }
        if (!w.getCluster().isEmpty()) {
            RequestValidator.check(RecordValidator.checkClusterName("watch.cluster", w.getCluster()));
            return WatchSelector.ofCluster(w.getCluster());
        }
        return w.getAll() ? WatchSelector.ofAll() : WatchSelector.ofTopics(topics);
    }

    CompletableFuture<ResponseEnvelope> watch(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        WatchRequest w = req.getWatch();
        WatchSelector selector = selector(w);
        long wait = Math.max(0, Math.min(w.getMaxWaitMs() > 0 ? w.getMaxWaitMs() : config.defaultWaitMs(),
                timeoutMs - ANSWER_MARGIN_MS));
        long coalesce = w.getCoalesceMs() > 0 ? w.getCoalesceMs() : config.coalesceMs();
        if (!w.hasFromRevision()) {
            return reads.read(req.getRead(), timeoutMs, ctx::isConnectionOpen)
                    .thenCompose(view -> hub
                            .poll(selector, WatchHub.START, view.image().appliedIndex(), wait, coalesce,
                                    ctx.connectionId(), ctx::onConnectionClose)
                            .thenApply(r -> answer(r, view.served())));
        }
        return hub.poll(selector, w.getFromRevision(), 0, wait, coalesce, ctx.connectionId(), ctx::onConnectionClose)
                .thenApply(r -> answer(r, Consistency.SEQUENTIAL));
    }

    /** Room kept in a frame for the response header. */
    private static final int HEADER_ROOM = 4096;

    private ResponseEnvelope answer(WatchResult r, Consistency served) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setRevision(r.revision()).setReset(r.reset())
                .setHistoryFloor(r.floor());
        for (RouteChange c : r.changes()) {
            WatchEvent.Builder e = b.addEventsBuilder().setRevision(c.revision()).setTopic(c.topic())
                    .setDeleted(c.deleted());
            if (c.route() != null) {
                e.setRoute(c.route());
            }
        }
        int size = b.build().getSerializedSize();
        if (size > maxFrameBytes - HEADER_ROOM) {
            throw RnsException.invalid("watch: the answer (" + (r.reset() ? "a reset of " : "") + r.changes().size()
                    + " routes) is " + size + " bytes, more than rpc.max-frame-bytes=" + maxFrameBytes
                    + " allows; watch fewer topics (by topic or cluster)");
        }
        return responses.ok(ResponseEnvelope.newBuilder().setWatch(b), served);
    }
}
