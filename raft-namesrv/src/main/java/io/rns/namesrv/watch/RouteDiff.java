package io.rns.namesrv.watch;

import io.rns.namesrv.read.WireRoutes;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.TopicRoute;
import io.rns.statemachine.ImageChange;
import io.rns.statemachine.RouteImage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one apply batch's change notice into the routes that really changed, as a client sees them (queues and
 * addresses; a re-registration that only moved a data version is no change). The topics the batch wrote are
 * compared directly; a broker group whose addresses changed also changes the route of every topic with a queue on
 * it, which takes one scan of the table, and only then.
 */
final class RouteDiff {
    private RouteDiff() {
    }

    static List<RouteChange> of(ImageChange c) {
        RouteImage before = c.before();
        RouteImage after = c.after();
        TreeSet<String> candidates = new TreeSet<>(c.topics());
        Set<String> moved = new HashSet<>();
        for (String name : c.brokerNames()) {
            BrokerData b = before.brokerGroup(name).map(WireRoutes::group).orElse(null);
            BrokerData a = after.brokerGroup(name).map(WireRoutes::group).orElse(null);
            if (!Objects.equals(a, b)) {
                moved.add(name);
            }
        }
        if (!moved.isEmpty()) {
            after.forEachTopic((topic, queues) -> {
                for (String brokerName : queues.keySet()) {
                    if (moved.contains(brokerName)) {
                        candidates.add(topic);
                        return;
                    }
                }
            });
        }
        long revision = after.appliedIndex();
        List<RouteChange> changes = new ArrayList<>();
        for (String topic : candidates) {
            TopicRoute b = before.route(topic).map(WireRoutes::route).orElse(null);
            TopicRoute a = after.route(topic).map(WireRoutes::route).orElse(null);
            if (!Objects.equals(a, b)) {
                Set<String> clusters = new HashSet<>();
                addClusters(b, clusters);
                addClusters(a, clusters);
                changes.add(new RouteChange(revision, topic, a, clusters));
            }
        }
        return changes;
    }

    private static void addClusters(TopicRoute route, Set<String> into) {
        if (route != null) {
            for (BrokerData d : route.getBrokerDatasList()) {
                into.add(d.getCluster());
            }
        }
    }
}
