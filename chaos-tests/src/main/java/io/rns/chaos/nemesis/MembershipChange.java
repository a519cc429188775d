package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsException;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.PeerStatus;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Raft membership change through the server's own admin API (RemovePeer / AddPeer, the {@code rns peers} calls):
 * {@code start} removes one voter, chosen per window either as the current leader or as a non-leader (a coin flip from
 * the window's seed); {@code stop} adds it back. The removed node's JVM keeps running on its data dir the whole
 * time, as an operator's would: it stops receiving entries (a removed follower sees a configuration without itself
 * and stands for no election; a removed leader steps down once the change commits) and catches up after the re-add.
 *
 * <p>{@code stop} insists (bounded, {@link #READD_WITHIN}): it asks the leader for the configuration and re-adds
 * until the node is a member again, so a later window or the final heal finds the full group. A start that failed
 * (e.g. the leader refused because the remaining voters would lack a live majority) is recorded as a failed window.
 */
public final class MembershipChange extends AbstractNemesis {
    static final Duration READD_WITHIN = Duration.ofSeconds(40);

    private String plannedNode;
    private boolean plannedLeader;
    private volatile Host removed;

    public MembershipChange() {
        super("membership");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        plannedLeader = random.nextBoolean();
        plannedNode = pick(hostIds, random);
        return plannedLeader ? "remove leader (else " + plannedNode + "), re-add"
                : "remove a non-leader (" + plannedNode + " unless it leads), re-add";
    }

    private static NamesrvClient client(Hosts hosts) {
        return NamesrvClient.builder().endpoints(hosts.clientAddresses()).requestTimeout(Duration.ofSeconds(5))
                .overallTimeout(Duration.ofSeconds(15)).retryPolicy(RetryPolicy.DEFAULT).clientId("chaos-membership")
                .build();
    }

    static String memberSpec(Host h) {
        String raftPort = h.raftAddress().substring(h.raftAddress().lastIndexOf(':') + 1);
        String clientPort = h.clientAddress().substring(h.clientAddress().lastIndexOf(':') + 1);
        return h.id() + "@" + h.ip() + ":" + raftPort + ":" + clientPort;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        var leader = view.leader();
        String target;
        String how;
        if (plannedLeader) {
            target = leader.orElse(plannedNode);
            how = leader.isPresent() ? "leader" : "no leader seen: planned fallback";
        } else if (leader.isPresent() && leader.get().equals(plannedNode)) {
            List<String> others = hosts.ids().stream().filter(id -> !id.equals(plannedNode)).toList();
            target = others.get(Math.floorMod(plannedNode.hashCode(), others.size()));
            how = "non-leader (" + plannedNode + " leads)";
        } else {
            target = plannedNode;
            how = "non-leader";
        }
        Host h = hosts.host(target);
        try (NamesrvClient c = client(hosts)) {
            List<PeerStatus> after = c.removePeer(target, CallOptions.DEFAULT).value().getPeersList();
            removed = h;
            detail = "removed " + target + " (" + how + "); configuration now "
                    + after.stream().map(PeerStatus::getNodeId).toList() + "; its JVM keeps running";
        } catch (NamesrvException e) {
            if (e.code() == ErrorCode.OUTCOME_UNKNOWN) {
                removed = h; // it may have been removed: stop re-adds if it is missing
            }
            throw new HostsException("remove " + target + " (" + how + ") failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(Hosts hosts) {
        Host h = removed;
        if (h == null) {
            return;
        }
        long deadline = System.nanoTime() + READD_WITHIN.toNanos();
        String last = "";
        int attempts = 0;
        try (NamesrvClient c = client(hosts); RnsClusterView view = new RnsClusterView(hosts)) {
            while (System.nanoTime() < deadline) {
                attempts++;
                try {
                    // the leader's ListPeers is its current configuration (a change in flight included)
                    var leader = view.leader();
                    if (leader.isPresent()) {
                        List<PeerStatus> peers = c
                                .listPeers(CallOptions.DEFAULT.withNode(hosts.host(leader.get()).clientAddress()))
                                .value().getPeersList();
                        if (peers.stream().anyMatch(p -> p.getNodeId().equals(h.id()))) {
                            removed = null;
                            detail = detail + "; " + h.id() + " is a member again (" + attempts + " attempt(s))";
                            return;
                        }
                        c.addPeer(memberSpec(h), CallOptions.DEFAULT); // "already a member" is confirmed next round
                    } else {
                        last = "no leader seen";
                    }
                } catch (NamesrvException e) {
                    last = e.getMessage();
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new HostsException("could not add " + h.id() + " back within " + READD_WITHIN.toSeconds() + " s ("
                + attempts + " attempts; last error: " + last + ")");
    }
}
