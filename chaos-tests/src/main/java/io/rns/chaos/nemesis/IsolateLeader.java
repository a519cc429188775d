package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Cuts the current leader off from every other node (the harness still reaches it); stop heals. */
public final class IsolateLeader extends LeaderNemesis {
    public IsolateLeader() {
        super("isolate-leader");
    }

    @Override
    protected String startOn(Hosts hosts, Target target) {
        Set<String> rest = new LinkedHashSet<>(hosts.ids());
        rest.remove(target.id());
        hosts.partition(List.of(Set.of(target.id()), rest));
        return "isolated " + target.id() + target.how() + " from " + rest;
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
