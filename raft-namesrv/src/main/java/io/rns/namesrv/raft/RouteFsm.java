package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.codahale.metrics.MetricRegistry;
import io.rns.log.v1.LogRecord;
import io.rns.namesrv.consensus.NodeStatus.LeadershipListener;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogEntry;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteStateMachine;
import io.rns.statemachine.StateMachineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sofa-jraft state machine: decodes each committed entry, applies the whole batch to the
 * {@link RouteStateMachine} in one RocksDB write, then answers the leader's closures with their results.
 * A record that cannot be decoded or a store failure halts this replica (setErrorAndRollback): wrong and silent is
 * worse than down (DESIGN §3 invariant 6).
 */
final class RouteFsm extends StateMachineAdapter {
    private static final Logger log = LoggerFactory.getLogger(RouteFsm.class);
    static final String SAVE_TIMER = "rns-snapshot-save";
    static final String SAVE_BYTES = "rns-snapshot-save-bytes";
    static final String INSTALL_TIMER = "rns-snapshot-install";
    static final String INSTALL_BYTES = "rns-snapshot-install-bytes";

    private final String nodeId;
    private final RouteStateMachine sm;
    /** The term in which this node is leader and has applied its first entry; 0 when not leader. */
    private final AtomicLong leaderTerm = new AtomicLong();
    /** The highest term this node has seen through leader changes. */
    private final AtomicLong knownTerm = new AtomicLong();

    private final AtomicLong lastSnapshotIndex = new AtomicLong();
    private final AtomicLong snapshotsLoaded = new AtomicLong();
    private final AtomicLong leaderChanges = new AtomicLong();
    private volatile String haltReason;
    /** Finishes snapshot saves off the FSM thread (one at a time: jraft never runs two saves at once). */
    private final ExecutorService snapshotSaver;

    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    /**
     * Snapshot saves and installs as RNS sees them (jraft's own {@code fsm-snapshot-save} times only the part on the
     * FSM thread): {@code rns-snapshot-save} (checkpoint + background checksums and manifest), {@code rns-snapshot-install}
     * (verify, copy and swap; at start-up too) and their sizes in bytes.
     */
    private final MetricRegistry metrics = new MetricRegistry();

    RouteFsm(String nodeId, RouteStateMachine sm) {
        this.nodeId = nodeId;
        this.sm = sm;
        this.snapshotSaver = Executors.newSingleThreadExecutor(DaemonThreads.named("rns-snapshot-save-" + nodeId));
    }

    @Override
    public void onApply(Iterator iter) {
        List<LogEntry> batch = new ArrayList<>();
        List<Closure> dones = new ArrayList<>();
        while (iter.hasNext()) {
            ByteBuffer data = iter.getData();
            LogRecord record;
            try {
                // decode() reads a duplicate: the entry's buffer stays intact for replication to lagging followers
                record = LogRecords.decode(data == null ? ByteBuffer.allocate(0) : data);
            } catch (StateMachineException e) {
                long index = iter.getIndex();
                if (!applyOrHalt(iter, batch, dones)) {
                    return;
                }
                halt(iter, 1, "cannot decode log entry " + index + ": " + e.getMessage());
                return;
            }
            batch.add(new LogEntry(iter.getIndex(), record));
            dones.add(iter.done());
            iter.next();
        }
        applyOrHalt(iter, batch, dones);
    }

    /** Applies the collected batch and answers its closures; on failure halts and returns false. */
    private boolean applyOrHalt(Iterator iter, List<LogEntry> batch, List<Closure> dones) {
        if (batch.isEmpty()) {
            return true;
        }
        List<ApplyResult> results;
        try {
            results = sm.applyBatch(batch);
        } catch (RuntimeException e) {
            log.error("node {}: applying entries {}..{} failed; halting this replica", nodeId, batch.get(0).index(),
                    batch.get(batch.size() - 1).index(), e);
            halt(iter, batch.size(), "apply of entries " + batch.get(0).index() + ".."
                    + batch.get(batch.size() - 1).index() + " failed: " + e);
            return false;
        }
        for (int i = 0; i < dones.size(); i++) {
            Closure done = dones.get(i);
            if (done != null) {
                if (done instanceof ProposalClosure pc) {
                    pc.setResult(results.get(i));
                }
                done.run(Status.OK());
            }
        }
        batch.clear();
        dones.clear();
        return true;
    }

    private void halt(Iterator iter, long ntail, String reason) {
        haltReason = reason;
        log.error("node {}: HALTING replica: {}", nodeId, reason);
        iter.setErrorAndRollback(ntail, new Status(RaftError.ESTATEMACHINE, "%s", reason));
    }

    /**
     * Two phases: the RocksDB checkpoint (one consistent applied index; quick, the memtable flush and hard links) runs
     * here on jraft's FSM thread; checksumming the files and writing the manifest run on {@link #snapshotSaver}, and
     * {@code done} is run from there. jraft allows that (the writer stays open until {@code done} runs, and it starts
     * no other save or install meanwhile), and the FSM thread goes on applying entries. The background part reads
     * every file, so it grows with the table (at 1M topics: 11 MB, ~40 ms on the bench machine; more on a slow disk);
     * applies — and the LINEARIZABLE reads waiting for them — no longer wait for it.
     */
    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        long started = System.nanoTime();
        RouteStateMachine.PendingSnapshot pending;
        try {
            pending = sm.checkpoint(Path.of(writer.getPath()));
        } catch (RuntimeException e) {
            log.error("node {}: snapshot save failed", nodeId, e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
            return;
        }
        long checkpointed = System.nanoTime();
        Runnable finish = () -> finishSnapshot(writer, done, pending, started, checkpointed);
        try {
            snapshotSaver.execute(finish);
        } catch (RejectedExecutionException e) {
            finish.run(); // shutting down: finish here rather than leave jraft waiting for done
        }
    }

