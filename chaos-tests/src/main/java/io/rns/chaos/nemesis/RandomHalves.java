package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;
import java.util.Set;

/** Splits the nodes at random into a minority and a majority (Jepsen's random halves); stop heals. */
public final class RandomHalves extends AbstractNemesis {
    private List<Set<String>> components;

    public RandomHalves() {
        super("random-halves");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        components = Topologies.halves(shuffled(hostIds, random));
        return components.get(0) + " | " + components.get(1);
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        hosts.partition(components);
        detail = components.get(0) + " | " + components.get(1);
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
