package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random packet loss ({@code iptables -m statistic --mode random}) on what nodes send, with the given probability:
 * on every node (default), or on one random node ({@link #oneNode}). Stop heals.
 */
public final class PacketLoss extends AbstractNemesis {
    private final double probability;
    private final boolean oneNode;
    private List<String> targets;

    public PacketLoss(double probability) {
        this(probability, false);
    }

    private PacketLoss(double probability, boolean oneNode) {
        super(String.format(Locale.ROOT, "packet-loss-%s%.0f%%", oneNode ? "one-" : "", probability * 100));
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
        }
        this.probability = probability;
        this.oneNode = oneNode;
    }

    public static PacketLoss oneNode(double probability) {
        return new PacketLoss(probability, true);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        targets = oneNode ? List.of(pick(hostIds, random)) : hostIds;
        return targets + " p=" + probability;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        for (String t : targets) {
            hosts.loss(t, probability);
        }
        detail = targets + " p=" + probability;
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
