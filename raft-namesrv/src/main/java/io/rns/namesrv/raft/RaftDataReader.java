package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.entity.EnumOutter;
import com.alipay.sofa.jraft.entity.LocalStorageOutter.StablePBMeta;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.RaftOutter.SnapshotMeta;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import com.alipay.sofa.jraft.storage.io.ProtoBufFile;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotMetaTable;
import io.rns.log.v1.LogRecord;
import io.rns.statemachine.LogRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the Raft part of a stopped node's data dir (for {@code rns-admin inspect} and {@code verify}): the stable meta
 * (term, vote), the snapshots jraft keeps and the log entries. The log is jraft's RocksDB, which takes a lock: reading
 * it while the node runs fails with a message that says so.
 */
public final class RaftDataReader implements AutoCloseable {
    private static final String META_FILE = "raft_meta";
    private static final String SNAPSHOT_META_FILE = "__raft_snapshot_meta";
    private static final String SNAPSHOT_PREFIX = "snapshot_";

    private final Path raftDir;
    private final RocksDBLogStorage log;

    /** The stable meta: the node's current term and its vote in it. */
    public record Meta(long term, String votedFor) {
    }

    /** One snapshot jraft keeps. */
    public record Snapshot(Path dir, long lastIncludedIndex, long lastIncludedTerm, List<String> peers) {
    }

    /** One log entry: DATA entries carry the decoded record, CONFIGURATION entries the peers. */
    public record Entry(long index, long term, String type, LogRecord record, List<String> peers) {
    }

    private RaftDataReader(Path raftDir, RocksDBLogStorage log) {
        this.raftDir = raftDir;
        this.log = log;
    }

    /**
     * @throws IllegalStateException naming the problem: no Raft data in {@code dataDir}, or its log cannot be opened
     *                               (a running node holds it)
     */
    public static RaftDataReader open(Path dataDir) {
        Path raft = dataDir.resolve("raft");
        Path logDir = raft.resolve("log");
        if (!Files.isRegularFile(logDir.resolve("CURRENT"))) {
            throw new IllegalStateException(
                    "no Raft log at " + logDir + " (is " + dataDir + " a RAFT node's data dir?)");
        }
        RocksDBLogStorage storage = new RocksDBLogStorage(logDir.toString(), new RaftOptions());
        LogStorageOptions o = new LogStorageOptions();
        o.setGroupId(JraftNode.GROUP_ID); // jraft finishes an earlier prefix truncation in the group's thread pool
        o.setConfigurationManager(new ConfigurationManager());
        o.setLogEntryCodecFactory(DefaultJRaftServiceFactory.newInstance().createLogEntryCodecFactory());
        if (!storage.init(o)) {
            throw new IllegalStateException("cannot open the Raft log at " + logDir
                    + " (a node running on this data dir holds it: stop the node first; the log above says more)");
        }
        return new RaftDataReader(raft, storage);
    }

    public Meta meta() {
        Path file = raftDir.resolve("meta").resolve(META_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no Raft meta file at " + file);
        }
        try {
            StablePBMeta m = new ProtoBufFile(file.toString()).load();
            if (m == null) {
                throw new IllegalStateException("Raft meta file " + file + " is empty");
            }
            return new Meta(m.getTerm(), m.getVotedfor());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Raft meta file " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Every snapshot directory with its jraft meta, oldest first. */
    public List<Snapshot> snapshots() {
        Path dir = raftDir.resolve("snapshot");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(q -> q.getFileName().toString().startsWith(SNAPSHOT_PREFIX))
                    .sorted(Comparator.comparing(Path::toString)).toList()) {
                LocalSnapshotMetaTable table = new LocalSnapshotMetaTable(new RaftOptions());
                if (!table.loadFromFile(p.resolve(SNAPSHOT_META_FILE).toString()) || !table.hasMeta()) {
                    throw new IllegalStateException("snapshot " + p + " has no readable " + SNAPSHOT_META_FILE);
                }
                SnapshotMeta m = table.getMeta();
                out.add(new Snapshot(p, m.getLastIncludedIndex(), m.getLastIncludedTerm(), m.getPeersList()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read snapshots in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    public long firstLogIndex() {
        return log.getFirstLogIndex();
    }

    public long lastLogIndex() {
        return log.getLastLogIndex();
    }

    /**
     * @throws IllegalStateException if the entry is missing, fails its checksum or does not decode
     */
    public Entry entry(long index) {
        LogEntry e;
        try {
            e = log.getEntry(index);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("log entry " + index + " is unreadable: " + ex.getMessage(), ex);
        }
        if (e == null) {
            throw new IllegalStateException(
                    "log entry " + index + " is missing (log holds " + firstLogIndex() + ".." + lastLogIndex() + ")");
        }
        if (e.hasChecksum() && e.isCorrupted()) {
            throw new IllegalStateException("log entry " + index + " fails its checksum");
        }
        if (e.getType() == EnumOutter.EntryType.ENTRY_TYPE_DATA) {
            ByteBuffer data = e.getData();
            LogRecord r;
            try {
                r = LogRecords.decode(data == null ? ByteBuffer.allocate(0) : data);
            } catch (RuntimeException ex) {
                throw new IllegalStateException(
                        "log entry " + index + " holds an undecodable record: " + ex.getMessage(), ex);
            }
            return new Entry(index, e.getId().getTerm(), "DATA", r, List.of());
        }
        List<String> peers = new ArrayList<>();
        if (e.getPeers() != null) {
            e.getPeers().stream().map(PeerId::toString).forEach(peers::add);
        }
        String type = e.getType() == EnumOutter.EntryType.ENTRY_TYPE_CONFIGURATION ? "CONFIGURATION"
                : e.getType() == EnumOutter.EntryType.ENTRY_TYPE_NO_OP ? "NO_OP" : e.getType().name();
        return new Entry(index, e.getId().getTerm(), type, null, List.copyOf(peers));
    }

    @Override
    public void close() {
        log.shutdown();
    }
}
