package io.rns.compat.admin;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.CodeHandler;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.WritePermChange;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.header.namesrv.AddWritePermOfBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.DeleteTopicFromNamesrvRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterTopicRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.WipeWritePermOfBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The topic and permission writes of mqadmin and 5.x brokers: 205/327 write permission of a broker, 217
 * REGISTER_TOPIC_IN_NAMESRV and 216 DELETE_TOPIC_IN_NAMESRV.
 */
public record TopicAdmin(NativeCaller natives) {
    /**
     * 205 WIPE_WRITE_PERM_OF_BROKER / 327 ADD_WRITE_PERM_OF_BROKER: the broker's write permission on every topic; the
     * answer counts the topics changed ({@code wipeTopicCount} / {@code addTopicCount}).
     */
    public CodeHandler changeWritePerm(WritePermChange change) {
        return (req, ctx) -> changeWritePerm(req, ctx, change);
    }

    private CompletableFuture<RemotingCommand> changeWritePerm(RemotingCommand req, InboundContext ctx,
            WritePermChange change) throws Exception {
        String brokerName = change == WritePermChange.WIPE_WRITE
                ? Headers.decode(req, WipeWritePermOfBrokerRequestHeader.class).getBrokerName()
                : Headers.decode(req, AddWritePermOfBrokerRequestHeader.class).getBrokerName();
        return natives.call(natives.envelope(ctx).setChangeWritePerm(
                ChangeWritePermRequest.newBuilder().setBrokerName(brokerName).setChange(change)), ctx, r -> {
                    RemotingCommand out = Answers.ok();
                    out.addExtField(change == WritePermChange.WIPE_WRITE ? "wipeTopicCount" : "addTopicCount",
                            Integer.toString(r.getChangeWritePerm().getTopicCount()));
                    return out;
                });
    }

    /** 217 (5.x registerTopic): queue datas of registered broker names go into the topic; stock answers 0 always. */
    public CompletableFuture<RemotingCommand> registerTopic(RemotingCommand req, InboundContext ctx) throws Exception {
        RegisterTopicRequestHeader h = Headers.decode(req, RegisterTopicRequestHeader.class);
        TopicRouteData d = req.getBody() == null || req.getBody().length == 0 ? null
                : TopicRouteData.decode(req.getBody(), TopicRouteData.class);
        if (d == null || d.getQueueDatas() == null || d.getQueueDatas().isEmpty()) {
            return CompletableFuture.completedFuture(Answers.ok()); // stock: nothing to register
        }
        RegisterTopicRequest.Builder b = RegisterTopicRequest.newBuilder().setTopic(h.getTopic());
        List<QueueData> qds = new ArrayList<>(d.getQueueDatas());
        qds.sort(Comparator.comparing(QueueData::getBrokerName, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (QueueData q : qds) {
            b.addQueueDatas(io.rns.rpc.v1.QueueData.newBuilder()
                    .setBrokerName(q.getBrokerName() == null ? "" : q.getBrokerName())
                    .setReadQueueNums(q.getReadQueueNums()).setWriteQueueNums(q.getWriteQueueNums())
                    .setPerm(q.getPerm()).setTopicSysFlag(q.getTopicSysFlag()));
        }
        return natives.write(natives.envelope(ctx).setRegisterTopic(b), ctx);
    }

    /** 216: a native topic delete (of one cluster's queues if the header names a cluster). */
    public CompletableFuture<RemotingCommand> deleteTopic(RemotingCommand req, InboundContext ctx) throws Exception {
        DeleteTopicFromNamesrvRequestHeader h = Headers.decode(req, DeleteTopicFromNamesrvRequestHeader.class);
        return natives.write(natives.envelope(ctx).setDeleteTopic(DeleteTopicRequest.newBuilder().setTopic(h.getTopic())
                .setCluster(h.getClusterName() == null ? "" : h.getClusterName())), ctx);
    }
}
