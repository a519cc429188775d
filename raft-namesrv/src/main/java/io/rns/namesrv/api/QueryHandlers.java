package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.read.WireRoutes;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ClusterBrokerNames;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetBrokerRequest;
import io.rns.rpc.v1.GetBrokerResponse;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.GetTopicRouteResponse;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvGetResponse;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvListResponse;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.ListTopicsResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.UnitFilter;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.Limits;
import io.rns.statemachine.QueueConfig;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.TopicRouteView;

import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/** Route, cluster, topic and KV reads: barrier for the requested level, then answer from the image. */
record QueryHandlers(ReadService reads, Responses responses, Executor executor) {
    /**
     * Runs the barrier (a wait for the request's min_index is dropped if its connection closes), then builds the body
     * off the consensus threads, on the bounded read executor: when its queue is full the answer is OVERLOADED. A read
     * that needed no barrier (STALE) is answered on the calling transport thread instead.
     */
    private CompletableFuture<ResponseEnvelope> read(RequestEnvelope req, InboundContext ctx, long timeoutMs,
            Function<RouteImage, ResponseEnvelope.Builder> body) {
        CompletableFuture<ReadService.ReadView> barrier = reads.read(req.getRead(), timeoutMs, ctx::isConnectionOpen);
        if (reads.answersAtOnce(req.getRead()) && barrier.isDone() && !barrier.isCompletedExceptionally()) {
            // STALE, no barrier ran: this is the transport's thread, not a consensus one; answer here, no hand-off
            return CompletableFuture.completedFuture(answer(barrier.join(), body));
        }
        return barrier.thenCompose(view -> {
            try {
                return CompletableFuture.supplyAsync(() -> answer(view, body), executor);
            } catch (RejectedExecutionException full) { // thenApplyAsync would lose this on the completing thread
                return CompletableFuture.failedFuture(full);
            }
        });
    }

    private ResponseEnvelope answer(ReadService.ReadView view, Function<RouteImage, ResponseEnvelope.Builder> body) {
        try {
            return responses.ok(body.apply(view.image()), view.served());
        } catch (RnsException e) {
            // "not found" is an answer too, and as strong as the level it was served at: say which
            return responses.error(e.code(), e.getMessage(), view.served());
        }
    }

    CompletableFuture<ResponseEnvelope> topicRoute(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        String topic = req.getGetTopicRoute().getTopic();
        RequestValidator.validateTopic("get_topic_route.topic", topic);
        return read(req, ctx, timeoutMs, image -> {
            TopicRouteView v = image.route(topic).orElseThrow(
                    () -> new RnsException(ErrorCode.TOPIC_NOT_FOUND, "no route for topic '" + topic + "'"));
            return ResponseEnvelope.newBuilder()
                    .setGetTopicRoute(GetTopicRouteResponse.newBuilder().setRoute(WireRoutes.route(v)));
        });
    }

    CompletableFuture<ResponseEnvelope> clusterInfo(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        return read(req, ctx, timeoutMs, image -> {
            GetClusterInfoResponse.Builder b = GetClusterInfoResponse.newBuilder();
            image.brokerGroups().forEach((name, g) -> b.putBrokerAddrTable(name, WireRoutes.group(g)));
            image.clusters().forEach((cluster, names) -> b.putClusterAddrTable(cluster,
                    ClusterBrokerNames.newBuilder().addAllBrokerNames(names).build()));
            return ResponseEnvelope.newBuilder().setGetClusterInfo(b);
        });
    }

    CompletableFuture<ResponseEnvelope> listTopics(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        ListTopicsRequest r = req.getListTopics();
        RequestValidator.validate(r);
        return read(req, ctx, timeoutMs, image -> {
            var topics = r.getCluster().isEmpty() ? image.topics() : image.topicsOfCluster(r.getCluster());
            if (r.getUnitFilter() != UnitFilter.UNIT_FILTER_NONE) {
                TreeSet<String> selected = new TreeSet<>();
                image.forEachTopic((topic, queues) -> {
                    if (selects(r.getUnitFilter(), queues.values())) {
                        selected.add(topic);
                    }
                });
                selected.retainAll(topics);
                topics = selected;
            }
            return ResponseEnvelope.newBuilder().setListTopics(ListTopicsResponse.newBuilder().addAllTopics(topics));
        });
    }

    /** RocketMQ's unit-topic selections over a topic's queue datas (TopicSysFlag bits). */
    static boolean selects(UnitFilter f, Iterable<QueueConfig> queues) {
        boolean unit = false;
        boolean unitSub = false;
        for (QueueConfig q : queues) {
            unit |= (q.topicSysFlag() & Limits.SYS_FLAG_UNIT) != 0;
            unitSub |= (q.topicSysFlag() & Limits.SYS_FLAG_UNIT_SUB) != 0;
        }
        return switch (f) {
            case UNIT -> unit;
            case HAS_UNIT_SUB -> unitSub;
            case HAS_UNIT_SUB_NOT_UNIT -> unitSub && !unit;
            default -> true;
        };
    }

    CompletableFuture<ResponseEnvelope> getBroker(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        GetBrokerRequest r = req.getGetBroker();
        RequestValidator.validate(r);
        return read(req, ctx, timeoutMs, image -> {
            BrokerMember m = image.broker(r.getBrokerName(), r.getBrokerId())
                    .orElseThrow(() -> new RnsException(ErrorCode.UNKNOWN_BROKER,
                            "broker " + r.getBrokerName() + "/" + r.getBrokerId() + " is not registered"));
            return ResponseEnvelope.newBuilder()
                    .setGetBroker(GetBrokerResponse.newBuilder().setCluster(m.cluster()).setBrokerName(m.brokerName())
                            .setBrokerId(m.brokerId()).setBrokerAddr(m.addr()).setHaServerAddr(m.haAddr())
                            .setDataVersion(DataVersion.newBuilder().setTimestamp(m.dataVersionTimestamp())
                                    .setCounter(m.dataVersionCounter()))
                            .setBrokerEpoch(m.epoch()).setLeaseTimeoutMs((int) m.leaseTimeoutMs()));
        });
    }

    CompletableFuture<ResponseEnvelope> kvGet(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        KvGetRequest r = req.getKvGet();
        RequestValidator.validate(r);
        return read(req, ctx, timeoutMs,
                image -> ResponseEnvelope.newBuilder()
                        .setKvGet(KvGetResponse.newBuilder()
                                .setValue(image.kv(r.getNamespace(), r.getKey()).orElseThrow(() -> new RnsException(
                                        ErrorCode.KEY_NOT_FOUND,
                                        "no key '" + r.getKey() + "' in namespace '" + r.getNamespace() + "'")))));
    }

    CompletableFuture<ResponseEnvelope> kvList(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        KvListRequest r = req.getKvList();
        RequestValidator.validate(r);
        return read(req, ctx, timeoutMs, image -> ResponseEnvelope.newBuilder()
                .setKvList(KvListResponse.newBuilder().putAllEntries(image.kvNamespace(r.getNamespace()))));
    }
}
