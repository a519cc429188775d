package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * A nemesis aimed at one node: the node the cluster currently sees as leader, or, when no leader is seen at start, a
 * node drawn at plan time (so a run stays reproducible from its seed). Built with {@code leader = false} it always
 * hits the node drawn at plan time.
 */
public abstract class LeaderNemesis extends AbstractNemesis {
    private final boolean leader;
    private String fallback;

    protected LeaderNemesis(String name) {
        this(name, true);
    }

    protected LeaderNemesis(String name, boolean leader) {
        super(name);
        this.leader = leader;
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        fallback = pick(hostIds, random);
        return leader ? "leader (else " + fallback + ")" : fallback;
    }

    /** Starts the fault on the node to hit now: the leader if one is seen (and wanted), else the planned node. */
    @Override
    public final void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        detail = startOn(hosts, leader ? Target.of(view, fallback) : new Target(fallback, ""));
    }

    /** Starts the fault on {@code target}; returns the fault's detail. */
    protected abstract String startOn(Hosts hosts, Target target);

    /** The chosen node, and how it was chosen as the fault detail says it ("" for a node drawn at plan time). */
    protected record Target(String id, String how) {
        /** The leader {@code view} sees now, else {@code fallback}. */
        static Target of(ClusterView view, String fallback) {
            var leader = view.leader();
            return leader.isPresent() ? new Target(leader.get(), " (leader)")
                    : new Target(fallback, " (no leader seen: planned fallback)");
        }
    }
}
