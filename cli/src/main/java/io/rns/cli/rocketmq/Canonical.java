package io.rns.cli.rocketmq;

import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a NameServer answered, as one line of text that is equal for equal routes whatever order the lists and maps
 * arrived in: the form {@code rns shadow} compares and prints.
 */
public final class Canonical {
    private Canonical() {
    }

    /**
     * A route: {@code queues=[b1 r=8 w=8 perm=6 flag=0, ...] brokers=[b1@cluster {0=host:port}, ...]}, plus
     * {@code order=...} when the route carries an order-topic configuration.
     */
    public static String route(TopicRouteData r) {
        String queues = r.getQueueDatas() == null ? ""
                : r.getQueueDatas().stream().map(Canonical::queue).sorted().collect(Collectors.joining(", "));
        String brokers = r.getBrokerDatas() == null ? ""
                : r.getBrokerDatas().stream().map(b -> b.getBrokerName() + "@" + b.getCluster() + " " + addrs(b))
                        .sorted().collect(Collectors.joining(", "));
        String order = r.getOrderTopicConf() == null || r.getOrderTopicConf().isEmpty() ? ""
                : " order=" + r.getOrderTopicConf();
        return "queues=[" + queues + "] brokers=[" + brokers + "]" + order;
    }

    /** A broker of the cluster table: {@code cluster=C addrs={0=host:port, 1=...}}. */
    public static String broker(BrokerData b) {
        return "cluster=" + b.getCluster() + " addrs=" + addrs(b);
    }

    private static String queue(QueueData q) {
        return q.getBrokerName() + " r=" + q.getReadQueueNums() + " w=" + q.getWriteQueueNums() + " perm=" + q.getPerm()
                + " flag=" + q.getTopicSysFlag();
    }

    private static String addrs(BrokerData b) {
        Map<Long, String> sorted = b.getBrokerAddrs() == null ? Map.of() : new TreeMap<>(b.getBrokerAddrs());
        return sorted.toString();
    }
}
