package io.rns.compat.query;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.GetTopicRouteRequest;
import org.apache.rocketmq.common.help.FAQUrl;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.BrokerMemberGroup;
import org.apache.rocketmq.remoting.protocol.body.GetBrokerMemberGroupResponseBody;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.header.GetBrokerMemberGroupRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;

import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The route reads: 105 GET_ROUTEINFO_BY_TOPIC from the topic's native route, and 106 GET_BROKER_CLUSTER_INFO, 304
 * GET_SYSTEM_TOPIC_LIST_FROM_NS and 901 GET_BROKER_MEMBER_GROUP from the native cluster info.
 */
public record RouteQueries(NativeCaller natives) {
    /**
     * 105: the topic's route in the JSON flavour the client's version expects; a topic without brokers is 17 with the
     * stock remark.
     */
    public CompletableFuture<RemotingCommand> routeInfo(RemotingCommand req, InboundContext ctx) throws Exception {
        GetRouteInfoRequestHeader h = Headers.decode(req, GetRouteInfoRequestHeader.class);
        return natives.read(req, ctx, e -> e.setGetTopicRoute(GetTopicRouteRequest.newBuilder().setTopic(h.getTopic())))
                .thenApply(r -> {
                    ErrorCode code = r.getHeader().getCode();
                    if (code == ErrorCode.TOPIC_NOT_FOUND
                            || (code == ErrorCode.OK && r.getGetTopicRoute().getRoute().getBrokerDatasCount() == 0)) {
                        return RemotingCommand.createResponseCommand(ResponseCode.TOPIC_NOT_EXIST,
                                noRouteRemark(h.getTopic()));
                    }
                    return Answers.okOrError(r,
                            ok -> Answers.ok(RouteBodies.encodeRoute(
                                    RouteBodies.toTopicRouteData(ok.getGetTopicRoute().getRoute()), req.getVersion(),
                                    h.getAcceptStandardJsonOnly())));
                });
    }

    static String noRouteRemark(String topic) {
        return "No topic route info in name server for the topic: " + topic
                + FAQUrl.suggestTodo(FAQUrl.APPLY_TOPIC_URL);
    }

    /** 106: the broker address table and the cluster → broker names table. */
    public CompletableFuture<RemotingCommand> clusterInfo(RemotingCommand req, InboundContext ctx) {
        return natives.clusterInfo(req, ctx)
                .thenApply(c -> c.isFailed() ? c.error() : Answers.ok(RouteBodies.toClusterInfo(c.value()).encode()));
    }

    /** 304: stock lists cluster names and broker names as "system topics", plus the address of some broker. */
    public CompletableFuture<RemotingCommand> systemTopics(RemotingCommand req, InboundContext ctx) {
        return natives.clusterInfo(req, ctx).thenApply(c -> c.isFailed() ? c.error() : systemTopics(c.value()));
    }

    private static RemotingCommand systemTopics(GetClusterInfoResponse c) {
        TopicList list = new TopicList();
        Set<String> names = new TreeSet<>();
        String addr = null;
        for (var e : new TreeMap<>(c.getClusterAddrTableMap()).entrySet()) {
            names.add(e.getKey());
            names.addAll(e.getValue().getBrokerNamesList());
        }
        for (BrokerData b : new TreeMap<>(c.getBrokerAddrTableMap()).values()) {
            if (addr == null && !b.getBrokerAddrsMap().isEmpty()) {
                addr = new TreeMap<>(b.getBrokerAddrsMap()).firstEntry().getValue();
            }
        }
        list.setTopicList(names);
        list.setBrokerAddr(addr);
        return Answers.ok(list.encode());
    }

    /** 901 (5.x acting-master): the broker group's members. */
    public CompletableFuture<RemotingCommand> brokerMemberGroup(RemotingCommand req, InboundContext ctx)
            throws Exception {
        GetBrokerMemberGroupRequestHeader h = Headers.decode(req, GetBrokerMemberGroupRequestHeader.class);
        return natives.clusterInfo(req, ctx).thenApply(c -> c.isFailed() ? c.error() : memberGroup(h, c.value()));
    }

    private static RemotingCommand memberGroup(GetBrokerMemberGroupRequestHeader h, GetClusterInfoResponse c) {
        BrokerMemberGroup g = new BrokerMemberGroup(h.getClusterName(), h.getBrokerName());
        BrokerData b = c.getBrokerAddrTableMap().get(h.getBrokerName());
        if (b != null && b.getCluster().equals(h.getClusterName())) {
            g.getBrokerAddrs().putAll(new TreeMap<>(b.getBrokerAddrsMap()));
        }
        GetBrokerMemberGroupResponseBody body = new GetBrokerMemberGroupResponseBody();
        body.setBrokerMemberGroup(g);
        return Answers.ok(body.encode());
    }
}
