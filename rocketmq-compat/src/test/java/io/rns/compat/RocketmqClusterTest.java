package io.rns.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rns.namesrv.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.SerializeType;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real RNS nodes with the RocketMQ ingress, driven by rocketmq-remoting 5.5.0's own client. */
@Tag("cluster")
class RocketmqClusterTest {
    @TempDir
    Path dir;
    MiniCluster cluster;
    int[] rmqPorts;
    NettyRemotingClient client;

    @BeforeEach
    void start() throws Exception {
        rmqPorts = MiniCluster.freePorts(3);
        cluster = new MiniCluster(3, dir, 1000, 0)
                .customize((i, b) -> b.rocketmqListenPort(rmqPorts[i]).rocketmqBrokerLeaseMs(120_000))
                .startAll();
        cluster.awaitLeader(Duration.ofSeconds(30));
        client = new NettyRemotingClient(new NettyClientConfig());
        client.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    String addr(int i) {
        return "127.0.0.1:" + rmqPorts[i];
    }

    RemotingCommand sync(int node, RemotingCommand req) throws Exception {
        return client.invokeSync(addr(node), req, 10_000);
    }

    RemotingCommand route(int node, String topic) throws Exception {
        return sync(node, RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", topic)));
    }

    @Test
    void registerThroughOneNodeRouteThroughAnotherAtOnce() throws Exception {
        RemotingCommand r = sync(0, RmqTestSupport.register("DefaultCluster", "broker-a", 0, "127.0.0.1:20911",
                RmqTestSupport.body(1, 1000, "T1", "TBW102"), false));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertTrue(r.getExtFields() == null || r.getExtFields().get("masterAddr") == null, "a master gets no masterAddr");
        RemotingCommand q = route(1, "T1");
        assertEquals(ResponseCode.SUCCESS, q.getCode(), q.getRemark());
        String json = new String(q.getBody());
        assertTrue(json.contains("\"filterServerTable\":{}"), json);
        assertTrue(json.contains("\"0\":\"127.0.0.1:20911\""), "standard JSON for version 513: " + json);
        TopicRouteData d = TopicRouteData.decode(q.getBody(), TopicRouteData.class);
        assertEquals(1, d.getBrokerDatas().size());
        assertEquals("127.0.0.1:20911", d.getBrokerDatas().get(0).getBrokerAddrs().get(0L));
        assertEquals("DefaultCluster", d.getBrokerDatas().get(0).getCluster());
        assertEquals(6, d.getQueueDatas().get(0).getPerm());
        assertEquals(4, d.getQueueDatas().get(0).getWriteQueueNums());
        // TBW102 is served like any topic
        assertEquals(ResponseCode.SUCCESS, route(2, "TBW102").getCode());
        // cluster info through the third node
        RemotingCommand ci = sync(2, RmqTestSupport.request(RequestCode.GET_BROKER_CLUSTER_INFO, Map.of()));
        assertEquals(ResponseCode.SUCCESS, ci.getCode(), ci.getRemark());
        ClusterInfo info = ClusterInfo.decode(ci.getBody(), ClusterInfo.class);
        assertEquals(java.util.Set.of("broker-a"), info.getClusterAddrTable().get("DefaultCluster"));
        assertEquals("127.0.0.1:20911", info.getBrokerAddrTable().get("broker-a").getBrokerAddrs().get(0L));
    }

    @Test
    void unknownTopicIs17WithTheStockRemark() throws Exception {
        RemotingCommand q = route(0, "NoSuchTopic");
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, q.getCode());
        assertTrue(q.getRemark().startsWith("No topic route info in name server for the topic: NoSuchTopic"), q.getRemark());
    }

    @Test
    void rocketmqSerializedRequestsAreUnderstoodAndAnsweredInJson() throws Exception {
        RemotingCommand reg = RmqTestSupport.register("C1", "broker-b", 0, "127.0.0.1:30911",
                RmqTestSupport.body(1, 1000, "RT"), false);
        reg.setSerializeTypeCurrentRPC(SerializeType.ROCKETMQ);
        RemotingCommand r = sync(1, reg);
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertEquals(SerializeType.JSON, r.getSerializeTypeCurrentRPC());
        RemotingCommand q = RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "RT"));
        q.setSerializeTypeCurrentRPC(SerializeType.ROCKETMQ);
        RemotingCommand a = sync(2, q);
        assertEquals(ResponseCode.SUCCESS, a.getCode(), a.getRemark());
        assertEquals(SerializeType.JSON, a.getSerializeTypeCurrentRPC());
        assertEquals("broker-b", TopicRouteData.decode(a.getBody(), TopicRouteData.class).getBrokerDatas().get(0).getBrokerName());
    }

    @Test
    void identicalReRegistrationsThroughAllNodesWriteNoLogEntry() throws Exception {
        RemotingCommand first = RmqTestSupport.register("DefaultCluster", "broker-a", 0, "127.0.0.1:20911",
                RmqTestSupport.body(3, 5000, "T1", "T2"), false);
        assertEquals(ResponseCode.SUCCESS, sync(0, first).getCode());
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        MiniCluster.await(Duration.ofSeconds(10), "all nodes applied the registration", () -> {
            long a = cluster.node(leader).consensus().appliedIndex();
            for (int i = 0; i < 3; i++) {
                if (cluster.node(i).consensus().appliedIndex() != a) {
                    return false;
                }
            }
            return true;
        });
        long before = cluster.node(leader).consensus().appliedIndex();
        List<Long> after = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3; i++) {
                RemotingCommand again = RmqTestSupport.register("DefaultCluster", "broker-a", 0, "127.0.0.1:20911",
                        RmqTestSupport.body(3, 5000, "T2", "T1"), false);
                RemotingCommand r = sync(i, again);
                assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
            }
        }
        for (int i = 0; i < 3; i++) {
            after.add(cluster.node(i).consensus().appliedIndex());
        }
        assertEquals(List.of(before, before, before), after, "applied index on every node after 9 identical registrations");
    }
}
