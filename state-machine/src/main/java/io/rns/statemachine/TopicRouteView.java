package io.rns.statemachine;

import java.util.List;
import java.util.SortedMap;

/**
 * What a client needs to route one topic.
 *
 * @param queues  broker name to that broker name's queue configuration for the topic (unmodifiable)
 * @param brokers the groups of the broker names in {@code queues} that exist, sorted by broker name (unmodifiable)
 */
public record TopicRouteView(String topic, SortedMap<String, QueueConfig> queues, List<BrokerGroup> brokers) {
}
