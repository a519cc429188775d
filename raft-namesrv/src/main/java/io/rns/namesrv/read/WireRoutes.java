package io.rns.namesrv.read;

import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.TopicRoute;
import io.rns.statemachine.BrokerGroup;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.QueueConfig;
import io.rns.statemachine.TopicRouteView;

import java.util.Map;

/**
 * The one translation of the image's route values into wire messages (reads and watch events alike). Two routes
 * that a client cannot tell apart translate to equal messages: the wire form holds queues and addresses only, not a
 * member's epoch or data version.
 */
public final class WireRoutes {
    private WireRoutes() {
    }

    public static TopicRoute route(TopicRouteView v) {
        TopicRoute.Builder b = TopicRoute.newBuilder().setTopic(v.topic());
        for (Map.Entry<String, QueueConfig> q : v.queues().entrySet()) {
            QueueConfig c = q.getValue();
            b.addQueueDatas(QueueData.newBuilder().setBrokerName(q.getKey()).setReadQueueNums(c.readQueueNums())
                    .setWriteQueueNums(c.writeQueueNums()).setPerm(c.perm()).setTopicSysFlag(c.topicSysFlag()));
        }
        for (BrokerGroup g : v.brokers()) {
            b.addBrokerDatas(group(g));
        }
        return b.build();
    }

    public static BrokerData group(BrokerGroup g) {
        BrokerData.Builder d = BrokerData.newBuilder().setCluster(g.cluster()).setBrokerName(g.brokerName());
        for (BrokerMember m : g.members().values()) {
            d.putBrokerAddrs(m.brokerId(), m.addr());
        }
        return d.build();
    }
}
