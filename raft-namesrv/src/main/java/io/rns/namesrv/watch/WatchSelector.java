package io.rns.namesrv.watch;

import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.TopicRoute;

import java.util.Set;

/**
 * What one watch selects: some topics, the topics of one cluster, or every topic. Exactly one of the three.
 *
 * @param topics  the topics named; empty unless the watch names topics
 * @param cluster the cluster named, or null
 * @param all     every topic
 */
public record WatchSelector(Set<String> topics, String cluster, boolean all) {
    public WatchSelector {
        topics = Set.copyOf(topics);
        int kinds = (topics.isEmpty() ? 0 : 1) + (cluster == null ? 0 : 1) + (all ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("a watch selects topics, a cluster or all, exactly one of them");
        }
    }

    public static WatchSelector ofTopics(Set<String> topics) {
        return new WatchSelector(topics, null, false);
    }

    public static WatchSelector ofCluster(String cluster) {
        return new WatchSelector(Set.of(), cluster, false);
    }

    public static WatchSelector ofAll() {
        return new WatchSelector(Set.of(), null, true);
    }

    /** Whether a change concerns this watch: its topic is named, or its route had or has a broker of the cluster. */
    public boolean selects(RouteChange c) {
        return all || topics.contains(c.topic()) || (cluster != null && c.clusters().contains(cluster));
    }

    /** Whether a current route belongs in a reset of this watch. */
    public boolean selects(TopicRoute route) {
        if (all || topics.contains(route.getTopic())) {
            return true;
        }
        if (cluster != null) {
            for (BrokerData b : route.getBrokerDatasList()) {
                if (cluster.equals(b.getCluster())) {
                    return true;
                }
            }
        }
        return false;
    }
}
