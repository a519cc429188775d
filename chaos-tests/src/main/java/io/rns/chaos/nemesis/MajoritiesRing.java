package io.rns.chaos.nemesis;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Majorities ring (meant for 5 nodes): nodes on a random ring, each still linked only to its ring neighbours, so
 * every node sees a majority and no two see the same one. With fewer than 5 nodes nobody is cut. Stop heals.
 */
public final class MajoritiesRing extends OrderedCut {
    public MajoritiesRing() {
        super("majorities-ring");
    }

    @Override
    protected Map<String, Set<String>> grudge(List<String> order) {
        return Topologies.majoritiesRing(order);
    }

    @Override
    protected String describe(List<String> order) {
        return "ring " + order;
    }
}
