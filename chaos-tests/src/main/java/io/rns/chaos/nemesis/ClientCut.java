package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * Client-side partitions: nodes lose contact with the workload's brokers or readers while they still reach each other
 * (and the harness's own address, for status and the final reads). The workload writes from client source
 * {@link #BROKERS} and reads from {@link #READERS} (see {@link Hosts#clientSource}).
 * <ul>
 *   <li>{@link Kind#NODE_LOSES_BROKERS} — one machine room loses contact with every broker: one random node is cut
 *       from the brokers;</li>
 *   <li>{@link Kind#BROKERS_REACH_SOME} — the brokers reach only some nodes: a random minority-or-half of the nodes
 *       is cut from them;</li>
 *   <li>{@link Kind#READERS_REACH_SOME} — the readers reach only some nodes: the same, for the readers.</li>
 * </ul>
 * Stop heals (every rule, as the other partition nemeses do).
 */
public final class ClientCut extends AbstractNemesis {
    /** Client source index of the workload's writers (the "brokers"). */
    public static final int BROKERS = 0;
    /** Client source index of the workload's readers (producers and consumers asking for routes). */
    public static final int READERS = 1;

    public enum Kind {
        NODE_LOSES_BROKERS("node-loses-brokers", BROKERS), BROKERS_REACH_SOME("brokers-reach-some", BROKERS),
        READERS_REACH_SOME("readers-reach-some", READERS);

        final String label;
        final int source;

        Kind(String label, int source) {
            this.label = label;
            this.source = source;
        }
    }

    private final Kind kind;
    private List<String> cut;

    public ClientCut(Kind kind) {
        super(kind.label);
        this.kind = kind;
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        List<String> order = shuffled(hostIds, random);
        cut = kind == Kind.NODE_LOSES_BROKERS ? List.of(order.get(0)) : List.copyOf(order.subList(0, order.size() / 2));
        return describe();
    }

    private String describe() {
        return (kind.source == BROKERS ? "brokers" : "readers") + " cut from " + cut;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        String source = hosts.clientSource(kind.source);
        for (String host : cut) {
            hosts.cutClient(host, source);
        }
        detail = describe() + " (" + source + ")";
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
