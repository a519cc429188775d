package io.rns.compat.query;

import com.alibaba.fastjson2.JSONWriter;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.TopicRoute;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Native routes and cluster info as the RocketMQ bodies stock answers with. */
final class RouteBodies {
    private RouteBodies() {
    }

    static TopicRouteData toTopicRouteData(TopicRoute route) {
        TopicRouteData d = new TopicRouteData();
        List<QueueData> qds = new ArrayList<>();
        for (io.rns.rpc.v1.QueueData q : route.getQueueDatasList()) {
            QueueData qd = new QueueData();
            qd.setBrokerName(q.getBrokerName());
            qd.setReadQueueNums(q.getReadQueueNums());
            qd.setWriteQueueNums(q.getWriteQueueNums());
            qd.setPerm(q.getPerm());
            qd.setTopicSysFlag(q.getTopicSysFlag());
            qds.add(qd);
        }
        List<BrokerData> bds = new ArrayList<>();
        for (io.rns.rpc.v1.BrokerData b : route.getBrokerDatasList()) {
            bds.add(toBrokerData(b));
        }
        d.setQueueDatas(qds);
        d.setBrokerDatas(bds);
        d.setFilterServerTable(new HashMap<>());
        return d;
    }

    static BrokerData toBrokerData(io.rns.rpc.v1.BrokerData b) {
        return new BrokerData(b.getCluster(), b.getBrokerName(), new HashMap<>(new TreeMap<>(b.getBrokerAddrsMap())));
    }

    /** Stock: standard JSON (quoted map keys, sorted) for version ≥ V4_9_4 or acceptStandardJsonOnly, else fastjson's own. */
    static byte[] encodeRoute(TopicRouteData d, int version, Boolean acceptStandardJsonOnly) {
        if (version >= MQVersion.Version.V4_9_4.ordinal() || Boolean.TRUE.equals(acceptStandardJsonOnly)) {
            return d.encode(JSONWriter.Feature.BrowserCompatible, JSONWriter.Feature.MapSortField,
                    JSONWriter.Feature.WriteNonStringKeyAsString);
        }
        return d.encode();
    }

    static ClusterInfo toClusterInfo(GetClusterInfoResponse c) {
        ClusterInfo info = new ClusterInfo();
        Map<String, BrokerData> brokers = new HashMap<>();
        c.getBrokerAddrTableMap().forEach((name, b) -> brokers.put(name, toBrokerData(b)));
        Map<String, Set<String>> clusters = new HashMap<>();
        c.getClusterAddrTableMap()
                .forEach((cluster, names) -> clusters.put(cluster, new HashSet<>(names.getBrokerNamesList())));
        info.setBrokerAddrTable(brokers);
        info.setClusterAddrTable(clusters);
        return info;
    }
}
