package io.rns.cli;

import io.netty.channel.ChannelHandlerContext;
import org.apache.rocketmq.remoting.netty.NettyRemotingServer;
import org.apache.rocketmq.remoting.netty.NettyRequestProcessor;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted stand-in for a stock RocketMQ NameServer on loopback, built on RocketMQ's own remoting server: answers
 * cluster info, the topic list, routes and KV lists from the tables a test fills in, and counts the requests.
 */
final class FakeStockNamesrv implements AutoCloseable {
    /** topic -> broker names serving it (4 read and write queues, perm 6, on every broker). */
    final Map<String, List<String>> topics = new ConcurrentHashMap<>();
    /** namespace -> key -> value. */
    final Map<String, Map<String, String>> kv = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    private final NettyRemotingServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    FakeStockNamesrv() {
        NettyServerConfig cfg = new NettyServerConfig();
        cfg.setBindAddress("127.0.0.1");
        cfg.setListenPort(0);
        server = new NettyRemotingServer(cfg);
        server.registerDefaultProcessor(new NettyRequestProcessor() {
            @Override
            public RemotingCommand processRequest(ChannelHandlerContext ctx, RemotingCommand req) {
                requests.incrementAndGet();
                return answer(req);
            }

            @Override
            public boolean rejectRequest() {
                return false;
            }
        }, executor);
        server.start();
    }

    String addr() {
        return "127.0.0.1:" + server.localListenPort();
    }

    private static RemotingCommand ok(byte[] body) {
        RemotingCommand r = RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
        r.setBody(body);
        return r;
    }

    private static BrokerData broker(String name) {
        return new BrokerData("c1", name, new HashMap<>(Map.of(0L, "10.0.0.1:10911")));
    }

    private RemotingCommand answer(RemotingCommand req) {
        switch (req.getCode()) {
            case RequestCode.GET_BROKER_CLUSTER_INFO -> {
                ClusterInfo ci = new ClusterInfo();
                Map<String, BrokerData> brokers = new HashMap<>();
                Set<String> names = new HashSet<>();
                topics.values().forEach(bs -> bs.forEach(b -> {
                    brokers.put(b, broker(b));
                    names.add(b);
                }));
                ci.setBrokerAddrTable(brokers);
                ci.setClusterAddrTable(new HashMap<>(Map.of("c1", names)));
                return ok(ci.encode());
            }
            case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER -> {
                TopicList list = new TopicList();
                list.setTopicList(new HashSet<>(topics.keySet()));
                return ok(list.encode());
            }
            case RequestCode.GET_ROUTEINFO_BY_TOPIC -> {
                List<String> brokers = topics.get(req.getExtFields().get("topic"));
                if (brokers == null)
                    return RemotingCommand.createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, "No topic route info");
                TopicRouteData route = new TopicRouteData();
                List<QueueData> queues = new ArrayList<>();
                List<BrokerData> datas = new ArrayList<>();
                for (String b : brokers) {
                    QueueData q = new QueueData();
                    q.setBrokerName(b);
                    q.setReadQueueNums(4);
                    q.setWriteQueueNums(4);
                    q.setPerm(6);
                    queues.add(q);
                    datas.add(broker(b));
                }
                route.setQueueDatas(queues);
                route.setBrokerDatas(datas);
                return ok(route.encode());
            }
            case RequestCode.GET_KVLIST_BY_NAMESPACE -> {
                Map<String, String> table = kv.get(req.getExtFields().get("namespace"));
                if (table == null || table.isEmpty())
                    return RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND, "no config");
                KVTable t = new KVTable();
                t.setTable(new HashMap<>(table));
                return ok(t.encode());
            }
            default -> {
                return RemotingCommand.createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                        "code " + req.getCode());
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
        executor.shutdownNow();
    }
}
