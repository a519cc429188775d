package io.rns.statemachine;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A broker name's group in one cluster: broker id (0 = master) to member. Immutable. */
public record BrokerGroup(String cluster, String brokerName, SortedMap<Long, BrokerMember> members) {
    public BrokerGroup {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(brokerName, "brokerName");
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }

    public Optional<BrokerMember> master() {
        return Optional.ofNullable(members.get(Limits.MASTER_ID));
    }
}