    private void finishSnapshot(SnapshotWriter writer, Closure done, RouteStateMachine.PendingSnapshot pending,
            long started, long checkpointed) {
        try {
            List<String> files = pending.complete();
            for (String f : files) {
                if (!writer.addFile(f)) {
                    throw new IllegalStateException("snapshot writer refused file " + f);
                }
            }
            lastSnapshotIndex.set(pending.appliedIndex());
            metrics.timer(SAVE_TIMER).update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            metrics.histogram(SAVE_BYTES).update(sizeOf(Path.of(writer.getPath()), files));
            log.info(
                    "node {}: snapshot saved at applied index {} ({} files) in {}: checkpoint {} ms on the apply "
                            + "thread, checksums and manifest {} ms in the background",
                    nodeId, pending.appliedIndex(), files.size(), writer.getPath(),
                    (checkpointed - started) / 1_000_000, (System.nanoTime() - checkpointed) / 1_000_000);
            done.run(Status.OK());
        } catch (RuntimeException e) {
            log.error("node {}: snapshot save failed", nodeId, e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        if (leaderTerm.get() > 0) {
            log.error("node {}: refusing to load a snapshot while leader", nodeId);
            return false;
        }
        long started = System.nanoTime();
        try {
            sm.loadSnapshot(Path.of(reader.getPath()));
            metrics.timer(INSTALL_TIMER).update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            metrics.histogram(INSTALL_BYTES).update(sizeOf(Path.of(reader.getPath()), reader.listFiles()));
            long idx = reader.load() == null ? sm.appliedIndex() : reader.load().getLastIncludedIndex();
            lastSnapshotIndex.set(idx);
            snapshotsLoaded.incrementAndGet();
            log.info("node {}: snapshot loaded from {} (last included index {}, applied index now {})", nodeId,
                    reader.getPath(), idx, sm.appliedIndex());
            return true;
        } catch (RuntimeException e) {
            // jraft fails the node (startup or install) when this returns false: loud, never half-applied
            haltReason = "snapshot load failed: " + e.getMessage();
            log.error("node {}: SNAPSHOT LOAD FAILED from {}: {}", nodeId, reader.getPath(), e.getMessage(), e);
            return false;
        }
    }

    /** Total size of a snapshot's files (0 for a file that cannot be read: a metric must not fail a snapshot). */
    private static long sizeOf(Path dir, java.util.Collection<String> files) {
        long bytes = 0;
        for (String f : files) {
            try {
                bytes += Files.size(dir.resolve(f));
            } catch (IOException | RuntimeException e) {
                // counted as 0
            }
        }
        return bytes;
    }

    MetricRegistry metrics() {
        return metrics;
    }

    @Override
    public void onLeaderStart(long term) {
        knownTerm.accumulateAndGet(term, Math::max);
        leaderTerm.set(term);
        leaderChanges.incrementAndGet();
        log.info("node {}: became leader at term {}", nodeId, term);
        for (var l : leadershipListeners) {
            try {
                l.onLeaderStart(term);
            } catch (RuntimeException e) {
                log.error("node {}: leadership listener failed on leader start", nodeId, e);
            }
        }
    }

    @Override
    public void onLeaderStop(Status status) {
        long t = leaderTerm.getAndSet(0);
        log.info("node {}: stepped down as leader of term {}: {}", nodeId, t, status);
        for (var l : leadershipListeners) {
            try {
                l.onLeaderStop();
            } catch (RuntimeException e) {
                log.error("node {}: leadership listener failed on leader stop", nodeId, e);
            }
        }
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        knownTerm.accumulateAndGet(ctx.getTerm(), Math::max);
        leaderChanges.incrementAndGet();
        log.info("node {}: following leader {} at term {}", nodeId, ctx.getLeaderId(), ctx.getTerm());
    }

    @Override
    public void onStopFollowing(LeaderChangeContext ctx) {
        knownTerm.accumulateAndGet(ctx.getTerm(), Math::max);
        log.info("node {}: stopped following {} at term {}: {}", nodeId, ctx.getLeaderId(), ctx.getTerm(),
                ctx.getStatus());
    }

    @Override
    public void onConfigurationCommitted(Configuration conf) {
        List<String> voters = new ArrayList<>();
        for (PeerId p : conf.listPeers()) {
            voters.add(p.getEndpoint().toString());
        }
        committedVoters = List.copyOf(voters);
        log.info("node {}: configuration committed: {}", nodeId, conf);
    }

    /** Raft addresses (host:port) of the voters in the last configuration this node saw committed; null before any. */
    private volatile List<String> committedVoters;

    /** The term in which this node leads and has applied its first entry; 0 when it does not lead. */
    long leaderTerm() {
        return leaderTerm.get();
    }

    /** The highest term this node has seen through leader changes. */
    long knownTerm() {
        return knownTerm.get();
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex.get();
    }

    long snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    /** Leaders this node has seen take over (itself included), since it started. */
    long leaderChanges() {
        return leaderChanges.get();
    }

    /** Why this replica halted (an apply, snapshot or raft error), or null while it is healthy. */
    String haltReason() {
        return haltReason;
    }

    List<String> committedVoters() {
        return committedVoters;
    }

    void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    @Override
    public void onError(RaftException e) {
        haltReason = "raft error: " + e.getStatus();
        log.error("node {}: RAFT NODE IN ERROR STATE (needs an operator): {}", nodeId, e.getStatus(), e);
    }

    @Override
    public void onShutdown() {
        snapshotSaver.shutdown(); // a save in progress still finishes and runs its done (jraft waits for it)
        log.info("node {}: state machine shut down", nodeId);
    }
}
