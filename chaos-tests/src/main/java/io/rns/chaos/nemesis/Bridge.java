package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/** Bridge (meant for 5 nodes): two random halves cut from each other, joined by one node that sees all. Stop heals. */
public final class Bridge extends AbstractNemesis {
    private List<String> order;

    public Bridge() {
        super("bridge");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        order = shuffled(hostIds, random);
        return describe();
    }

    private String describe() {
        int b = (order.size() - 1) / 2;
        return order.subList(0, b) + " | bridge " + order.get(b) + " | " + order.subList(b + 1, order.size());
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        hosts.cut(Topologies.bridge(order));
        detail = describe();
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
