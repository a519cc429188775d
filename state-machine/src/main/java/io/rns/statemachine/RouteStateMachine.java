package io.rns.statemachine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The deterministic route table: applies committed log entries to a RocksDB store and publishes immutable
 * {@link RouteImage}s.
 *
 * <p>Threading: {@link #applyBatch}, {@link #apply}, {@link #checkpoint}, {@link #saveSnapshot}, {@link #loadSnapshot}
 * and {@link #close} are meant for one thread (the Raft apply thread) and are serialized by this object's monitor
 * ({@link PendingSnapshot#complete()} needs no lock and may run elsewhere). {@link #image()} and
 * {@link #appliedIndex()} read one volatile reference and never block. Image listeners run on the applying thread,
 * after the store write and the publish.
 *
 * <p>Failures: business rejections are {@link ApplyResult.Rejected} results. Anything else — an undecodable or
 * unknown record ({@link CorruptRecordException}), a store failure or a bug ({@link StateMachineException}) — is
 * thrown, nothing of the failing batch is written or published, and the replica must halt.
 */
public final class RouteStateMachine implements AutoCloseable {
    /** Name of the checkpoint directory inside a snapshot directory. */
    public static final String SNAPSHOT_DIR = "sm";
    /** Name of the manifest file inside a snapshot directory. */
    public static final String SNAPSHOT_MANIFEST = "sm.manifest";

    private final Path storeDir;
    private final List<Consumer<RouteImage>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ImageChange>> changeListeners = new CopyOnWriteArrayList<>();
    private RouteStore store; // null once closed
    private volatile RouteImage image;
    private volatile DedupTable dedup;

    private RouteStateMachine(Path storeDir, RouteStore store, RouteImage image, DedupTable dedup) {
        this.storeDir = storeDir;
        this.store = store;
        this.image = image;
        this.dedup = dedup;
    }

    /** Creates or opens the store in {@code storeDir} and rebuilds the image from it. */
    public static RouteStateMachine open(Path storeDir) {
        Objects.requireNonNull(storeDir, "storeDir");
        Path dir = storeDir.toAbsolutePath().normalize();
        try {
            StoreFiles.recoverInterruptedRestore(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateMachineException("cannot prepare state-machine store directory " + dir + ": " + e, e);
        }
        return loaded(dir, RouteStore.open(dir));
    }

    /** The state machine over an open store, its image and sessions loaded; the store is closed if that fails. */
    private static RouteStateMachine loaded(Path dir, RouteStore store) {
        try {
            return new RouteStateMachine(dir, store, store.load(), store.loadDedup());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The current image; lock-free. */
    public RouteImage image() {
        return image;
    }

    /** The applied index of the current image. */
    public long appliedIndex() {
        return image.appliedIndex();
    }

    /** How many client sessions are open (for status and metrics); any thread. */
    public int sessionCount() {
        return dedup.size();
    }

    /** The session with this id, or null; for tests and diagnostics (a snapshot of the committed table). */
    public synchronized ClientSession session(long id) {
        return dedup.get(id);
    }

    /** Called with every newly published image, on the publishing thread. Listeners must be quick. */
    public void addImageListener(Consumer<RouteImage> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeImageListener(Consumer<RouteImage> listener) {
        listeners.remove(listener);
    }

    /**
     * Called with every newly published image and what the batch wrote, on the publishing thread, after the image
     * listeners. Listeners must be quick (hand the change to another thread for anything that scans the table).
     */
    public void addChangeListener(Consumer<ImageChange> listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Applies one entry; see {@link #applyBatch}. */
    public ApplyResult apply(LogEntry entry) {
        return applyBatch(List.of(entry)).get(0);
    }

    /**
     * Applies committed entries in order. Entries at or below the applied index are {@link ApplyResult.Skipped}. All
     * effects and the new applied index are written in one WriteBatch; the new image is published once, after the
     * write succeeded. Returns one result per entry, in order.
     *
     * @throws StateMachineException if indexes are not strictly increasing, a record is corrupt
     *                               ({@link CorruptRecordException}), the store fails, or the machine is closed;
     *                               nothing is written or published then
     */
    public synchronized List<ApplyResult> applyBatch(List<LogEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        RouteStore s = openStore();
        long prev = Long.MIN_VALUE;
        for (LogEntry e : entries) {
            Objects.requireNonNull(e, "entry");
            if (e.index() <= prev) {
                throw new StateMachineException(
                        "log indexes in a batch must be strictly increasing: " + e.index() + " follows " + prev);
            }
            prev = e.index();
        }
        RouteImage current = image;
        ImageBuilder builder = null;
        List<ApplyResult> results = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            if (e.index() <= current.appliedIndex()) {
                results.add(new ApplyResult.Skipped(e.index()));
                continue;
            }
            if (builder == null) {
                builder = new ImageBuilder(current, dedup);
            }
            try {
                results.add(builder.apply(e.index(), e.record()));
            } catch (StateMachineException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw new StateMachineException("unexpected failure applying log index " + e.index() + ": " + ex, ex);
            }
        }
        if (builder != null) {
            s.write(builder);
            dedup.commit(builder.changedSessions(), builder.changedTombstones(), builder.clockMs());
            publish(builder.build(), current, Collections.unmodifiableSortedSet(builder.dirtyTopics()),
                    Collections.unmodifiableSortedSet(builder.dirtyGroups()), false);
        }
        return results;
    }

    // ---------------------------------------------------------------------------------------------- snapshots

    /**
     * Writes a snapshot into {@code dir}: a RocksDB checkpoint in {@code dir/sm} (created under a temp name and
     * renamed) and a manifest {@code dir/sm.manifest} listing every file with size and CRC32C and the applied index.
     * Same as {@link #checkpoint} followed by {@link PendingSnapshot#complete()} on this thread.
     *
     * @return the snapshot's files relative to {@code dir}, manifest first (register them with the Raft snapshot
     *         writer)
     * @throws SnapshotException if the snapshot cannot be written
     */
    public List<String> saveSnapshot(Path dir) {
        return checkpoint(dir).complete();
    }

    /**
     * The part of a snapshot save that must see one applied index: a RocksDB checkpoint (memtable flushed, SST files
     * hard-linked) into {@code dir/sm.tmp}. It is quick whatever the table size; the rest — a CRC32C over every file,
     * the rename, the manifest and the fsyncs — is done by {@link PendingSnapshot#complete()}, which touches only
     * {@code dir} (never the store) and may run on another thread while entries go on being applied. That is how the
     * Raft layer keeps a large snapshot from stalling the apply thread.
     *
     * @throws SnapshotException if the checkpoint cannot be written
     */
    public synchronized PendingSnapshot checkpoint(Path dir) {
        Objects.requireNonNull(dir, "dir");
        RouteStore s = openStore();
        long appliedIndex = image.appliedIndex();
        Path target = dir.resolve(SNAPSHOT_DIR);
        Path tmp = dir.resolve(SNAPSHOT_DIR + ".tmp");
        Path manifestFile = dir.resolve(SNAPSHOT_MANIFEST);
        try {
            Files.createDirectories(dir);
            StoreFiles.deleteRecursively(tmp);
            StoreFiles.deleteRecursively(target);
            Files.deleteIfExists(manifestFile);
            s.checkpoint(tmp);
            return new PendingSnapshot(dir, appliedIndex);
        } catch (IOException | UncheckedIOException e) {
            throw new SnapshotException("cannot save snapshot into " + dir + ": " + e, e);
        }
    }

    /** A checkpoint taken by {@link #checkpoint}, not yet described by a manifest. */
    public static final class PendingSnapshot {
        private final Path dir;
        private final long appliedIndex;

        private PendingSnapshot(Path dir, long appliedIndex) {
            this.dir = dir;
            this.appliedIndex = appliedIndex;
        }

        /** The applied index the checkpoint holds. */
        public long appliedIndex() {
            return appliedIndex;
        }

        /**
         * Checksums the checkpoint's files, renames it to {@code dir/sm}, writes and syncs the manifest. Call once, on
         * any thread.
         *
         * @return the snapshot's files relative to {@code dir}, manifest first
         * @throws SnapshotException if the snapshot cannot be completed
         */
        public List<String> complete() {
            Path target = dir.resolve(SNAPSHOT_DIR);
            Path tmp = dir.resolve(SNAPSHOT_DIR + ".tmp");
            try {
                List<SnapshotManifest.FileEntry> files = new ArrayList<>();
                for (String name : StoreFiles.listFiles(tmp)) {
                    files.add(SnapshotManifest.describe(name, tmp.resolve(name)));
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                StoreFiles.fsyncDir(dir);
                new SnapshotManifest(appliedIndex, files).write(dir.resolve(SNAPSHOT_MANIFEST));
                StoreFiles.fsyncDir(dir);
                List<String> names = new ArrayList<>(files.size() + 1);
                names.add(SNAPSHOT_MANIFEST);
                for (SnapshotManifest.FileEntry f : files) {
                    names.add(SNAPSHOT_DIR + "/" + f.name());
                }
                return names;
            } catch (IOException | UncheckedIOException e) {
                throw new SnapshotException("cannot save snapshot into " + dir + ": " + e, e);
            }
        }
    }

    /**
     * Replaces the store and image with the snapshot in {@code dir} (written by {@link #saveSnapshot}). The manifest
     * and every file are verified first, while copying the checkpoint next to the store; any problem (missing
     * directory, manifest or file, size or checksum mismatch, unreadable manifest, a copy that does not open) throws
     * {@link SnapshotException} and leaves the current store and image untouched.
     *
     * <p>If the snapshot's applied index is not above the current one (a restart where the store is already ahead of
     * the last Raft snapshot), the snapshot is verified but the current store is kept: the applied index never
     * decreases, and committed entries are the same on every replica, so the store already contains the snapshot.
     */
    public synchronized void loadSnapshot(Path dir) {
        Objects.requireNonNull(dir, "dir");
        openStore();
        if (!Files.isDirectory(dir)) {
            throw new SnapshotException("snapshot directory " + dir + " is missing");
        }
        SnapshotManifest manifest = SnapshotManifest.read(dir.resolve(SNAPSHOT_MANIFEST));
        Path source = dir.resolve(SNAPSHOT_DIR);
        if (!Files.isDirectory(source)) {
            throw new SnapshotException("snapshot checkpoint directory " + source + " is missing");
        }
        StoreFiles.requireSizes(manifest, source);
        if (manifest.appliedIndex() <= image.appliedIndex()) {
            StoreFiles.requireContents(manifest, source);
            return;
        }
        // 1. copy and verify, with the current store still live
        StoreFiles.stageRestore(dir, manifest, source, storeDir);
        // 2. swap: from here on a failure leaves this machine closed; the replica must halt
        store.close();
        store = null;
        StoreFiles.swapIn(storeDir);
        store = RouteStore.open(storeDir);
        RouteImage loaded = store.load();
        dedup = store.loadDedup();
        publish(loaded, image, Collections.emptySortedSet(), Collections.emptySortedSet(), true);
    }

    /**
     * Checks a snapshot directory written by {@link #saveSnapshot} without loading it: its manifest, and the size and
     * CRC32C of every file it names.
     *
     * @return the applied index the snapshot holds
     * @throws SnapshotException naming the first problem
     */
    public static long verifySnapshot(Path dir) {
        SnapshotManifest manifest = SnapshotManifest.read(dir.resolve(SNAPSHOT_MANIFEST));
        StoreFiles.requireContents(manifest, dir.resolve(SNAPSHOT_DIR));
        return manifest.appliedIndex();
    }

    /** The store's RocksDB basics, for metrics: all -1 once closed. */
    public record StoreStats(long estimatedKeys, long sstBytes, long memtableBytes, long liveDataBytes) {
    }

    public synchronized StoreStats storeStats() {
        if (store == null) {
            return new StoreStats(-1, -1, -1, -1);
        }
        return new StoreStats(store.longProperty("rocksdb.estimate-num-keys"),
                store.longProperty("rocksdb.total-sst-files-size"),
                store.longProperty("rocksdb.cur-size-all-mem-tables"),
                store.longProperty("rocksdb.estimate-live-data-size"));
    }

    // ---------------------------------------------------------------------------------------------- backups

    /**
     * A backup of the whole store at the current applied index ({@link BackupFile}), built in memory while applies
     * wait (the store is iterated under this machine's lock, so the copy is of one applied index).
     */
    public synchronized byte[] exportBackup(long term, String sourceNode, long createdAtMs) {
        BackupFile.Writer w = new BackupFile.Writer(image.appliedIndex(), term, sourceNode, createdAtMs);
        openStore().forEach(w::add);
        return w.finish();
    }

    /**
     * Creates a new store in {@code storeDir} from a backup file. The file is checked completely first (magic,
     * versions, every entry, SHA-256); the store is built next to {@code storeDir}, opened and checked (it must load,
     * with the backup's applied index), and only then renamed into place. Any problem throws
     * {@link SnapshotException} and leaves {@code storeDir} as it was.
     *
     * @throws SnapshotException also if {@code storeDir} exists and is not empty: restore never overwrites a store
     */
    public static BackupFile.Info restoreBackup(Path backup, Path storeDir) {
        return StoreFiles.restoreBackup(backup, storeDir);
    }

    /**
     * Opens an existing store read only, for offline inspection ({@code rns-admin inspect}); applying to it fails.
     *
     * @throws StateMachineException if there is no store at {@code storeDir} or it does not load
     */
    public static RouteStateMachine openReadOnly(Path storeDir) {
        Path dir = storeDir.toAbsolutePath().normalize();
        return loaded(dir, RouteStore.openReadOnly(dir));
    }

    /** RocksDB's block checksums of every SST file of the store; throws {@link StateMachineException} naming a bad one. */
    public synchronized void verifyStoreChecksums() {
        openStore().verifyChecksums();
    }

    /** How many broker tombstones the state machine keeps (for inspection). */
    public synchronized int tombstoneCount() {
        return dedup.tombstoneCount();
    }

    // ---------------------------------------------------------------------------------------------- diagnostics

    /**
     * SHA-256 over every key and value of the store, in key order: equal on replicas that applied the same log.
     */
    public synchronized String storeDigest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        forEachStoreEntry((k, v) -> {
            md.update(intBytes(k.length));
            md.update(k);
            md.update(intBytes(v.length));
            md.update(v);
        });
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] intBytes(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Every key and value of the store in key order. */
    synchronized void forEachStoreEntry(BiConsumer<byte[], byte[]> action) {
        openStore().forEach(action);
    }

    Path storeDir() {
        return storeDir;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private RouteStore openStore() {
        if (store == null) {
            throw new StateMachineException("state machine at " + storeDir + " is closed");
        }
        return store;
    }

    /**
     * Publishes the image, then calls every listener. A throwing listener does not stop the others; the first
     * exception is rethrown afterwards (the image is already published and durable).
     */
    private void publish(RouteImage next, RouteImage before, SortedSet<String> topics, SortedSet<String> brokerNames,
            boolean reset) {
        image = next;
        RuntimeException failure = null;
        for (Consumer<RouteImage> l : listeners) {
            failure = notify(l, next, failure);
        }
        if (!changeListeners.isEmpty()) {
            ImageChange change = new ImageChange(before, next, topics, brokerNames, reset);
            for (Consumer<ImageChange> l : changeListeners) {
                failure = notify(l, change, failure);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Calls one listener; returns the first failure so far, with this one's added. */
    private static <T> RuntimeException notify(Consumer<T> listener, T value, RuntimeException failure) {
        try {
            listener.accept(value);
            return failure;
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
            return failure;
        }
    }
}
