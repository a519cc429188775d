package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.core.State;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.util.Utils;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The status port's raft side: role, term, leader and progress of this node, and the voters it knows. */
final class JraftStatus {
    private static final Logger log = LoggerFactory.getLogger(JraftStatus.class);

    private final JraftNode raft;
    private final Field lastLeaderTimestamp = findLastLeaderTimestampField();

    JraftStatus(JraftNode raft) {
        this.raft = raft;
    }

    /** Our applied index: the larger of the state machine's and jraft's (which also counts configuration entries). */
    long appliedIndex() {
        Node n = raft.node();
        long a = raft.sm.appliedIndex();
        if (n == null) {
            return a;
        }
        try {
            return Math.max(a, n.getLastAppliedLogIndex());
        } catch (IllegalStateException e) {
            return a; // halted or shutting down: jraft's getters throw outside the active states
        }
    }

    NodeState state() {
        Node n = raft.node();
        RouteFsm fsm = raft.fsm;
        if (n == null) {
            return new NodeState(Role.INACTIVE, fsm.knownTerm(), null, -1, 0, 0, fsm.lastSnapshotIndex());
        }
        State st = n.getNodeState();
        Role role = switch (st) {
            case STATE_LEADER, STATE_TRANSFERRING -> fsm.leaderTerm() > 0 ? Role.LEADER : Role.CANDIDATE;
            case STATE_FOLLOWER -> Role.FOLLOWER;
            case STATE_CANDIDATE -> Role.CANDIDATE;
            default -> Role.INACTIVE;
        };
        if (fsm.haltReason() != null || role == Role.INACTIVE) {
            // halted (STATE_ERROR: a failed apply or log write, e.g. a full disk) or shutting down: jraft's index
            // getters throw in these states, and every request (status included) would fail with INTERNAL; the
            // node's own view is all there is, and it says "not ready"
            return new NodeState(Role.INACTIVE, fsm.knownTerm(), null, -1, raft.sm.appliedIndex(),
                    raft.sm.appliedIndex(), fsm.lastSnapshotIndex());
        }
        String leaderId = raft.memberIdOf(n.getLeaderId());
        long since = role == Role.LEADER ? 0 : msSinceLeaderContact(n, leaderId);
        try {
            return new NodeState(role, fsm.knownTerm(), leaderId, since, n.getLastCommittedIndex(), n.getLastLogIndex(),
                    fsm.lastSnapshotIndex());
        } catch (IllegalStateException e) {
            // the node left the active states since getNodeState() (it halted or is shutting down)
            return new NodeState(Role.INACTIVE, fsm.knownTerm(), null, -1, raft.sm.appliedIndex(),
                    raft.sm.appliedIndex(), fsm.lastSnapshotIndex());
        }
    }

    List<NodeState.Peer> peers() {
        Node n = raft.node();
        Set<String> alive = new HashSet<>();
        List<String> voters = null;
        if (n != null && n.isLeader()) {
            try {
                voters = n.listPeers().stream().map(p -> p.getEndpoint().toString()).toList();
                for (PeerId p : n.listAlivePeers()) {
                    alive.add(p.getEndpoint().toString());
                }
            } catch (IllegalStateException e) {
                // jraft stepped down between isLeader() and listPeers() ("Not leader"): nobody is known alive.
                // This call used to sit in state() on every response; the chaos harness (seed 1001) caught it turning
                // a committed write's OK into INTERNAL.
                alive.clear();
                voters = null;
            }
        }
        if (voters == null) {
            voters = raft.fsm.committedVoters();
        }
        if (voters == null) {
            voters = raft.config.members().stream().map(Member::raftAddress).toList();
        }
        List<NodeState.Peer> peers = new ArrayList<>();
        for (String raftAddr : voters) {
            Member m = raft.directory.get(raftAddr);
            peers.add(new NodeState.Peer(m == null ? raftAddr : m.id(), raftAddr, m == null ? "" : m.clientAddress(),
                    alive.contains(raftAddr)));
        }
        peers.sort(Comparator.comparing(NodeState.Peer::id));
        return peers;
    }

    /** jraft does not expose a follower's last leader contact; read its monotonic timestamp, or -1 if we cannot. */
    private long msSinceLeaderContact(Node n, String leaderId) {
        if (leaderId == null || lastLeaderTimestamp == null || !(n instanceof NodeImpl)) {
            return -1;
        }
        try {
            long ts = lastLeaderTimestamp.getLong(n);
            return Math.max(0, Utils.monotonicMs() - ts);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    private static Field findLastLeaderTimestampField() {
        try {
            Field f = NodeImpl.class.getDeclaredField("lastLeaderTimestamp");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot read jraft's last leader contact time; ms_since_leader_contact will be -1 ({})",
                    e.toString());
            return null;
        }
    }
}
