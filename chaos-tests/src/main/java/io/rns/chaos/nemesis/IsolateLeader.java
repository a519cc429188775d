package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Cuts the current leader off from every other node (the harness still reaches it); stop heals. */
public final class IsolateLeader extends AbstractNemesis {
    private String fallback;

    public IsolateLeader() {
        super("isolate-leader");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        fallback = pick(hostIds, random);
        return "leader (else " + fallback + ")";
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        var leader = view.leader();
        String target = leader.orElse(fallback);
        Set<String> rest = new LinkedHashSet<>(hosts.ids());
        rest.remove(target);
        hosts.partition(List.of(Set.of(target), rest));
        detail = "isolated " + target + (leader.isPresent() ? " (leader)" : " (no leader seen: planned fallback)")
                + " from " + rest;
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
