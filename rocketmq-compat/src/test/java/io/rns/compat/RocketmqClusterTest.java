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

    @Test
    void onewayRegistrationIsAppliedWithoutAnAnswer() throws Exception {
        RemotingCommand reg = RmqTestSupport.register("DefaultCluster", "broker-ow", 0, "127.0.0.1:40911",
                RmqTestSupport.body(1, 1, "OneWayTopic"), false);
        client.invokeOneway(addr(1), reg, 5_000);
        MiniCluster.await(Duration.ofSeconds(20), "oneway registration visible",
                () -> { try { return route(0, "OneWayTopic").getCode() == ResponseCode.SUCCESS; } catch (Exception e) { return false; } });
    }

    @Test
    void slaveRegistrationReturnsTheMastersAddresses() throws Exception {
        assertEquals(ResponseCode.SUCCESS, sync(0, RmqTestSupport.register("DefaultCluster", "broker-s", 0,
                "127.0.0.1:50911", RmqTestSupport.body(1, 1, "ST"), false)).getCode());
        RemotingCommand r = sync(2, RmqTestSupport.register("DefaultCluster", "broker-s", 1, "127.0.0.1:50921",
                RmqTestSupport.body(1, 1, "ST"), false));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertEquals("127.0.0.1:50911", r.getExtFields().get("masterAddr"));
        assertEquals("127.0.0.1:50912", r.getExtFields().get("haServerAddr"));
        TopicRouteData d = TopicRouteData.decode(route(1, "ST").getBody(), TopicRouteData.class);
        assertEquals(Map.of(0L, "127.0.0.1:50911", 1L, "127.0.0.1:50921"), d.getBrokerDatas().get(0).getBrokerAddrs());
    }

    @Test
    void kvPutGetListDeleteAndOrderTopicConfigReturnedToBrokers() throws Exception {
        RemotingCommand put = RmqTestSupport.request(RequestCode.PUT_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT", "value", "broker-a:4"));
        assertEquals(ResponseCode.SUCCESS, sync(0, put).getCode());
        RemotingCommand get = sync(1, RmqTestSupport.request(RequestCode.GET_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT")));
        assertEquals(ResponseCode.SUCCESS, get.getCode(), get.getRemark());
        assertEquals("broker-a:4", get.getExtFields().get("value"));
        RemotingCommand list = sync(2, RmqTestSupport.request(RequestCode.GET_KVLIST_BY_NAMESPACE,
                Map.of("namespace", "ORDER_TOPIC_CONFIG")));
        assertEquals(Map.of("OT", "broker-a:4"),
                org.apache.rocketmq.remoting.protocol.body.KVTable.decode(list.getBody(),
                        org.apache.rocketmq.remoting.protocol.body.KVTable.class).getTable());
        RemotingCommand reg = sync(2, RmqTestSupport.register("DefaultCluster", "broker-k", 0, "127.0.0.1:60911",
                RmqTestSupport.body(1, 1, "KT"), false));
        assertTrue(new String(reg.getBody()).contains("\"OT\":\"broker-a:4\""), "order topic config returned to the broker");
        assertEquals(ResponseCode.SUCCESS, sync(1, RmqTestSupport.request(RequestCode.DELETE_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT"))).getCode());
        RemotingCommand gone = sync(0, RmqTestSupport.request(RequestCode.GET_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT")));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, gone.getCode());
        assertEquals(ResponseCode.QUERY_NOT_FOUND, sync(0, RmqTestSupport.request(RequestCode.GET_KVLIST_BY_NAMESPACE,
                Map.of("namespace", "ORDER_TOPIC_CONFIG"))).getCode());
    }

    @Test
    void deleteTopicTopicListsAndUnregister() throws Exception {
        assertEquals(ResponseCode.SUCCESS, sync(0, RmqTestSupport.register("C2", "broker-d", 0, "127.0.0.1:21911",
                RmqTestSupport.body(1, 1, "D1", "D2"), false)).getCode());
        RemotingCommand all = sync(1, RmqTestSupport.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, Map.of()));
        assertTrue(new String(all.getBody()).contains("D1"), new String(all.getBody()));
        RemotingCommand byCluster = sync(2, RmqTestSupport.request(RequestCode.GET_TOPICS_BY_CLUSTER, Map.of("cluster", "C2")));
        assertEquals(java.util.Set.of("D1", "D2"), org.apache.rocketmq.remoting.protocol.body.TopicList.decode(
                byCluster.getBody(), org.apache.rocketmq.remoting.protocol.body.TopicList.class).getTopicList());
        assertEquals(ResponseCode.SUCCESS, sync(1, RmqTestSupport.request(RequestCode.DELETE_TOPIC_IN_NAMESRV,
                Map.of("topic", "D1"))).getCode());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(2, "D1").getCode());
        assertEquals(ResponseCode.SUCCESS, route(2, "D2").getCode());
        assertEquals(ResponseCode.SUCCESS, sync(2, RmqTestSupport.request(RequestCode.UNREGISTER_BROKER, Map.of(
                "brokerName", "broker-d", "brokerAddr", "127.0.0.1:21911", "clusterName", "C2", "brokerId", "0"))).getCode());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(0, "D2").getCode());
    }

    @Test
    void aRegisteredBrokersConnectionCloseMakesItLeaveAfterTheSuspectLease() throws Exception {
        NettyRemotingClient broker = new NettyRemotingClient(new NettyClientConfig());
        broker.start();
        try {
            assertEquals(ResponseCode.SUCCESS, broker.invokeSync(addr(1), RmqTestSupport.register("DefaultCluster",
                    "broker-gone", 0, "127.0.0.1:22911", RmqTestSupport.body(1, 1, "GoneTopic"), false), 10_000).getCode());
            assertEquals(ResponseCode.SUCCESS, route(0, "GoneTopic").getCode());
        } finally {
            broker.shutdown(); // the broker's connection closes (as when a stock broker dies)
        }
        long closed = System.nanoTime();
        MiniCluster.await(Duration.ofSeconds(30), "GoneTopic gone from every node after the connection closed", () -> {
            try {
                for (int i = 0; i < 3; i++) {
                    if (route(i, "GoneTopic").getCode() != ResponseCode.TOPIC_NOT_EXIST) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        long ms = (System.nanoTime() - closed) / 1_000_000;
        System.out.println("broker left every node's routes " + ms + " ms after its connection closed (suspect lease "
                + cluster.node(0).config().liveness().suspectLeaseMs() + " ms, its lease 120000 ms)");
        assertTrue(ms < 60_000, "well before its 120 s lease: " + ms);
    }
}
