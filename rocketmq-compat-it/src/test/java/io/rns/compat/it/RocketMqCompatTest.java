package io.rns.compat.it;

import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real RocketMQ brokers, producers, push consumers and admin tools (of the module's generation: 4.9.7 or 5.5.0)
 * against three NameServer nodes: by default a 3-node RNS cluster speaking the RocketMQ protocol, with
 * -Drns.it.target=stock three stock RocketMQ NameServers (the control). One cluster and one broker per class.
 * The RocketMQ classes whose package moved between 4.x and 5.x (TopicRouteData, ClusterInfo, ...) are only used
 * through {@code var}, so the same source compiles against both generations.
 */
@Tag("rocketmq")
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RocketMqCompatTest {

    private ScenarioEnv it;
    private NameServers ns;
    private Broker brokerA;
    private DefaultMQAdminExt admin; // all three addresses, as mqadmin -n "a;b;c"
    private final List<DefaultMQAdminExt> nodeAdmins = new ArrayList<>(); // one per node: reads through that node only
    private Rmq clients;
    private String run; // unique suffix for topics/groups of this run

    @BeforeAll
    void setUp() throws Exception {
        it = new ScenarioEnv("compat");
        ScenarioEnv.log("client library version %s", MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION));
        run = it.runTag();
        clients = new Rmq(run);
        ns = it.target.equals("rns") ? RnsNameServers.start(it) : StockNamesrvs.start(it);
        brokerA = Broker.start(it, "broker-a", ns.addrList());
        admin = admin("admin-all", ns.addrList());
        for (int i = 0; i < 3; i++) {
            nodeAdmins.add(admin("admin-node" + (i + 1), ns.addrs().get(i)));
        }
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(180), () -> {
            if (!brokerA.alive()) {
                throw new IllegalStateException("broker died");
            }
            for (int i = 0; i < 3; i++) {
                if (!Rmq.brokerAddrs(nodeAdmins.get(i)).containsKey(brokerA.name)) {
                    return false;
                }
            }
            return true;
        });
        if (ms < 0) {
            fail("broker-a (" + brokerA.addr()
                    + ") did not show in examineBrokerClusterInfo of every node within 180 s; " + ns.describe()
                    + "; broker log:\n" + brokerA.logTail());
        }
        ScenarioEnv.log("broker-a registered with all three nodes %d ms after the admin clients started", ms);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (clients != null) {
            clients.close();
        }
        // the clean stop (SIGTERM) of a broker is exercised by the scenarios; here SIGKILL saves the ~10-30 s a
        // broker's shutdown takes on a loaded machine
        if (brokerA != null) {
            brokerA.kill();
        }
        if (brokerB != null) {
            brokerB.kill();
        }
        if (brokerDotted != null) {
            brokerDotted.kill();
        }
        if (ns != null) {
            ns.close();
        }
        if (it != null) {
            ScenarioEnv.log("logs and data stay in %s", it.workDir);
        }
    }

    // ------------------------------------------------------------------------------------------------ scenarios

    @Test
    @Order(1)
    void brokerRegistrationIsVisibleOnEveryNode() throws Exception {
        eachNode((node, a) -> {
            var ci = a.examineBrokerClusterInfo();
            var bd = ci.getBrokerAddrTable().get(brokerA.name);
            assertTrue(bd != null, node + ": no broker-a in " + ci.getBrokerAddrTable().keySet());
            assertEquals(Map.of(0L, brokerA.addr()), Map.copyOf(bd.getBrokerAddrs()), node + " broker-a addrs");
            assertEquals(Broker.CLUSTER, bd.getCluster(), node + " cluster of broker-a");
            Set<String> names = ci.getClusterAddrTable().get(Broker.CLUSTER);
            assertTrue(names != null && names.contains(brokerA.name),
                    node + " clusterAddrTable " + ci.getClusterAddrTable());
        });
    }

    @Test
    @Order(2)
    void producerAndPushConsumerExchangeEveryMessage() throws Exception {
        String topic = "it-sendrecv-" + run;
        admin.createAndUpdateTopicConfig(brokerA.addr(), new TopicConfig(topic, 4, 4, 6));
        Rmq.Exchange x = clients.exchange("sendrecv-" + run, ns.addrList(), topic, 200, 30_000);
        ScenarioEnv.log(
                "sent %d messages to %s; push consumer got %d distinct keys (%d redeliveries) in %d ms; "
                        + "missing %d",
                x.sent().size(), topic, x.received().size(), x.redeliveries(), x.ms(), x.missing().size());
        assertEquals(Set.of(), x.missing(), "keys sent but never consumed");
        assertEquals(x.sent(), x.received().keySet(), "consumed keys must be exactly the sent keys");
    }

    @Test
    @Order(3)
    void adminTopicLifecycleKvConfigAndClusterInfoReadYourWrites() throws Exception {
        String topic = "it-admin-" + run;
        long t0 = System.nanoTime();
        admin.createAndUpdateTopicConfig(brokerA.addr(), new TopicConfig(topic, 3, 2, 6));
        long createMs = (System.nanoTime() - t0) / 1_000_000;
        // immediately, no retry: every node must already serve the route the broker registered before it answered
        eachNode((node, a) -> {
            var route = a.examineTopicRouteInfo(topic);
            assertEquals(Set.of(brokerA.name), Rmq.brokerNames(route), node + " brokers of " + topic);
            var qd = route.getQueueDatas().get(0);
            assertEquals(List.of(3, 2, 6), List.of(qd.getReadQueueNums(), qd.getWriteQueueNums(), qd.getPerm()),
                    node + " queue data (read, write, perm) of " + topic);
            assertTrue(a.fetchAllTopicList().getTopicList().contains(topic), node + " topic list (206)");
            assertTrue(a.fetchTopicsByCLuster(Broker.CLUSTER).getTopicList().contains(topic),
                    node + " topics by cluster (224)");
        });
        ScenarioEnv.log("topic %s created through broker-a in %d ms and visible on all three nodes at once", topic,
                createMs);

        // KV config: put fans out to every address; read back through each node; delete; gone everywhere (22)
        String kvNs = "IT_NS_" + run;
        admin.createAndUpdateKvConfig(kvNs, "k1", "v1-" + run);
        eachNode((node, a) -> assertEquals("v1-" + run, a.getKVConfig(kvNs, "k1"), node + " getKVConfig"));
        admin.deleteKvConfig(kvNs, "k1");
        eachNode((node, a) -> assertEquals(Rmq.QUERY_NOT_FOUND, Rmq.clientErrorCode(a, x -> x.getKVConfig(kvNs, "k1")),
                node + " getKVConfig after delete"));

        // delete the topic in the broker, then in every NameServer: the route is gone on every node (17)
        admin.deleteTopicInBroker(Set.of(brokerA.addr()), topic);
        // as mqadmin deleteTopic -c does; the (String, String) parameter order differs: 4.9.7 (topic, cluster), 5.x
        // (cluster, topic)
        if (it.is4x()) {
            admin.deleteTopicInNameServer(new HashSet<>(ns.addrs()), topic, Broker.CLUSTER);
        } else {
            admin.deleteTopicInNameServer(new HashSet<>(ns.addrs()), Broker.CLUSTER, topic);
        }
        eachNode((node, a) -> {
            assertEquals(Rmq.TOPIC_NOT_EXIST, Rmq.routeCode(a, topic), node + " route after delete");
            assertTrue(!a.fetchAllTopicList().getTopicList().contains(topic), node + " topic list after delete");
        });
        // broker-a itself is still registered
        eachNode((node, a) -> assertTrue(Rmq.brokerAddrs(a).containsKey(brokerA.name), node + " still lists broker-a"));
    }

    @Test
    @Order(4)
    void killingTheLeaderLosesNoSentMessage() throws Exception {
        String topic = "it-failover-" + run;
        admin.createAndUpdateTopicConfig(brokerA.addr(), new TopicConfig(topic, 4, 4, 6));
        Map<String, Integer> received = new ConcurrentHashMap<>();
        // clients re-read their routes from the NameServers every second, so the kill is felt by them
        consumer("cg-failover-" + run, topic, received, 1_000);
        DefaultMQProducer producer = producer("pg-failover-" + run, 1_000);
        int total = 400;
        Set<String> sentOk = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger attempted = new AtomicInteger();
        Thread sender = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                String key = "fo-" + run + "-" + i;
                attempted.incrementAndGet();
                try {
                    var r = producer
                            .send(new Message(topic, "tag", key, ("failover-" + i).getBytes(StandardCharsets.UTF_8)));
                    if (r.getSendStatus() == SendStatus.SEND_OK) {
                        sentOk.add(key);
                    } else {
                        failures.add(key + ": " + r.getSendStatus());
                    }
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.add(key + ": " + e);
                }
            }
        }, "failover-sender");
        sender.start();
        ScenarioEnv.waitUntil(Duration.ofSeconds(60), () -> sentOk.size() >= 100);
        int victim = ns.leader();
        ScenarioEnv.log("killing node %d (%s) after %d sends", victim + 1, ns.addrs().get(victim), sentOk.size());
        long killedAt = System.nanoTime();
        ns.kill(victim);

        // with the leader gone: a topic created now must become readable on both survivors
        String topic2 = "it-after-kill-" + run;
        admin.createAndUpdateTopicConfig(brokerA.addr(), new TopicConfig(topic2, 2, 2, 6));
        long createdMs = (System.nanoTime() - killedAt) / 1_000_000;
        List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
        survivors.remove(Integer.valueOf(victim));
        long visibleMs = ScenarioEnv.waitUntil(Duration.ofSeconds(60), () -> {
            for (int i : survivors) {
                if (!Rmq.brokerNames(nodeAdmins.get(i).examineTopicRouteInfo(topic2)).contains(brokerA.name)) {
                    return false;
                }
            }
            return true;
        });
        ScenarioEnv.log(
                "topic %s created %d ms after the kill; visible on both survivors %d ms after the create returned",
                topic2, createdMs, visibleMs);
        assertTrue(visibleMs >= 0,
                "a topic created after the leader kill never became visible on the survivors " + survivors);

        sender.join(Duration.ofSeconds(240).toMillis());
        assertTrue(!sender.isAlive(), "sender still running");
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(120), () -> received.keySet().containsAll(sentOk));
        Set<String> lost = new TreeSet<>(sentOk);
        lost.removeAll(received.keySet());
        ScenarioEnv.log(
                "failover run: attempted %d, sent OK %d, send failures %d %s; consumed %d distinct (all sent-OK consumed after %d ms); lost %d",
                attempted.get(), sentOk.size(), failures.size(), failures, received.size(), ms, lost.size());
        assertEquals(Set.of(), lost, "messages the producer reported sent but the consumer never got");
        assertEquals(total, attempted.get(), "the sender must have attempted every message");
        // the producer talks to the broker, not the NameServers; at most a handful of failures may come from a
        // route refresh that hit the dead node (stock clients do the same with one stock namesrv down)
        assertTrue(failures.size() <= 10, "too many send failures: " + failures);

        // the killed node comes back and serves broker-a and the topic created while it was down
        ns.restart(victim);
        long backMs = ScenarioEnv.waitUntil(Duration.ofSeconds(90),
                () -> Rmq.brokerAddrs(nodeAdmins.get(victim)).containsKey(brokerA.name) && Rmq
                        .brokerNames(nodeAdmins.get(victim).examineTopicRouteInfo(topic2)).contains(brokerA.name));
        ScenarioEnv.log("restarted node %d serves broker-a and %s after %d ms", victim + 1, topic2, backMs);
        assertTrue(backMs >= 0, "restarted node " + (victim + 1) + " never served broker-a and " + topic2);
    }

    private Broker brokerB;
    private Broker brokerDotted;

    @Test
    @Order(5)
    void stoppedAndKilledBrokersLeaveTheRoutes() throws Exception {
        brokerB = Broker.start(it, "broker-b", ns.addrList());
        String topic = "it-onlyb-" + run;
        awaitEveryNode("broker-b registered", Duration.ofSeconds(180),
                i -> Rmq.brokerAddrs(nodeAdmins.get(i)).containsKey(brokerB.name));
        admin.createAndUpdateTopicConfig(brokerB.addr(), new TopicConfig(topic, 2, 2, 6));
        awaitEveryNode("route of " + topic + " via broker-b", Duration.ofSeconds(30),
                i -> Rmq.brokerNames(nodeAdmins.get(i).examineTopicRouteInfo(topic)).equals(Set.of(brokerB.name)));

        // (a) SIGTERM: a clean shutdown sends UNREGISTER_BROKER
        long t0 = System.nanoTime();
        brokerB.stop();
        long goneStop = awaitGone(topic, t0, Duration.ofSeconds(60));
        ScenarioEnv.log("stopped broker-b (SIGTERM): gone from every node %d ms after the signal", goneStop);
        assertTrue(goneStop >= 0, "a stopped broker was still listed 60 s after SIGTERM");
        assertTrue(goneStop <= 30_000, "a stopped broker took " + goneStop + " ms to leave the routes");

        // (b) SIGKILL: no unregister; the NameServers see the connections close
        brokerB.restart();
        awaitEveryNode("broker-b re-registered with " + topic, Duration.ofSeconds(180),
                i -> Rmq.brokerNames(nodeAdmins.get(i).examineTopicRouteInfo(topic)).equals(Set.of(brokerB.name)));
        t0 = System.nanoTime();
        brokerB.kill();
        long goneKill = awaitGone(topic, t0, Duration.ofSeconds(150));
        ScenarioEnv.log("killed broker-b (SIGKILL): gone from every node %d ms after the signal", goneKill);
        assertTrue(goneKill >= 0, "a killed broker was still listed 150 s after SIGKILL");
        assertTrue(goneKill <= 15_000, "a killed broker took " + goneKill + " ms to leave the routes (bound 15 s)");

        // broker-a is untouched
        eachNode((node, a) -> assertTrue(Rmq.brokerAddrs(a).containsKey(brokerA.name), node + " lost broker-a"));
    }

    /**
     * Issue 15: a stock broker's default name is its host name, often a dotted FQDN, and it registers topics named
     * after its broker and cluster. Stock NameServers accept all of that; so must RNS (it used to refuse the
     * registration, silently).
     */
    @Test
    @Order(6)
    void aBrokerWithDottedBrokerAndClusterNamesIsRoutedLikeAnyOther() throws Exception {
        brokerDotted = Broker.start(it, "broker.host1.example", "cluster.dc1.example", ns.addrList());
        String name = brokerDotted.name;
        awaitEveryNode(name + " registered in cluster " + brokerDotted.cluster, Duration.ofSeconds(180), i -> {
            var ci = nodeAdmins.get(i).examineBrokerClusterInfo();
            Set<String> names = ci.getClusterAddrTable().get(brokerDotted.cluster);
            var bd = ci.getBrokerAddrTable().get(name);
            return names != null && names.contains(name) && bd != null
                    && brokerDotted.addr().equals(bd.getBrokerAddrs().get(0L));
        });
        // the topic named after the broker, which the broker registers on its own behalf
        awaitEveryNode("route of the broker's own topic " + name, Duration.ofSeconds(30),
                i -> Rmq.brokerNames(nodeAdmins.get(i).examineTopicRouteInfo(name)).equals(Set.of(name)));
        String topic = "it-dotted-" + run;
        admin.createAndUpdateTopicConfig(brokerDotted.addr(), new TopicConfig(topic, 2, 2, 6));
        awaitEveryNode("route of " + topic + " via " + name, Duration.ofSeconds(30),
                i -> Rmq.brokerNames(nodeAdmins.get(i).examineTopicRouteInfo(topic)).equals(Set.of(name)));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    interface NodeCheck {
        boolean ok(int node) throws Exception;
    }

    /** Asserts {@code check} on each node's own admin, named "node N" (1-based) for its messages. */
    private void eachNode(NodeAssertion check) throws Exception {
        for (int i = 0; i < nodeAdmins.size(); i++) {
            check.on("node " + (i + 1), nodeAdmins.get(i));
        }
    }

    @FunctionalInterface
    private interface NodeAssertion {
        void on(String node, DefaultMQAdminExt admin) throws Exception;
    }

    private void awaitEveryNode(String what, Duration timeout, NodeCheck check) throws InterruptedException {
        long ms = ScenarioEnv.waitUntil(timeout, () -> check.ok(0) && check.ok(1) && check.ok(2));
        if (ms < 0) {
            fail(what + ": not on every node within " + timeout.toSeconds() + " s; " + ns.describe());
        }
        ScenarioEnv.log("%s: on every node after %d ms", what, ms);
    }

    /** Millis from t0 until broker-b is absent from cluster info and topic has no route (17) on every node; -1 on timeout. */
    private long awaitGone(String topic, long t0, Duration timeout) throws InterruptedException {
        ScenarioEnv.Check gone = () -> {
            for (int i = 0; i < 3; i++) {
                if (Rmq.brokerAddrs(nodeAdmins.get(i)).containsKey(brokerB.name)
                        || Rmq.routeCode(nodeAdmins.get(i), topic) != Rmq.TOPIC_NOT_EXIST) {
                    return false;
                }
            }
            return true;
        };
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(15), gone);
        if (ms < 0) {
            // diagnostics while it is still listed: which node still has it
            ScenarioEnv.log("broker-b still listed 15 s after the signal; per node:%s", goneState(topic));
            ms = ScenarioEnv.waitUntil(timeout.minusSeconds(15), gone);
        }
        return ms < 0 ? -1 : (System.nanoTime() - t0) / 1_000_000;
    }

    /** What each node says about broker-b and topic right now (diagnostics for a failure message). */
    private String goneState(String topic) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(" node").append(i + 1).append('=');
            try {
                sb.append("{brokers=").append(Rmq.brokerAddrs(nodeAdmins.get(i)).keySet()).append(", route(")
                        .append(topic).append(")=").append(Rmq.routeCode(nodeAdmins.get(i), topic)).append('}');
            } catch (Exception e) {
                sb.append(e);
            }
        }
        return sb.toString();
    }

    private DefaultMQAdminExt admin(String name, String addrs) throws MQClientException {
        return clients.admin(name, addrs);
    }

    private DefaultMQProducer producer(String group, int pollNameServerMs) throws MQClientException {
        return clients.producer(group, ns.addrList(), pollNameServerMs);
    }

    private void consumer(String group, String topic, Map<String, Integer> received, int pollNameServerMs)
            throws MQClientException {
        clients.consumer(group, ns.addrList(), topic, received, pollNameServerMs);
    }
}
