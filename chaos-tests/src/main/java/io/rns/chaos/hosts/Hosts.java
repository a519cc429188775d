package io.rns.chaos.hosts;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Where an RNS cluster's node JVMs run, and the one fault vocabulary every backend offers.
 *
 * <p>Network faults are cumulative until {@link #heal()}: each call adds rules, {@code heal()} removes every rule
 * this object added (and nothing else). They act only between the node hosts: the harness's own client address
 * ({@link #harnessAddress()}) is never cut off by a partition or a one-way drop, so the harness can always ask an
 * isolated node for its status or a stale read. {@link #loss} however drops a fraction of <em>all</em> packets the
 * host sends on its network interface, the harness's replies included.
 *
 * <p>{@link #close()} kills every node JVM this object started (by pid), removes every namespace/interface it created
 * and deletes the data dirs; it is idempotent, and also runs from a JVM shutdown hook if the caller never got to it.
 */
public interface Hosts extends AutoCloseable {
    /** The hosts, in id order ({@code n1}, {@code n2}, ...). */
    List<Host> hosts();

    default Host host(String id) {
        for (Host h : hosts()) {
            if (h.id().equals(id)) {
                return h;
            }
        }
        throw new NoSuchElementException("no host " + id + " (hosts: " + ids() + ")");
    }

    default List<String> ids() {
        return hosts().stream().map(Host::id).toList();
    }

    /** Every node's {@code ip:clientPort}, in id order: the endpoints for {@code NamesrvClient.builder()}. */
    default List<String> clientAddresses() {
        return hosts().stream().map(Host::clientAddress).toList();
    }

    /** The {@code members} value every node is configured with. */
    String members();

    /** The harness's own IP on the nodes' network (never cut by partitions). */
    String harnessAddress();

    /** A per-run unique name prefix of every namespace/interface this object created ({@code rnsc} + 4 hex). */
    String runPrefix();

    /** The run directory: per-node config, logs, stdout and data dirs. */
    Path runDir();

    /** Starts every host's node (see {@link Host#start()}). */
    default void startAll() {
        hosts().forEach(Host::start);
    }

    /**
     * Network partition: hosts in different components stop exchanging packets (DROP in INPUT and OUTPUT on both
     * sides). A host in no component is cut from every host that is in one.
     */
    default void partition(Collection<? extends Set<String>> components) {
        Map<String, Set<String>> grudge = new LinkedHashMap<>();
        for (Set<String> c : components) {
            for (String a : c) {
                host(a);
                grudge.computeIfAbsent(a, k -> new LinkedHashSet<>());
            }
        }
        for (String a : ids()) {
            Set<String> mine = Set.of();
            for (Set<String> c : components) {
                if (c.contains(a)) {
                    mine = c;
                    break;
                }
            }
            for (String b : ids()) {
                if (!a.equals(b) && !mine.contains(b)) {
                    grudge.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(b);
                }
            }
        }
        cut(grudge);
    }

    /**
     * The general form of a partition (Jepsen's "grudge"): for each host, the hosts it must not exchange packets
     * with. Cuts are made symmetric (if a holds a grudge against b, b is cut from a too), which lets non-transitive
     * topologies be expressed: majorities ring, bridge.
     */
    void cut(Map<String, ? extends Collection<String>> grudge);

    /** How many client source addresses {@link #clientSource} offers. */
    int CLIENT_SOURCES = 4;

    /**
     * The {@code i}-th extra address of the harness on the nodes' network ({@code 0 <= i < CLIENT_SOURCES}): a client
     * bound to it (RpcClientOptions.localAddress) can be cut off from some nodes by {@link #cutClient} while the
     * harness's own address ({@link #harnessAddress()}) never is. Backends without it throw
     * UnsupportedOperationException naming the backend to use.
     */
    String clientSource(int i);

    /** Drops both directions between node {@code host} and the harness address {@code sourceAddress}; heal undoes. */
    void cutClient(String host, String sourceAddress);

    /** Packets from {@code from} to {@code to} are dropped (in {@code from}'s OUTPUT); the reverse direction flows. */
    void dropOneWay(String from, String to);

    /** Drops each packet {@code host} sends on its network interface with the given probability (0 < p <= 1). */
    void loss(String host, double probability);

    /** Removes every network rule added by this object (partitions, one-way drops, loss). */
    void heal();

    /** Runs a command in the host's network namespace (bounded time). */
    ExecResult netnsExec(String host, String... command);

    /** Idempotent; never throws for cleanup failures (they are reported on stderr). */
    @Override
    void close();
}
