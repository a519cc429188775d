package io.rns.compat;

import io.rns.namesrv.cluster.MiniCluster;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.SerializeType;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three real RNS nodes with the RocketMQ ingress, driven by rocketmq-remoting 5.5.0's own client. */
@Tag("cluster")
class RocketmqClusterTest {
    @TempDir
    Path dir;

    MiniCluster cluster;
    int[] rmqPorts;
    int[] adminPorts;
    NettyRemotingClient client;

    @BeforeEach
    void start() throws Exception {
        rmqPorts = MiniCluster.freePorts(3);
        adminPorts = MiniCluster.freePorts(3);
        cluster = new MiniCluster(3, dir, 1000, 0).customize((i, b) -> b.rocketmqListenPort(rmqPorts[i])
                .rocketmqBrokerLeaseMs(120_000).adminListenPort(adminPorts[i])).startAll();
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
        assertTrue(r.getExtFields() == null || r.getExtFields().get("masterAddr") == null,
                "a master gets no masterAddr");
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
        assertEquals(Set.of("broker-a"), info.getClusterAddrTable().get("DefaultCluster"));
        assertEquals("127.0.0.1:20911", info.getBrokerAddrTable().get("broker-a").getBrokerAddrs().get(0L));
    }

    /** The RocketMQ port's connections and refusals are exported like the native port's, and so is the store. */
    @Test
    void theRocketmqPortIsMeasured() throws Exception {
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(0, "NoSuchTopic").getCode());
        HttpClient http = HttpClient.newHttpClient();
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPorts[0] + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        String node = cluster.config(0).nodeId();
        assertTrue(body.contains("rns_rpc_connections_accepted_total{node=\"" + node + "\",port=\"rocketmq\"} 1.0"),
                body);
        assertTrue(body.contains("rns_rpc_connections_open{node=\"" + node + "\",port=\"rocketmq\"} 1.0"), body);
        assertTrue(body.contains("rns_rpc_protocol_errors_total{node=\"" + node + "\",port=\"rocketmq\"} 0.0"), body);
        assertTrue(body.contains("rns_store_keys{node=\"" + node + "\"}"), body);
        assertTrue(body.contains("rns_store_sst_bytes{node=\"" + node + "\"}"), body);
    }

    @Test
    void unknownTopicIs17WithTheStockRemark() throws Exception {
        RemotingCommand q = route(0, "NoSuchTopic");
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, q.getCode());
        assertTrue(q.getRemark().startsWith("No topic route info in name server for the topic: NoSuchTopic"),
                q.getRemark());
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
        assertEquals("broker-b",
                TopicRouteData.decode(a.getBody(), TopicRouteData.class).getBrokerDatas().get(0).getBrokerName());
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
        assertEquals(List.of(before, before, before), after,
                "applied index on every node after 9 identical registrations");
    }

    @Test
    void onewayRegistrationIsAppliedWithoutAnAnswer() throws Exception {
        RemotingCommand reg = RmqTestSupport.register("DefaultCluster", "broker-ow", 0, "127.0.0.1:40911",
                RmqTestSupport.body(1, 1, "OneWayTopic"), false);
        client.invokeOneway(addr(1), reg, 5_000);
        MiniCluster.await(Duration.ofSeconds(20), "oneway registration visible", () -> {
            try {
                return route(0, "OneWayTopic").getCode() == ResponseCode.SUCCESS;
            } catch (Exception e) {
                return false;
            }
        });
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
        RemotingCommand list = sync(2,
                RmqTestSupport.request(RequestCode.GET_KVLIST_BY_NAMESPACE, Map.of("namespace", "ORDER_TOPIC_CONFIG")));
        assertEquals(Map.of("OT", "broker-a:4"), KVTable.decode(list.getBody(), KVTable.class).getTable());
        RemotingCommand reg = sync(2, RmqTestSupport.register("DefaultCluster", "broker-k", 0, "127.0.0.1:60911",
                RmqTestSupport.body(1, 1, "KT"), false));
        assertTrue(new String(reg.getBody()).contains("\"OT\":\"broker-a:4\""),
                "order topic config returned to the broker");
        assertEquals(ResponseCode.SUCCESS, sync(1, RmqTestSupport.request(RequestCode.DELETE_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT"))).getCode());
        RemotingCommand gone = sync(0, RmqTestSupport.request(RequestCode.GET_KV_CONFIG,
                Map.of("namespace", "ORDER_TOPIC_CONFIG", "key", "OT")));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, gone.getCode());
        assertEquals(ResponseCode.QUERY_NOT_FOUND, sync(0,
                RmqTestSupport.request(RequestCode.GET_KVLIST_BY_NAMESPACE, Map.of("namespace", "ORDER_TOPIC_CONFIG")))
                .getCode());
    }

    @Test
    void deleteTopicTopicListsAndUnregister() throws Exception {
        assertEquals(ResponseCode.SUCCESS, sync(0, RmqTestSupport.register("C2", "broker-d", 0, "127.0.0.1:21911",
                RmqTestSupport.body(1, 1, "D1", "D2"), false)).getCode());
        RemotingCommand all = sync(1, RmqTestSupport.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, Map.of()));
        assertTrue(new String(all.getBody()).contains("D1"), new String(all.getBody()));
        RemotingCommand byCluster = sync(2,
                RmqTestSupport.request(RequestCode.GET_TOPICS_BY_CLUSTER, Map.of("cluster", "C2")));
        assertEquals(Set.of("D1", "D2"), TopicList.decode(byCluster.getBody(), TopicList.class).getTopicList());
        assertEquals(ResponseCode.SUCCESS,
                sync(1, RmqTestSupport.request(RequestCode.DELETE_TOPIC_IN_NAMESRV, Map.of("topic", "D1"))).getCode());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(2, "D1").getCode());
        assertEquals(ResponseCode.SUCCESS, route(2, "D2").getCode());
        assertEquals(ResponseCode.SUCCESS,
                sync(2, RmqTestSupport.request(RequestCode.UNREGISTER_BROKER, Map.of("brokerName", "broker-d",
                        "brokerAddr", "127.0.0.1:21911", "clusterName", "C2", "brokerId", "0"))).getCode());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(0, "D2").getCode());
    }

    @Test
    void aBrokerWhoseOnlyConnectionClosesLeavesWellBeforeItsLease() throws Exception {
        NettyRemotingClient broker = new NettyRemotingClient(new NettyClientConfig());
        broker.start();
        try {
            assertEquals(
                    ResponseCode.SUCCESS, broker
                            .invokeSync(addr(1), RmqTestSupport.register("DefaultCluster", "broker-gone", 0,
                                    "127.0.0.1:22911", RmqTestSupport.body(1, 1, "GoneTopic"), false), 10_000)
                            .getCode());
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
        // a stock broker registers with every node it is given, here only n2: once that connection closes no node
        // holds one of it, so it goes at once (liveness.expire-when-all-closed), not after the suspect lease
        System.out.println("broker left every node's routes " + ms + " ms after its connection closed (suspect lease "
                + cluster.node(0).config().liveness().suspectLeaseMs() + " ms, its lease 120000 ms)");
        assertTrue(ms < 60_000, "well before its 120 s lease: " + ms);
    }

    // ---------------------------------------------------------------------------------------------- compat2 codes

    static RemotingCommand withLease(RemotingCommand reg, long leaseMs) {
        reg.getExtFields().put("heartbeatTimeoutMillis", Long.toString(leaseMs));
        return reg;
    }

    static byte[] dataVersion(long counter, long timestamp) {
        DataVersion dv = new DataVersion();
        dv.setCounter(new AtomicLong(counter));
        dv.setTimestamp(timestamp);
        return dv.encode();
    }

    RemotingCommand queryDataVersion(int node, String name, String addr, long counter, long timestamp)
            throws Exception {
        RemotingCommand q = RmqTestSupport.request(RequestCode.QUERY_DATA_VERSION,
                Map.of("brokerName", name, "brokerAddr", addr, "clusterName", "DefaultCluster", "brokerId", "0"));
        q.setBody(dataVersion(counter, timestamp));
        return sync(node, q);
    }

    boolean routed(int node, String topic) {
        try {
            return route(node, topic).getCode() == ResponseCode.SUCCESS;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void queryDataVersionAnswersChangedAndBothItAndBrokerHeartbeatKeepABrokerAlive() throws Exception {
        // unknown broker: changed=true (so it registers), no body; 904 of an unknown broker is 0 like stock
        RemotingCommand unknown = queryDataVersion(1, "broker-q", "127.0.0.1:23911", 1, 1000);
        assertEquals(ResponseCode.SUCCESS, unknown.getCode(), unknown.getRemark());
        assertEquals("true", unknown.getExtFields().get("changed"));
        assertNull(unknown.getBody());
        assertEquals(ResponseCode.SUCCESS, sync(2, RmqTestSupport.request(RequestCode.BROKER_HEARTBEAT,
                Map.of("clusterName", "DefaultCluster", "brokerAddr", "127.0.0.1:24911", "brokerName", "broker-h")))
                .getCode());

        long lease = 3000;
        for (String[] b : new String[][]{{"broker-q", "127.0.0.1:23911", "QT"}, {"broker-h", "127.0.0.1:24911", "HT"},
                {"broker-x", "127.0.0.1:25911", "XT"}}) {
            RemotingCommand r = sync(0, withLease(
                    RmqTestSupport.register("DefaultCluster", b[0], 0, b[1], RmqTestSupport.body(7, 7000, b[2]), false),
                    lease));
            assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        }
        RemotingCommand same = queryDataVersion(1, "broker-q", "127.0.0.1:23911", 7, 7000);
        assertEquals("false", same.getExtFields().get("changed"));
        DataVersion stored = DataVersion.decode(same.getBody(), DataVersion.class);
        assertEquals(7000, stored.getTimestamp());
        assertEquals(7, stored.getCounter().get());
        assertEquals("true", queryDataVersion(2, "broker-q", "127.0.0.1:23911", 8, 7000).getExtFields().get("changed"));
        assertEquals("true", queryDataVersion(2, "broker-q", "127.0.0.1:29999", 7, 7000).getExtFields().get("changed"),
                "another address is not this broker");

        // 322 keeps broker-q alive, 904 keeps broker-h alive (via different nodes), broker-x gets nothing
        long end = System.nanoTime() + 4 * lease * 1_000_000;
        int n = 0;
        while (System.nanoTime() < end) {
            RemotingCommand q = queryDataVersion(n % 3, "broker-q", "127.0.0.1:23911", 7, 7000);
            assertEquals(ResponseCode.SUCCESS, q.getCode(), q.getRemark());
            RemotingCommand h = sync((n + 1) % 3,
                    RmqTestSupport.request(RequestCode.BROKER_HEARTBEAT, Map.of("clusterName", "DefaultCluster",
                            "brokerAddr", "127.0.0.1:24911", "brokerName", "broker-h", "brokerId", "0")));
            assertEquals(ResponseCode.SUCCESS, h.getCode(), h.getRemark());
            n++;
            Thread.sleep(300);
        }
        MiniCluster.await(Duration.ofSeconds(30), "broker-x expired (no heartbeat)", () -> !routed(0, "XT"));
        assertTrue(routed(0, "QT"), "QUERY_DATA_VERSION kept broker-q alive past " + (4 * lease) + " ms");
        assertTrue(routed(0, "HT"), "BROKER_HEARTBEAT kept broker-h alive past " + (4 * lease) + " ms");
        // and without them they expire too (the keep-alive above was real)
        MiniCluster.await(Duration.ofSeconds(30), "broker-q and broker-h expire once silent",
                () -> !routed(1, "QT") && !routed(1, "HT"));
    }

    @Test
    void unitTopicLists() throws Exception {
        RegisterBrokerBodyBuilder.registerWithFlags(this, "broker-u", "127.0.0.1:26911",
                Map.of("U", 1, "US", 2, "UUS", 3, "PLAIN", 0));
        assertEquals(Set.of("U", "UUS"), topicList(1, RequestCode.GET_UNIT_TOPIC_LIST));
        assertEquals(Set.of("US", "UUS"), topicList(2, RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST));
        assertEquals(Set.of("US"), topicList(0, RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST));
        // a second broker name gives US the unit flag on one queue data: no longer "unit-sub and not unit"
        RegisterBrokerBodyBuilder.registerWithFlags(this, "broker-u2", "127.0.0.1:27911", Map.of("US", 1));
        assertEquals(Set.of(), topicList(0, RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST));
        assertEquals(Set.of("U", "US", "UUS"), topicList(1, RequestCode.GET_UNIT_TOPIC_LIST));
    }

    Set<String> topicList(int node, int code) throws Exception {
        RemotingCommand r = sync(node, RmqTestSupport.request(code, Map.of()));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        return TopicList.decode(r.getBody(), TopicList.class).getTopicList();
    }

    static final class RegisterBrokerBodyBuilder {
        static void registerWithFlags(RocketmqClusterTest t, String name, String addr, Map<String, Integer> flags)
                throws Exception {
            RegisterBrokerBody b = RmqTestSupport.body(1, 1, flags.keySet().toArray(new String[0]));
            b.getTopicConfigSerializeWrapper().getTopicConfigTable()
                    .forEach((topic, c) -> c.setTopicSysFlag(flags.get(topic)));
            RemotingCommand r = t.sync(0, RmqTestSupport.register("DefaultCluster", name, 0, addr, b, false));
            assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        }
    }

    int perm(int node, String topic, String brokerName) throws Exception {
        RemotingCommand r = route(node, topic);
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        return TopicRouteData.decode(r.getBody(), TopicRouteData.class).getQueueDatas().stream()
                .filter(q -> q.getBrokerName().equals(brokerName)).findFirst().orElseThrow().getPerm();
    }

    long appliedOnLeader() {
        return cluster.node(cluster.awaitLeader(Duration.ofSeconds(10))).consensus().appliedIndex();
    }

    @Test
    void wipeSurvivesUnchangedReRegistrationAddRestoresChangedVersionRewrites() throws Exception {
        RemotingCommand reg = RmqTestSupport.register("DefaultCluster", "broker-w", 0, "127.0.0.1:28911",
                RmqTestSupport.body(5, 5000, "W1", "W2"), false);
        assertEquals(ResponseCode.SUCCESS, sync(0, reg).getCode());
        assertEquals(ResponseCode.SUCCESS, sync(0, RmqTestSupport.register("DefaultCluster", "broker-o", 0,
                "127.0.0.1:29911", RmqTestSupport.body(1, 1, "W1"), false)).getCode());

        RemotingCommand wipe = sync(1,
                RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of("brokerName", "broker-w")));
        assertEquals(ResponseCode.SUCCESS, wipe.getCode(), wipe.getRemark());
        assertEquals("2", wipe.getExtFields().get("wipeTopicCount"));
        assertEquals(4, perm(2, "W1", "broker-w"));
        assertEquals(4, perm(2, "W2", "broker-w"));
        assertEquals(6, perm(2, "W1", "broker-o"), "another broker name keeps its perm");

        // the broker's periodic re-registration (same DataVersion) through every node: no log entry, wipe kept
        long before = appliedOnLeader();
        for (int i = 0; i < 3; i++) {
            RemotingCommand again = RmqTestSupport.register("DefaultCluster", "broker-w", 0, "127.0.0.1:28911",
                    RmqTestSupport.body(5, 5000, "W1", "W2"), false);
            assertEquals(ResponseCode.SUCCESS, sync(i, again).getCode());
        }
        assertEquals(before, appliedOnLeader(), "identical re-registrations wrote no log entry");
        for (int i = 0; i < 3; i++) {
            assertEquals(4, perm(i, "W1", "broker-w"), "node " + i);
        }
        // wiping again changes nothing but still counts the topics
        RemotingCommand wipe2 = sync(2,
                RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of("brokerName", "broker-w")));
        assertEquals("2", wipe2.getExtFields().get("wipeTopicCount"));

        RemotingCommand add = sync(0,
                RmqTestSupport.request(RequestCode.ADD_WRITE_PERM_OF_BROKER, Map.of("brokerName", "broker-w")));
        assertEquals(ResponseCode.SUCCESS, add.getCode(), add.getRemark());
        assertEquals("2", add.getExtFields().get("addTopicCount"));
        assertEquals(6, perm(1, "W2", "broker-w"));

        // wipe, then a registration with a changed DataVersion rewrites the queue data from the broker's config
        assertEquals(ResponseCode.SUCCESS,
                sync(1, RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of("brokerName", "broker-w")))
                        .getCode());
        assertEquals(4, perm(0, "W1", "broker-w"));
        assertEquals(ResponseCode.SUCCESS, sync(2, RmqTestSupport.register("DefaultCluster", "broker-w", 0,
                "127.0.0.1:28911", RmqTestSupport.body(6, 5000, "W1", "W2"), false)).getCode());
        assertEquals(6, perm(0, "W1", "broker-w"));
        assertEquals(6, perm(1, "W2", "broker-w"));

        // unknown broker name: 0 topics
        RemotingCommand none = sync(0,
                RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of("brokerName", "no-such-broker")));
        assertEquals(ResponseCode.SUCCESS, none.getCode());
        assertEquals("0", none.getExtFields().get("wipeTopicCount"));
    }

    @Test
    void registerTopicAddsQueueDataOfRegisteredBrokersOnly() throws Exception {
        assertEquals(ResponseCode.SUCCESS, sync(0, RmqTestSupport.register("DefaultCluster", "broker-r", 0,
                "127.0.0.1:30911", RmqTestSupport.body(1, 1, "R0"), false)).getCode());
        TopicRouteData d = new TopicRouteData();
        QueueData known = new QueueData();
        known.setBrokerName("broker-r");
        known.setReadQueueNums(8);
        known.setWriteQueueNums(8);
        known.setPerm(6);
        QueueData ghost = new QueueData();
        ghost.setBrokerName("broker-ghost");
        ghost.setReadQueueNums(1);
        ghost.setWriteQueueNums(1);
        ghost.setPerm(6);
        d.setQueueDatas(new ArrayList<>(List.of(ghost, known)));
        d.setBrokerDatas(new ArrayList<>());
        RemotingCommand req = RmqTestSupport.request(RequestCode.REGISTER_TOPIC_IN_NAMESRV, Map.of("topic", "NEWT"));
        req.setBody(d.encode());
        RemotingCommand r = sync(1, req);
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        RemotingCommand q = route(2, "NEWT");
        assertEquals(ResponseCode.SUCCESS, q.getCode(), q.getRemark());
        TopicRouteData got = TopicRouteData.decode(q.getBody(), TopicRouteData.class);
        assertEquals(1, got.getQueueDatas().size());
        assertEquals("broker-r", got.getQueueDatas().get(0).getBrokerName());
        assertEquals(8, got.getQueueDatas().get(0).getWriteQueueNums());
        // only unknown brokers: 0 and still no route
        RemotingCommand ghostOnly = RmqTestSupport.request(RequestCode.REGISTER_TOPIC_IN_NAMESRV,
                Map.of("topic", "GT"));
        d.setQueueDatas(new ArrayList<>(List.of(ghost)));
        ghostOnly.setBody(d.encode());
        assertEquals(ResponseCode.SUCCESS, sync(0, ghostOnly).getCode());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route(0, "GT").getCode());
    }
}
