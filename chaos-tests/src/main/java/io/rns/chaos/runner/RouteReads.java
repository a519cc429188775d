package io.rns.chaos.runner;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;

import java.util.Set;
import java.util.TreeSet;

/** A topic's route as the set of its broker addresses, outside any recorded history (verification reads). */
final class RouteReads {
    private RouteReads() {
    }

    /**
     * The brokers of {@code topic} at {@code level}, asked of {@code node} (null: wherever the client routes it);
     * empty when the topic does not exist; null (and a line on stdout naming the error) when the read failed.
     */
    static Set<String> brokers(NamesrvClient client, String topic, String node, Consistency level) {
        try {
            CallOptions o = CallOptions.DEFAULT.withConsistency(level);
            var r = client.getTopicRoute(topic, node == null ? o : o.withNode(node));
            Set<String> out = new TreeSet<>();
            for (BrokerData b : r.value().getBrokerDatasList()) {
                out.addAll(b.getBrokerAddrsMap().values());
            }
            return out;
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.TOPIC_NOT_FOUND) {
                return new TreeSet<>();
            }
            System.out.println("chaos: " + level + " read of " + topic + (node == null ? "" : " on " + node)
                    + " failed: " + e.codeName() + ": " + e.getMessage());
            return null;
        }
    }
}
