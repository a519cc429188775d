package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Majorities ring (meant for 5 nodes): nodes on a random ring, each still linked only to its ring neighbours, so
 * every node sees a majority and no two see the same one. With fewer than 5 nodes nobody is cut. Stop heals.
 */
public final class MajoritiesRing extends AbstractNemesis {
    private List<String> ring;

    public MajoritiesRing() {
        super("majorities-ring");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        ring = shuffled(hostIds, random);
        return "ring " + ring;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        Map<String, Set<String>> grudge = Topologies.majoritiesRing(ring);
        hosts.cut(grudge);
        detail = "ring " + ring + ", sees " + Topologies.visibility(hosts.ids(), grudge);
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
