package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * A nemesis aimed at the node the cluster currently sees as leader, or, when no leader is seen at start, at a node
 * drawn at plan time (so a run stays reproducible from its seed).
 */
public abstract class LeaderNemesis extends AbstractNemesis {
    private String fallback;

    protected LeaderNemesis(String name) {
        super(name);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        fallback = pick(hostIds, random);
        return "leader (else " + fallback + ")";
    }

    /** Starts the fault on the node to hit now: the leader if one is seen, else the planned fallback. */
    @Override
    public final void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        detail = startOn(hosts, Target.of(view, fallback));
    }

    /** Starts the fault on {@code target}; returns the fault's detail. */
    protected abstract String startOn(Hosts hosts, Target target);

    /** The chosen node and whether it was the leader. */
    protected record Target(String id, boolean leader) {
        /** The leader {@code view} sees now, else {@code fallback}. */
        static Target of(ClusterView view, String fallback) {
            var leader = view.leader();
            return new Target(leader.orElse(fallback), leader.isPresent());
        }

        /** How the node was chosen, as the fault detail says it. */
        public String how() {
            return leader ? " (leader)" : " (no leader seen: planned fallback)";
        }
    }
}
