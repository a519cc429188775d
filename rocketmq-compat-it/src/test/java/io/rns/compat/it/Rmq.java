package io.rns.compat.it;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real RocketMQ clients of the module's generation (each with its own instance name, so each has its own
 * MQClientInstance and its own NameServer list) and readers of their answers. Classes whose package moved between
 * 4.x and 5.x (TopicRouteData, ClusterInfo, BrokerData) are only touched through {@code var} or reflection, so this
 * compiles against both generations.
 */
final class Rmq implements AutoCloseable {
    static final int TOPIC_NOT_EXIST = 17;
    static final int QUERY_NOT_FOUND = 22;

    private final String run;
    private final boolean tls;
    private final RPCHook hook;
    private final List<AutoCloseable> clients = new ArrayList<>();

    Rmq(String run) {
        this(run, false, null);
    }

    /**
     * @param tls  every client connects with TLS (ClientConfig.setUseTLS, the API form of -Dtls.enable=true)
     * @param hook every client's RPC hook (an AclClientRPCHook signs every request); null = none
     */
    Rmq(String run, boolean tls, RPCHook hook) {
        this.run = run;
        this.tls = tls;
        this.hook = hook;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(clients);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                ScenarioEnv.log("closing a client: %s", e);
            }
        }
    }

    DefaultMQAdminExt admin(String name, String addrs) throws MQClientException {
        DefaultMQAdminExt a = hook == null ? new DefaultMQAdminExt(10_000) : new DefaultMQAdminExt(hook, 10_000);
        a.setNamesrvAddr(addrs);
        a.setInstanceName(name + "-" + run);
        a.setAdminExtGroup("it_admin_" + name + "_" + run);
        a.setUseTLS(tls);
        a.start();
        clients.add(a::shutdown);
        return a;
    }

    DefaultMQProducer producer(String group, String namesrvAddr, int pollNameServerMs) throws MQClientException {
        DefaultMQProducer p = hook == null ? new DefaultMQProducer(group) : new DefaultMQProducer(group, hook);
        p.setNamesrvAddr(namesrvAddr);
        p.setInstanceName(group);
        p.setSendMsgTimeout(10_000);
        p.setPollNameServerInterval(pollNameServerMs);
        p.setUseTLS(tls);
        p.start();
        clients.add(p::shutdown);
        return p;
    }

    void consumer(String group, String namesrvAddr, String topic, Map<String, Integer> received, int pollNameServerMs)
            throws MQClientException {
        DefaultMQPushConsumer c = hook == null ? new DefaultMQPushConsumer(group)
                : new DefaultMQPushConsumer(group, hook, new AllocateMessageQueueAveragely());
        c.setNamesrvAddr(namesrvAddr);
        c.setInstanceName(group);
        c.setPollNameServerInterval(pollNameServerMs);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setUseTLS(tls);
        c.subscribe(topic, "*");
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            msgs.forEach(m -> received.merge(m.getKeys(), 1, Integer::sum));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        c.start();
        clients.add(c::shutdown);
    }

    /**
     * One admin client per NameServer address (signed as this Rmq's clients are), after {@code broker} shows in every
     * one's cluster info (or the test fails with the broker's log after 180 s).
     */
    List<DefaultMQAdminExt> awaitRegistered(Broker broker, List<String> addrs, String what) throws Exception {
        List<DefaultMQAdminExt> admins = new ArrayList<>();
        for (int i = 0; i < addrs.size(); i++) {
            admins.add(admin(what + "-node" + (i + 1), addrs.get(i)));
        }
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(180), () -> {
            if (!broker.alive()) {
                throw new IllegalStateException("broker died:\n" + broker.logTail());
            }
            for (DefaultMQAdminExt a : admins) {
                if (!brokerAddrs(a).containsKey(broker.name)) {
                    return false;
                }
            }
            return true;
        });
        if (ms < 0) {
            fail("broker " + broker.name + " (RocketMQ " + broker.generation + ") did not show on every NameServer ("
                    + what + ") within 180 s; broker log:\n" + broker.logTail());
        }
        ScenarioEnv.log("broker %s (RocketMQ %s) registered with every NameServer (%s) in %d ms", broker.name,
                broker.generation, what, ms);
        return admins;
    }

    /**
     * A push consumer (group {@code cg-<tag>}) on {@code topic}, then a producer ({@code pg-<tag>}), both polling the
     * NameServers every {@code pollNameServerMs}; sends {@code n} messages keyed {@code <tag>-<i>} and waits up to
     * 120 s until the consumer has received every key.
     */
    Exchange exchange(String tag, String namesrvAddr, String topic, int n, int pollNameServerMs) throws Exception {
        Map<String, Integer> received = new ConcurrentHashMap<>();
        consumer("cg-" + tag, namesrvAddr, topic, received, pollNameServerMs);
        DefaultMQProducer producer = producer("pg-" + tag, namesrvAddr, pollNameServerMs);
        Set<String> sent = sendKeyed(producer, topic, tag + "-", n);
        long ms = ScenarioEnv.waitUntil(Duration.ofSeconds(120), () -> received.keySet().containsAll(sent));
        return new Exchange(sent, received, ms);
    }

    /**
     * What {@link #exchange} sent, what its consumer received (key -> deliveries; it keeps counting), and the millis
     * until every sent key was received (-1: not within 120 s).
     */
    record Exchange(Set<String> sent, Map<String, Integer> received, long ms) {
        Set<String> missing() {
            Set<String> missing = new TreeSet<>(sent);
            missing.removeAll(received.keySet());
            return missing;
        }

        int redeliveries() {
            return received.values().stream().mapToInt(c -> c - 1).sum();
        }
    }

    /** Sends {@code n} messages with keys {@code prefix + i}, each acknowledged SEND_OK; returns the keys in order. */
    static Set<String> sendKeyed(DefaultMQProducer p, String topic, String prefix, int n) throws Exception {
        Set<String> sent = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            String key = prefix + i;
            var r = p.send(new Message(topic, "tag", key, ("body-" + i).getBytes(StandardCharsets.UTF_8)));
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                throw new AssertionError("send " + i + " of " + n + " to " + topic + ": " + r.getSendStatus());
            }
            sent.add(key);
        }
        return sent;
    }

    static Map<Long, String> brokerAddrs(DefaultMQAdminExt a, String broker) throws Exception {
        var bd = a.examineBrokerClusterInfo().getBrokerAddrTable().get(broker);
        return bd == null ? Map.of() : Map.copyOf(bd.getBrokerAddrs());
    }

    /** broker name -> {id -> addr} as this node reports it. */
    static Map<String, Map<Long, String>> brokerAddrs(DefaultMQAdminExt a) throws Exception {
        Map<String, Map<Long, String>> out = new TreeMap<>();
        for (var e : a.examineBrokerClusterInfo().getBrokerAddrTable().entrySet()) {
            out.put(e.getKey(), Map.copyOf(e.getValue().getBrokerAddrs()));
        }
        return out;
    }

    static Set<String> brokerNames(Object routeData) throws Exception {
        // routeData is a TopicRouteData of either generation's package
        Set<String> names = new TreeSet<>();
        @SuppressWarnings("unchecked")
        List<Object> bds = (List<Object>) routeData.getClass().getMethod("getBrokerDatas").invoke(routeData);
        for (Object bd : bds) {
            names.add((String) bd.getClass().getMethod("getBrokerName").invoke(bd));
        }
        return names;
    }

    interface AdminCall {
        Object call(DefaultMQAdminExt a) throws Exception;
    }

    /** The response code of a NameServer call that must fail with an MQClientException. */
    static int clientErrorCode(DefaultMQAdminExt a, AdminCall call) throws Exception {
        try {
            Object v = call.call(a);
            fail("expected an error response, got " + v);
            return 0;
        } catch (MQClientException e) {
            return e.getResponseCode();
        }
    }

    /** 0 if the node has a route for topic, else the response code it answered. */
    static int routeCode(DefaultMQAdminExt a, String topic) throws Exception {
        try {
            a.examineTopicRouteInfo(topic);
            return 0;
        } catch (MQClientException e) {
            return e.getResponseCode();
        }
    }
}
