package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A cut laid over the nodes in a random order drawn at plan time (a ring, a bridge): each node is cut from the nodes
 * its grudge names. The detail says the order and what each node still sees. Stop heals.
 */
public abstract class OrderedCut extends AbstractNemesis {
    private List<String> order;

    protected OrderedCut(String name) {
        super(name);
    }

    @Override
    protected final String doPlan(List<String> hostIds, Random random) {
        order = shuffled(hostIds, random);
        return describe(order);
    }

    @Override
    public final void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        Map<String, Set<String>> grudge = grudge(order);
        hosts.cut(grudge);
        detail = describe(order) + ", sees " + Topologies.visibility(hosts.ids(), grudge);
    }

    @Override
    public final void stop(Hosts hosts) {
        hosts.heal();
    }

    /** Who cuts whom, for the nodes in {@code order}. */
    protected abstract Map<String, Set<String>> grudge(List<String> order);

    /** The plan as text. */
    protected abstract String describe(List<String> order);
}
