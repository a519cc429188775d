package io.rns.namesrv;

import io.rns.log.v1.LogRecord;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.watch.WatchHub;
import io.rns.rpc.v1.Role;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogEntry;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * An in-memory stand-in for the replication engine: a single "log" applied at once to a real RouteStateMachine.
 * Tests flip its role and leader, and inspect what was proposed.
 */
public final class InMemoryConsensus implements Consensus {
    private final RouteStateMachine sm;
    private long nextIndex = 1;
    public volatile Role role = Role.LEADER;
    public volatile String leaderId = "n1";
    public volatile long term = 1;
    public volatile ConsensusException barrierFailure;
    /** Non-null: this stand-in behaves like an engine that serves local reads only (leaderless). */
    public volatile String onlyLocalReadsReason;

    public volatile long msSinceLeaderContact = 0;
    public final List<LogRecord> proposed = new ArrayList<>();
    public int barriers;
    /** The lease flag of the last read barrier. */
    public volatile Boolean lastBarrierLease;
    /** Runs once inside the next read barrier, before it completes (e.g. to apply a concurrent write). */
    public volatile Runnable beforeBarrier;

    public InMemoryConsensus(Path dir) {
        this.sm = RouteStateMachine.open(dir);
    }

    private WatchHub watchHub;

    /** The watch hub over this stand-in's state machine (made on first use, closed with it). */
    public synchronized WatchHub watchHub(NamesrvConfig config) {
        if (watchHub == null) {
            watchHub = new WatchHub("in-memory", config.watch(), sm.image());
            sm.addChangeListener(watchHub::onChange);
        }
        return watchHub;
    }

    /** A backup of the state machine, as a node's save_snapshot exports it. */
    public byte[] exportBackup() {
        return sm.exportBackup(state().term(), "in-memory", 0);
    }

    /** While holding, proposals queue up (in log order) and complete only on {@link #release()}. */
    public volatile boolean holding;

    private final List<Object[]> held = new ArrayList<>();

    public synchronized void release() {
        holding = false;
        for (Object[] h : held) {
            @SuppressWarnings("unchecked")
            CompletableFuture<ApplyResult> f = (CompletableFuture<ApplyResult>) h[1];
            f.complete(sm.applyBatch(List.of(new LogEntry(nextIndex++, (LogRecord) h[0]))).get(0));
        }
        held.clear();
    }

    @Override
    public synchronized CompletableFuture<ApplyResult> propose(LogRecord record, long timeoutMs) {
        if (role != Role.LEADER) {
            return CompletableFuture
                    .failedFuture(new ConsensusException(ConsensusException.Kind.NOT_LEADER, "not leader"));
        }
        proposed.add(record);
        if (holding) {
            CompletableFuture<ApplyResult> f = new CompletableFuture<>();
            held.add(new Object[]{record, f});
            return f;
        }
        List<ApplyResult> r = sm.applyBatch(List.of(new LogEntry(nextIndex++, record)));
        return CompletableFuture.completedFuture(r.get(0));
    }

    @Override
    public synchronized CompletableFuture<Long> readBarrier(boolean lease, long timeoutMs) {
        barriers++;
        lastBarrierLease = lease;
        Runnable r = beforeBarrier;
        beforeBarrier = null;
        if (r != null) {
            r.run();
        }
        if (barrierFailure != null) {
            return CompletableFuture.failedFuture(barrierFailure);
        }
        return CompletableFuture.completedFuture(sm.appliedIndex());
    }

    @Override
    public String onlyLocalReadsReason() {
        return onlyLocalReadsReason;
    }

    /** The {@code wanted} of the last awaitApplied: whether its requester is still there. */
    public volatile BooleanSupplier lastWanted;

    @Override
    public CompletableFuture<Long> awaitApplied(long index, long timeoutMs, BooleanSupplier wanted) {
        lastWanted = wanted;
        if (sm.appliedIndex() >= index) {
            return CompletableFuture.completedFuture(sm.appliedIndex());
        }
        return CompletableFuture.failedFuture(new ConsensusException(ConsensusException.Kind.TIMEOUT, "not reached"));
    }

    @Override
    public RouteImage image() {
        return sm.image();
    }

    /** When set, state() throws like jraft's listAlivePeers() on a leader that just stepped down. */
    public volatile boolean stateThrows;

    @Override
    public NodeState state() {
        if (stateThrows) {
            throw new IllegalStateException("Not leader");
        }
        return new NodeState(role, term, leaderId, role == Role.LEADER ? 0 : msSinceLeaderContact, sm.appliedIndex(),
                sm.appliedIndex(), 0);
    }

    @Override
    public List<NodeState.Peer> peers() {
        synchronized (members) {
            return members.values().stream()
                    .map(m -> new NodeState.Peer(m.id(), m.raftAddress(), m.clientAddress(), true)).toList();
        }
    }

    /** The stand-in's voting members (n1, n2 as in the dispatcher test's config); membership calls change it. */
    public final Map<String, Member> members = new LinkedHashMap<>(
            Map.of("n1", new Member("n1", "127.0.0.1", 1001, 1002)));

    {
        members.put("n2", new Member("n2", "127.0.0.1", 1003, 1004));
    }
    /** When set, membership calls fail with it (nothing changes). */
    public volatile ConsensusException membershipFailure;

    public final List<String> transfers = new ArrayList<>();

    @Override
    public CompletableFuture<List<NodeState.Peer>> addPeer(Member member, long timeoutMs) {
        if (membershipFailure != null) {
            return CompletableFuture.failedFuture(membershipFailure);
        }
        synchronized (members) {
            members.put(member.id(), member);
        }
        return CompletableFuture.completedFuture(peers());
    }

    @Override
    public CompletableFuture<List<NodeState.Peer>> removePeer(String memberId, long timeoutMs) {
        if (membershipFailure != null) {
            return CompletableFuture.failedFuture(membershipFailure);
        }
        synchronized (members) {
            members.remove(memberId);
        }
        return CompletableFuture.completedFuture(peers());
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String memberId) {
        if (membershipFailure != null) {
            return CompletableFuture.failedFuture(membershipFailure);
        }
        transfers.add(memberId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> snapshot() {
        return CompletableFuture.completedFuture(null);
    }

    public final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void addLeadershipListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    /** Simulates this node winning an election at {@code newTerm}. */
    public void becomeLeader(long newTerm) {
        term = newTerm;
        role = Role.LEADER;
        leaderId = "n1";
        listeners.forEach(l -> l.onLeaderStart(newTerm));
    }

    /** Simulates this node stepping down to follow {@code newLeader}. */
    public void stepDown(String newLeader) {
        role = Role.FOLLOWER;
        leaderId = newLeader;
        listeners.forEach(LeadershipListener::onLeaderStop);
    }

    @Override
    public void close() {
        if (watchHub != null) {
            watchHub.close();
        }
        sm.close();
    }
}
