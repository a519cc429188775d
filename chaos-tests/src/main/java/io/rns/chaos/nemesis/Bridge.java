package io.rns.chaos.nemesis;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bridge (meant for 5 nodes): two random halves cut from each other, joined by one node that sees all. Stop heals. */
public final class Bridge extends OrderedCut {
    public Bridge() {
        super("bridge");
    }

    @Override
    protected Map<String, Set<String>> grudge(List<String> order) {
        return Topologies.bridge(order);
    }

    @Override
    protected String describe(List<String> order) {
        int b = (order.size() - 1) / 2;
        return order.subList(0, b) + " | bridge " + order.get(b) + " | " + order.subList(b + 1, order.size());
    }
}
