package io.rns.compat.query;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.CodeHandler;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.UnitFilter;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.header.GetTopicsByClusterRequestHeader;

import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;

/**
 * The topic lists: 206 GET_ALL_TOPIC_LIST_FROM_NAMESERVER, 224 GET_TOPICS_BY_CLUSTER and the unit lists 311/312/313,
 * each one native topic listing with its cluster and unit filter.
 */
public record TopicLists(NativeCaller natives) {
    /** Every topic of every cluster that passes {@code filter} (206 with none, 311/312/313 with theirs). */
    public CodeHandler all(UnitFilter filter) {
        return (req, ctx) -> list(req, ctx, "", filter);
    }

    /** 224: the topics of the cluster the header names. */
    public CompletableFuture<RemotingCommand> byCluster(RemotingCommand req, InboundContext ctx) throws Exception {
        String cluster = Headers.decode(req, GetTopicsByClusterRequestHeader.class).getCluster();
        return list(req, ctx, cluster, UnitFilter.UNIT_FILTER_NONE);
    }

    private CompletableFuture<RemotingCommand> list(RemotingCommand req, InboundContext ctx, String cluster,
            UnitFilter filter) {
        return natives.call(natives.readEnvelope(req, ctx).setListTopics(
                ListTopicsRequest.newBuilder().setCluster(cluster == null ? "" : cluster).setUnitFilter(filter)), ctx,
                r -> {
                    TopicList list = new TopicList();
                    list.setTopicList(new LinkedHashSet<>(r.getListTopics().getTopicsList()));
                    return Answers.ok(list.encode());
                });
    }
}
