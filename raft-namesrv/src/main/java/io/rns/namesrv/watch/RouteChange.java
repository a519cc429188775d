package io.rns.namesrv.watch;

import io.rns.rpc.v1.TopicRoute;

import java.util.Objects;
import java.util.Set;

/**
 * One topic's route at one revision, different from what it was at the revision before.
 *
 * @param revision the applied index of the image where the topic's route became this
 * @param route    the new route; null = the topic has no route any more
 * @param clusters the clusters of the brokers in the route before and after (a cluster watch selects on them)
 */
public record RouteChange(long revision, String topic, TopicRoute route, Set<String> clusters) {
    public RouteChange {
        Objects.requireNonNull(topic, "topic");
        clusters = Set.copyOf(clusters);
    }

    /** What this change counts against {@code watch.history-bytes}: the route's encoded size and the topic name. */
    public long bytes() {
        return (route == null ? 0 : route.getSerializedSize()) + topic.length();
    }

    public boolean deleted() {
        return route == null;
    }
}
