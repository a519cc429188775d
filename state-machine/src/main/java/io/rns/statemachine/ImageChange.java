package io.rns.statemachine;

import java.util.Objects;
import java.util.SortedSet;

/**
 * One published image and what may have changed since the one before it: the topics whose queues and the broker
 * names whose groups an apply batch wrote (a superset: a write may have put back an equal value). A snapshot install
 * replaces the whole table, so nothing is known about it: {@link #reset()} is true and both sets are empty.
 *
 * @param before      the image published before (the same instance listeners saw last)
 * @param after       the image published now
 * @param topics      topics whose queues the batch wrote, sorted (unmodifiable)
 * @param brokerNames broker names whose groups the batch wrote, sorted (unmodifiable)
 * @param reset       the image came from a snapshot install: anything may have changed
 */
public record ImageChange(RouteImage before, RouteImage after, SortedSet<String> topics, SortedSet<String> brokerNames,
        boolean reset) {
    public ImageChange {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(brokerNames, "brokerNames");
    }
}
