package io.rns.cli.output;

import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.BrokerLease;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.PeerStatus;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.TopicRoute;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The text form of the answers that several commands print (one {@code key=value} line per item). */
public final class Lines {
    private Lines() {
    }

    /** One node's status line, then one indented line per peer it knows. */
    public static List<String> status(String endpoint, GetNodeStatusResponse s) {
        List<String> lines = new ArrayList<>();
        lines.add(endpoint + " id=" + s.getNodeId() + " mode=" + s.getMode() + " role=" + s.getRole() + " term="
                + s.getTerm() + " leader=" + (s.getLeaderId().isEmpty() ? "-" : s.getLeaderId())
                + (s.getLeaderClientAddr().isEmpty() ? "" : "@" + s.getLeaderClientAddr()) + " applied="
                + s.getAppliedIndex() + " commit=" + s.getCommitIndex() + " last_log=" + s.getLastLogIndex()
                + " snapshot=" + s.getLastSnapshotIndex() + " since_leader_ms=" + s.getMsSinceLeaderContact()
                + " uptime_ms=" + s.getUptimeMs() + " topics=" + s.getTopics() + " brokers=" + s.getBrokers()
                + " leases_tracked=" + s.getLeasesTracked() + " suspects=" + s.getSuspects() + " expiries_proposed="
                + s.getExpiriesProposed() + " expiries_applied=" + s.getExpiriesApplied() + " mass_expiry_warnings="
                + s.getMassExpiryWarnings());
        for (PeerStatus p : s.getPeersList()) {
            lines.add("  peer " + p.getNodeId() + " raft=" + p.getRaftAddr() + " client=" + p.getClientAddr()
                    + peerFlags(p));
        }
        return lines;
    }

    /** {@code peer <id> raft=<host:port> client=<host:port|-> [leader] [alive]} per peer; "(no peers)" if none. */
    public static List<String> peers(List<PeerStatus> peers) {
        List<String> lines = new ArrayList<>();
        for (PeerStatus p : peers) {
            lines.add("peer " + p.getNodeId() + " raft=" + p.getRaftAddr() + " client="
                    + (p.getClientAddr().isEmpty() ? "-" : p.getClientAddr()) + peerFlags(p));
        }
        if (lines.isEmpty())
            lines.add("(no peers)");
        return lines;
    }

    private static String peerFlags(PeerStatus p) {
        return (p.getLeader() ? " leader" : "") + (p.getAlive() ? " alive" : "");
    }

    /** One line of the leader's lease table. */
    public static String lease(BrokerLease l) {
        List<String> flags = new ArrayList<>();
        if (l.getSuspect())
            flags.add("suspect");
        if (l.getExpiring())
            flags.add("expiring");
        return "lease cluster=" + l.getCluster() + " broker=" + l.getBrokerName() + " id=" + l.getBrokerId() + " addr="
                + l.getBrokerAddr() + " epoch=" + Long.toUnsignedString(l.getBrokerEpoch()) + " last_contact_age_ms="
                + l.getLastContactAgeMs() + " lease_remaining_ms=" + l.getLeaseRemainingMs() + " lease_timeout_ms="
                + Integer.toUnsignedLong(l.getLeaseTimeoutMs()) + " flags="
                + (flags.isEmpty() ? "-" : String.join(",", flags));
    }

    /** {@code topic=<name>}, then one line per queue and per broker. */
    public static List<String> route(TopicRoute r) {
        List<String> lines = new ArrayList<>();
        lines.add("topic=" + r.getTopic());
        for (QueueData q : r.getQueueDatasList()) {
            lines.add("queue broker=" + q.getBrokerName() + " read=" + q.getReadQueueNums() + " write="
                    + q.getWriteQueueNums() + " perm=" + q.getPerm() + " sysflag=" + q.getTopicSysFlag());
        }
        for (BrokerData b : r.getBrokerDatasList())
            lines.add(broker(b));
        return lines;
    }

    /** {@code broker cluster=<c> name=<n> addrs=<id>=<addr>,...} (addresses sorted by broker id). */
    public static String broker(BrokerData b) {
        return "broker cluster=" + b.getCluster() + " name=" + b.getBrokerName() + " addrs="
                + new TreeMap<>(b.getBrokerAddrsMap()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }
}
