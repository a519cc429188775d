package io.rns.statemachine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files behind {@link RouteStateMachine}'s snapshots, restores and backups: checking a snapshot against its
 * manifest, building a verified copy next to the store, swapping it in, finishing or undoing a swap a crash
 * interrupted, and seeding a new store from a backup file. No state; every method is a step on directories.
 *
 * <p>A restore copy is built in {@code STORE.restore-tmp} and marked complete by a {@code RNS_RESTORE_READY} file;
 * the swap moves the store to {@code STORE.restore-old}, the copy into place, then removes the old store.
 */
final class StoreFiles {
    private static final String RESTORE_TMP_SUFFIX = ".restore-tmp";
    private static final String RESTORE_OLD_SUFFIX = ".restore-old";
    private static final String RESTORE_READY = "RNS_RESTORE_READY";

    private StoreFiles() {
    }

    /** Every file the manifest names is in {@code source} with the manifest's size: a cheap first check. */
    static void requireSizes(SnapshotManifest manifest, Path source) {
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            Path p = requireFile(source, f);
            try {
                long size = Files.size(p);
                if (size != f.size()) {
                    throw new SnapshotException(
                            "snapshot file " + p + " has size " + size + ", manifest says " + f.size());
                }
            } catch (IOException e) {
                throw unreadable(p, e);
            }
        }
    }

    /** Every file the manifest names is in {@code source} with the manifest's size and CRC32C. */
    static void requireContents(SnapshotManifest manifest, Path source) {
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            Path p = requireFile(source, f);
            try {
                checkSame(p, f, SnapshotManifest.describe(f.name(), p));
            } catch (IOException e) {
                throw unreadable(p, e);
            }
        }
    }

    /**
     * Copies the snapshot's files next to {@code storeDir}, checking each against the manifest as it is copied, opens
     * the copy as a store (it must hold the manifest's applied index) and marks it complete. The live store is not
     * touched; on any failure the copy is removed and a {@link SnapshotException} thrown. {@link #swapIn} moves it in.
     */
    static void stageRestore(Path snapshotDir, SnapshotManifest manifest, Path source, Path storeDir) {
        Path tmp = sibling(storeDir, RESTORE_TMP_SUFFIX);
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            for (SnapshotManifest.FileEntry f : manifest.files()) {
                Path src = source.resolve(f.name());
                checkSame(src, f, SnapshotManifest.copy(f.name(), src, tmp.resolve(f.name())));
            }
            try (RouteStore probe = RouteStore.open(tmp)) {
                long idx = probe.load().appliedIndex();
                if (idx != manifest.appliedIndex()) {
                    throw new SnapshotException("snapshot in " + snapshotDir + " holds applied index " + idx
                            + ", manifest says " + manifest.appliedIndex());
                }
            } catch (SnapshotException e) {
                throw e;
            } catch (StateMachineException e) {
                throw new SnapshotException(
                        "snapshot in " + snapshotDir + " does not open as a store: " + e.getMessage(), e);
            }
            Files.createFile(tmp.resolve(RESTORE_READY));
            fsyncDir(tmp);
        } catch (IOException | RuntimeException e) {
            throw discarding(tmp, e, "cannot load snapshot from " + snapshotDir);
        }
    }

    /**
     * Replaces {@code storeDir} (closed by the caller) with the copy {@link #stageRestore} made. A failure here leaves
     * no usable store in place until {@link #recoverInterruptedRestore} runs: it throws
     * {@link StateMachineException}, and the replica must halt.
     */
    static void swapIn(Path storeDir) {
        Path tmp = sibling(storeDir, RESTORE_TMP_SUFFIX);
        Path old = sibling(storeDir, RESTORE_OLD_SUFFIX);
        try {
            deleteRecursively(old);
            Files.move(storeDir, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, storeDir, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(storeDir.getParent());
            Files.delete(storeDir.resolve(RESTORE_READY));
            deleteRecursively(old);
        } catch (IOException | UncheckedIOException e) {
            throw new StateMachineException("snapshot swap into " + storeDir + " failed; state machine closed: " + e,
                    e);
        }
    }

    /**
     * After a crash during {@link #swapIn}: if the store directory is gone but a complete restore copy exists, finish
     * the swap; if neither, put the old store back. Leftovers are removed.
     */
    static void recoverInterruptedRestore(Path dir) throws IOException {
        Path tmp = sibling(dir, RESTORE_TMP_SUFFIX);
        Path old = sibling(dir, RESTORE_OLD_SUFFIX);
        if (!Files.exists(dir)) {
            if (Files.exists(tmp.resolve(RESTORE_READY))) {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                Files.delete(dir.resolve(RESTORE_READY));
            } else if (Files.exists(old)) {
                Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteRecursively(tmp);
        deleteRecursively(old);
    }

    /** See {@link RouteStateMachine#restoreBackup}. */
    static BackupFile.Info restoreBackup(Path backup, Path storeDir) {
        Path dir = storeDir.toAbsolutePath().normalize();
        requireEmpty(dir);
        BackupFile.Info info = BackupFile.verify(backup);
        Path tmp = sibling(dir, RESTORE_TMP_SUFFIX);
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            List<byte[][]> entries = new ArrayList<>();
            BackupFile.read(backup, (k, v) -> entries.add(new byte[][]{k, v}));
            try (RouteStore s = RouteStore.open(tmp)) {
                s.putAll(entries);
                long idx = s.load().appliedIndex();
                s.loadDedup();
                if (idx != info.appliedIndex()) {
                    throw new SnapshotException("backup file " + backup + " says applied index " + info.appliedIndex()
                            + " but its entries hold " + idx);
                }
            } catch (StateMachineException e) {
                throw new SnapshotException("backup file " + backup + " does not load as a store: " + e.getMessage(),
                        e);
            }
            fsyncDir(tmp);
            if (Files.exists(dir)) {
                Files.delete(dir); // empty, checked above
            }
            Files.createDirectories(dir.getParent());
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            fsyncDir(dir.getParent());
            return info;
        } catch (IOException | RuntimeException e) {
            throw discarding(tmp, e, "cannot restore " + backup + " into " + dir);
        }
    }

    /** The regular files below {@code root}, as sorted '/'-separated relative names. */
    static List<String> listFiles(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(File.separatorChar, '/'))
                    .sorted().forEach(names::add);
        }
        return names;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            // some file systems do not allow fsync on a directory; the rename itself is still atomic
        }
    }

    private static Path requireFile(Path source, SnapshotManifest.FileEntry f) {
        Path p = source.resolve(f.name());
        if (!Files.isRegularFile(p)) {
            throw new SnapshotException("snapshot file " + p + " is missing");
        }
        return p;
    }

    private static SnapshotException unreadable(Path p, IOException e) {
        return new SnapshotException("snapshot file " + p + " is unreadable: " + e, e);
    }

    private static void checkSame(Path file, SnapshotManifest.FileEntry expected, SnapshotManifest.FileEntry actual) {
        if (actual.size() != expected.size()) {
            throw new SnapshotException(
                    "snapshot file " + file + " has size " + actual.size() + ", manifest says " + expected.size());
        }
        if (actual.crc32c() != expected.crc32c()) {
            throw new SnapshotException("snapshot file " + file + " has CRC32C " + Long.toHexString(actual.crc32c())
                    + ", manifest says " + Long.toHexString(expected.crc32c()));
        }
    }

    /**
     * After a failed restore or snapshot load: removes the half-built copy {@code tmp} and returns the failure as a
     * SnapshotException ({@code e} itself if it is one; otherwise wrapped, prefixed by {@code what}).
     */
    private static SnapshotException discarding(Path tmp, Exception e, String what) {
        try {
            deleteRecursively(tmp);
        } catch (IOException | UncheckedIOException suppressed) {
            e.addSuppressed(suppressed);
        }
        return e instanceof SnapshotException se ? se : new SnapshotException(what + ": " + e, e);
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> list = Files.list(dir)) {
            if (list.findAny().isPresent()) {
                throw new SnapshotException("refusing to restore into " + dir
                        + ": it is not empty (restore seeds a new member; move the old data dir away first)");
            }
        } catch (IOException e) {
            throw new SnapshotException("cannot read " + dir + ": " + e, e);
        }
    }

    private static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }
}
