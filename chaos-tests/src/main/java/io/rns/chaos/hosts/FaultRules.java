package io.rns.chaos.hosts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The network faults of the {@link Hosts} vocabulary as iptables rule lines in the two chains every node has
 * ({@link #CHAIN_IN}, {@link #CHAIN_OUT}), collected per host id. Backends differ only in how they run
 * {@code iptables-restore} on a host (inside a namespace, inside a container); the rules are the same.
 * Rules already in place on a host ({@code inPlace}) are not added twice.
 */
final class FaultRules {
    static final String CHAIN_IN = "RNSC_IN";
    static final String CHAIN_OUT = "RNSC_OUT";
    /** An {@code iptables-restore} script that empties both chains. */
    static final String FLUSH = "*filter\n:" + CHAIN_IN + " - [0:0]\n:" + CHAIN_OUT + " - [0:0]\nCOMMIT\n";

    private final Function<String, String> ipOf;
    private final Function<String, ? extends Collection<String>> inPlace;
    private final Map<String, List<String>> add = new LinkedHashMap<>();

    /**
     * @param ipOf    host id → its address (throws for an unknown id)
     * @param inPlace host id → the rule lines it already has
     */
    FaultRules(Function<String, String> ipOf, Function<String, ? extends Collection<String>> inPlace) {
        this.ipOf = ipOf;
        this.inPlace = inPlace;
    }

    /** An {@code iptables-restore} script (no flush) that appends {@code lines}. */
    static String appendScript(List<String> lines) {
        return "*filter\n" + String.join("\n", lines) + "\nCOMMIT\n";
    }

    /** Both directions between every {@code a} and each of its {@code others} are dropped. */
    FaultRules cut(Map<String, ? extends Collection<String>> grudge) {
        grudge.forEach((a, others) -> {
            String ipA = ipOf.apply(a);
            for (String b : others) {
                String ipB = ipOf.apply(b);
                if (a.equals(b)) {
                    continue;
                }
                rule(a, "-A " + CHAIN_IN + " -s " + ipB + "/32 -j DROP");
                rule(a, "-A " + CHAIN_OUT + " -d " + ipB + "/32 -j DROP");
                rule(b, "-A " + CHAIN_IN + " -s " + ipA + "/32 -j DROP");
                rule(b, "-A " + CHAIN_OUT + " -d " + ipA + "/32 -j DROP");
            }
        });
        return this;
    }

    /** Both directions between {@code host} and an address that is not a host's (a client source) are dropped. */
    FaultRules cutAddress(String host, String address) {
        ipOf.apply(host);
        rule(host, "-A " + CHAIN_IN + " -s " + address + "/32 -j DROP");
        rule(host, "-A " + CHAIN_OUT + " -d " + address + "/32 -j DROP");
        return this;
    }

    /** Packets from {@code from} to {@code to} are dropped (the other direction still flows). */
    FaultRules dropOneWay(String from, String to) {
        ipOf.apply(from);
        String ipTo = ipOf.apply(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("dropOneWay needs two different hosts: " + from);
        }
        rule(from, "-A " + CHAIN_OUT + " -d " + ipTo + "/32 -j DROP");
        return this;
    }

    /** Each packet {@code host} sends is dropped with {@code probability}. */
    FaultRules loss(String host, double probability) {
        if (!(probability > 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss probability must be in (0, 1]: " + probability);
        }
        ipOf.apply(host);
        rule(host, "-A " + CHAIN_OUT + " -o eth0 -m statistic --mode random --probability "
                + String.format(Locale.ROOT, "%.4f", probability) + " -j DROP");
        return this;
    }

    /** The new rule lines per host id, in order. */
    Map<String, List<String>> toAdd() {
        return add;
    }

    private void rule(String id, String rule) {
        if (!inPlace.apply(id).contains(rule)) {
            List<String> l = add.computeIfAbsent(id, k -> new ArrayList<>());
            if (!l.contains(rule)) {
                l.add(rule);
            }
        }
    }
}
