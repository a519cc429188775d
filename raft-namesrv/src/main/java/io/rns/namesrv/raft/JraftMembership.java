package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.ConsensusException.Kind;
import io.rns.namesrv.consensus.Membership;
import io.rns.namesrv.consensus.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The membership port on jraft: voter changes and leadership transfer through jraft's own Node calls (leader only). */
final class JraftMembership implements Membership {
    private static final Logger log = LoggerFactory.getLogger(JraftMembership.class);

    private final JraftNode raft;
    private final JraftStatus status;

    JraftMembership(JraftNode raft, JraftStatus status) {
        this.raft = raft;
        this.status = status;
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs) {
        return guarded(n -> add(n, member, timeoutMs));
    }

    private CompletableFuture<List<NodeState.Peer>> add(Node n, Member member, long timeoutMs) {
        List<NodeState.Peer> before = status.peers();
        for (NodeState.Peer p : before) {
            if (p.id().equals(member.id()) || p.raftAddr().equals(member.raftAddress())) {
                return CompletableFuture.failedFuture(new ConsensusException(Kind.INVALID, "peer " + member
                        + " is already a member (as " + p.id() + "@" + p.raftAddr() + "); members are " + ids(before)));
            }
        }
        Member known = raft.directory.get(member.raftAddress());
        if (known != null && !known.equals(member)) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.INVALID, "raft address "
                    + member.raftAddress() + " belongs to " + known + " in this node's address book; add it as that"));
        }
        raft.directory.put(member.raftAddress(), member);
        CompletableFuture<List<NodeState.Peer>> f = new CompletableFuture<>();
        try {
            n.addPeer(JraftNode.peerOf(member), st -> completeChange(f, st, "add " + member));
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.INVALID, "add " + member + " refused: " + e.getMessage(), e));
        }
        log.info("node {}: adding peer {}", raft.config.nodeId(), member);
        return raft.withTimeout(f, timeoutMs, () -> new ConsensusException(Kind.OUTCOME_UNKNOWN, "adding " + member
                + " did not finish within " + timeoutMs + " ms (the new peer catches up first); it may still commit"));
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs) {
        return guarded(n -> remove(n, memberId, timeoutMs));
    }

    private CompletableFuture<List<NodeState.Peer>> remove(Node n, String memberId, long timeoutMs) {
        List<NodeState.Peer> before = status.peers();
        NodeState.Peer target = memberOf(before, memberId);
        if (before.size() == 1) {
            return CompletableFuture.failedFuture(
                    new ConsensusException(Kind.INVALID, "cannot remove " + memberId + ": it is the last member"));
        }
        // the remaining voters must have a live majority (as the leader sees them), or the group stops after the change
        int remaining = before.size() - 1;
        long aliveRemaining = before.stream().filter(p -> p != target)
                .filter(p -> p.alive() || p.id().equals(raft.config.nodeId())).count();
        if (aliveRemaining < remaining / 2 + 1) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.INVALID,
                    "removing " + memberId + " would leave " + aliveRemaining + " live voter(s) of " + remaining
                            + ", not a majority; " + "bring members back first (members " + ids(before) + ")"));
        }
        CompletableFuture<List<NodeState.Peer>> f = new CompletableFuture<>();
        try {
            n.removePeer(PeerId.parsePeer(target.raftAddr()), st -> completeChange(f, st, "remove " + memberId));
        } catch (RuntimeException e) {
            f.completeExceptionally(
                    new ConsensusException(Kind.INVALID, "remove " + memberId + " refused: " + e.getMessage(), e));
        }
        log.info("node {}: removing peer {} ({})", raft.config.nodeId(), memberId, target.raftAddr());
        return raft.withTimeout(f, timeoutMs, () -> new ConsensusException(Kind.OUTCOME_UNKNOWN,
                "removing " + memberId + " did not finish within " + timeoutMs + " ms; it may still commit"));
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String memberId) {
        return guarded(n -> transfer(n, memberId));
    }

    private CompletableFuture<Void> transfer(Node n, String memberId) {
        List<NodeState.Peer> before = status.peers();
        NodeState.Peer target = memberOf(before, memberId);
        if (memberId.equals(raft.config.nodeId())) {
            return CompletableFuture.failedFuture(new ConsensusException(Kind.INVALID, memberId + " already leads"));
        }
        Status st = n.transferLeadershipTo(PeerId.parsePeer(target.raftAddr()));
        if (!st.isOk()) {
            return CompletableFuture.failedFuture(changeFailure(st, "transfer leadership to " + memberId));
        }
        log.info("node {}: transferring leadership to {}", raft.config.nodeId(), memberId);
        return CompletableFuture.completedFuture(null);
    }

    /** Runs a change on the leader; a refusal (thrown or found before it starts) becomes the failed future. */
    private <T> CompletableFuture<T> guarded(Function<Node, CompletableFuture<T>> change) {
        Node n = raft.node();
        try {
            ConsensusException refused = refuseMembership(n);
            if (refused != null) {
                throw refused;
            }
            return change.apply(n);
        } catch (ConsensusException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static NodeState.Peer memberOf(List<NodeState.Peer> peers, String memberId) {
        return peers.stream().filter(p -> p.id().equals(memberId)).findFirst()
                .orElseThrow(() -> new ConsensusException(Kind.INVALID,
                        "peer " + memberId + " is not a member; members are " + ids(peers)));
    }

    private ConsensusException refuseMembership(Node n) {
        ConsensusException e = raft.unavailable(n);
        if (e != null) {
            return e;
        }
        if (!n.isLeader()) {
            return new ConsensusException(Kind.NOT_LEADER, "this node is not the leader");
        }
        return null;
    }

    private void completeChange(CompletableFuture<List<NodeState.Peer>> f, Status st, String what) {
        if (st.isOk()) {
            log.info("node {}: {} committed", raft.config.nodeId(), what);
            f.complete(status.peers());
        } else {
            log.warn("node {}: {} failed: {}", raft.config.nodeId(), what, st);
            f.completeExceptionally(changeFailure(st, what));
        }
    }

    /** jraft statuses of a configuration change: which ones say nothing changed, and which leave the outcome open. */
    private static ConsensusException changeFailure(Status st, String what) {
        RaftError e = st.getRaftError();
        String msg = what + " failed (" + (e == null ? st.getCode() : e) + ": " + st.getErrorMsg() + ")";
        if (e == RaftError.EBUSY) {
            return new ConsensusException(Kind.BUSY,
                    msg + "; another configuration change or a leadership transfer " + "is in progress, retry");
        }
        if (e == RaftError.EPERM && st.getErrorMsg() != null && st.getErrorMsg().startsWith("Not leader")) {
            return new ConsensusException(Kind.NOT_LEADER, msg);
        }
        if (e == RaftError.ECATCHUP) {
            // the configuration was not changed: the new peer did not catch up with the log in time
            return new ConsensusException(Kind.NO_QUORUM, msg + "; the new peer could not catch up (is it running and "
                    + "reachable on its raft port?); nothing changed");
        }
        if (e == RaftError.EINVAL) {
            return new ConsensusException(Kind.INVALID, msg);
        }
        if (e == RaftError.ENODESHUTDOWN || e == RaftError.ESTOP || e == RaftError.EHOSTDOWN) {
            return new ConsensusException(Kind.SHUTTING_DOWN, msg + "; it may still commit");
        }
        // leader stepped down / removed during the change: the new configuration may or may not commit
        return new ConsensusException(Kind.OUTCOME_UNKNOWN, msg + "; the change may still commit, check peers list");
    }

    private static List<String> ids(List<NodeState.Peer> peers) {
        return peers.stream().map(NodeState.Peer::id).toList();
    }

    @Override
    public CompletableFuture<Void> snapshot() {
        Node n = raft.node();
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (n == null) {
            f.completeExceptionally(new ConsensusException(Kind.SHUTTING_DOWN, "node not running"));
            return f;
        }
        n.snapshot(st -> {
            if (st.isOk()) {
                f.complete(null);
            } else {
                f.completeExceptionally(new ConsensusException(Kind.BUSY, "snapshot failed: " + st));
            }
        });
        return f;
    }

    /**
     * If this node leads, hands leadership to a caught-up follower and waits (bounded) until this node follows the new
     * leader, so clients see NOT_LEADER with a hint (or a forward) instead of a dead connection. Waiting for the
     * step-down alone is not enough: jraft leaves the leader state the moment the transfer starts, and a node that
     * closed its ports then made the target's vote round and its first replication fail on connections to it (one
     * target's log: ~115 ms of its election spent so; docs/benchmarks.md, failover).
     */
    public void transferLeadershipIfLeader(long timeoutMs) {
        Node n = raft.node();
        if (n == null || !n.isLeader() || raft.config.members().size() < 2) {
            return;
        }
        Status st = n.transferLeadershipTo(PeerId.ANY_PEER);
        if (!st.isOk()) {
            log.warn("node {}: leadership transfer refused: {}", raft.config.nodeId(), st);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!followsAnother(n) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("node {}: leadership transfer {}", raft.config.nodeId(),
                followsAnother(n) ? "done, new leader " + n.getLeaderId() : "timed out");
    }

    private static boolean followsAnother(Node n) {
        PeerId leader = n.getLeaderId();
        return !n.isLeader() && leader != null && !leader.isEmpty() && !leader.equals(n.getNodeId().getPeerId());
    }
}
