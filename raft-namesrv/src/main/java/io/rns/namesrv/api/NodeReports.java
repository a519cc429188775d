package io.rns.namesrv.api;

import io.rns.namesrv.base.AddressAllowList;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Who may send a node-internal report (today: a broker's connection closed, which makes the broker a suspect with a
 * short lease): a member, named by its id, on a connection from a member host's address. Anyone else could drop any
 * broker from the routes with one message. This is an address check, not authentication: it keeps out every host
 * that is not a member's.
 */
final class NodeReports {
    private final NamesrvConfig config;
    private final Consensus consensus;
    private final AddressAllowList memberHosts;

    NodeReports(NamesrvConfig config, Consensus consensus) {
        this.config = config;
        this.consensus = consensus;
        this.memberHosts = new AddressAllowList(this::hosts, System::nanoTime);
    }

    /** Throws PERMISSION_DENIED naming why, unless {@code reportingNode} is a member reporting from a member host. */
    void checkFromMember(String what, String reportingNode, InboundContext ctx) {
        if (!ids().contains(reportingNode)) {
            throw new RnsException(ErrorCode.PERMISSION_DENIED,
                    what + ".reporting_node '" + reportingNode + "' is not a member of this cluster");
        }
        if (!memberHosts.admits(ctx.remoteAddress())) {
            throw new RnsException(ErrorCode.PERMISSION_DENIED, what + " is node-internal and accepted only from a "
                    + "member host's address, not from " + ctx.remoteAddress());
        }
    }

    private Set<String> ids() {
        Set<String> ids = new HashSet<>();
        config.members().forEach(m -> ids.add(m.id()));
        consensus.peers().forEach(p -> ids.add(p.id()));
        return ids;
    }

    private Collection<String> hosts() {
        Set<String> hosts = new HashSet<>();
        for (Member m : config.members()) {
            hosts.add(m.host());
        }
        for (NodeState.Peer p : consensus.peers()) {
            addHost(hosts, p.raftAddr());
            addHost(hosts, p.clientAddr());
        }
        return hosts;
    }

    private static void addHost(Set<String> hosts, String hostPort) {
        if (hostPort != null && !hostPort.isEmpty()) {
            hosts.add(AddressAllowList.hostOf(hostPort));
        }
    }
}
