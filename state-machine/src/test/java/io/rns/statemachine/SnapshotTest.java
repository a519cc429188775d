package io.rns.statemachine;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.rns.statemachine.Records.putKv;
import static io.rns.statemachine.Records.register;
import static io.rns.statemachine.Records.topic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotTest {
    @TempDir
    Path tmp;

    private List<LogEntry> log;

    @BeforeEach
    void makeLog() {
        log = RandomLog.generate(42, 400); // fixed seed 42
    }

    private RouteStateMachine source(int entries) {
        RouteStateMachine sm = RouteStateMachine.open(tmp.resolve("source"));
        sm.applyBatch(log.subList(0, entries));
        return sm;
    }

    /** A target that already has some state of its own, at a lower index. */
    private RouteStateMachine target() {
        RouteStateMachine sm = RouteStateMachine.open(tmp.resolve("target"));
        sm.apply(new LogEntry(1, register("cX", "bX", 0, "10.1.1.1:10911", topic("TX"))));
        sm.apply(new LogEntry(2, putKv("ns", "target", "yes")));
        return sm;
    }

    @Test
    void saveThenLoadGivesTheSameImageAndStore() throws IOException {
        try (RouteStateMachine src = source(300); RouteStateMachine dst = target()) {
            Path snap = tmp.resolve("snap");
            List<String> files = src.saveSnapshot(snap);
            assertEquals(RouteStateMachine.SNAPSHOT_MANIFEST, files.get(0));
            assertTrue(files.size() > 2, files.toString());
            for (String f : files) {
                assertTrue(Files.isRegularFile(snap.resolve(f)), f);
                assertFalse(Path.of(f).isAbsolute(), f);
            }
            assertTrue(files.stream().anyMatch(f -> f.equals("sm/CURRENT")), files.toString());
            // every regular file under snap is registered
            try (Stream<Path> all = Files.walk(snap)) {
                assertEquals(files.size(), all.filter(Files::isRegularFile).count());
            }

            List<Long> published = new ArrayList<>();
            dst.addImageListener(img -> published.add(img.appliedIndex()));
            dst.loadSnapshot(snap);
            assertEquals(src.image(), dst.image());
            assertEquals(Records.storeContents(src), Records.storeContents(dst));
            assertEquals(src.storeDigest(), dst.storeDigest());
            assertEquals(List.of(src.appliedIndex()), published);
            assertTrue(dst.image().kv("ns", "target").isEmpty(), "the target's own state is replaced");
            assertFalse(Files.exists(tmp.resolve("target.restore-tmp")));
            assertFalse(Files.exists(tmp.resolve("target.restore-old")));

            // both continue identically
            List<LogEntry> rest = log.subList(300, log.size());
            assertEquals(src.applyBatch(rest), dst.applyBatch(rest));
            assertEquals(src.image(), dst.image());
            assertEquals(Records.storeContents(src), Records.storeContents(dst));

            // the snapshot still reflects the moment it was taken: load it into a third machine
            try (RouteStateMachine third = RouteStateMachine.open(tmp.resolve("third"))) {
                third.loadSnapshot(snap);
                assertEquals(log.get(299).index(), third.appliedIndex());
                third.applyBatch(rest);
                assertEquals(src.image(), third.image());
            }
        }
        // the loaded store survives a reopen
        try (RouteStateMachine dst = RouteStateMachine.open(tmp.resolve("target"));
                RouteStateMachine src = RouteStateMachine.open(tmp.resolve("source"))) {
            assertEquals(src.image(), dst.image());
        }
    }

    /** Snapshots {@code src} (at entry 100) into tmp/snap, then applies entries 100..199; returns the snapshot dir. */
    private Path snapshotThenApplyMore(RouteStateMachine src) {
        Path snap = tmp.resolve("snap");
        src.saveSnapshot(snap);
        src.applyBatch(log.subList(100, 200));
        return snap;
    }

    @Test
    void snapshotIntoADirectoryThatHoldsAnOldSnapshot() {
        try (RouteStateMachine src = source(100)) {
            Path snap = snapshotThenApplyMore(src);
            List<String> files = src.saveSnapshot(snap);
            try (RouteStateMachine dst = RouteStateMachine.open(tmp.resolve("t"))) {
                dst.loadSnapshot(snap);
                assertEquals(src.image(), dst.image());
            }
            assertTrue(files.size() > 2);
        }
    }

    @Test
    void olderSnapshotThanTheStoreKeepsTheStore() {
        try (RouteStateMachine src = source(100)) {
            Path snap = snapshotThenApplyMore(src);
            RouteImage ahead = src.image();
            src.loadSnapshot(snap); // restart case: store already ahead of the last Raft snapshot
            assertSame(ahead, src.image());
            // but a damaged older snapshot is still reported
            flipByteInLargestFile(snap);
            assertThrows(SnapshotException.class, () -> src.loadSnapshot(snap));
            assertSame(ahead, src.image());
        }
    }

    /** Damage done to a saved snapshot directory. */
    @FunctionalInterface
    private interface Damage {
        void apply(Path snapshotDir) throws IOException;
    }

    private void assertLoadFailsAndTargetIsUntouched(Damage damage, String messageFragment) {
        Path snap = tmp.resolve("snap");
        try (RouteStateMachine src = source(300)) {
            src.saveSnapshot(snap);
        }
        try {
            damage.apply(snap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RouteStateMachine dst = target()) {
            RouteImage before = dst.image();
            var storeBefore = Records.storeContents(dst);
            SnapshotException e = assertThrows(SnapshotException.class, () -> dst.loadSnapshot(snap));
            assertTrue(e.getMessage().contains(messageFragment), e.getMessage());
            assertSame(before, dst.image());
            assertEquals(storeBefore, Records.storeContents(dst));
            assertFalse(Files.exists(tmp.resolve("target.restore-tmp")), "temp copy removed");
            // still live
            assertTrue(dst.apply(new LogEntry(3, putKv("ns", "after", "1"))) instanceof ApplyResult.Applied);
            assertEquals(3, dst.appliedIndex());
        }
        try (RouteStateMachine dst = RouteStateMachine.open(tmp.resolve("target"))) {
            assertEquals("1", dst.image().kv("ns", "after").orElseThrow());
            assertEquals("yes", dst.image().kv("ns", "target").orElseThrow());
        }
    }

    @Test
    void missingDirectory() {
        assertLoadFailsAndTargetIsUntouched(snap -> delete(snap), "is missing");
    }

    @Test
    void missingCheckpointDirectory() {
        assertLoadFailsAndTargetIsUntouched(snap -> delete(snap.resolve(RouteStateMachine.SNAPSHOT_DIR)), "is missing");
    }

    @Test
    void missingManifest() {
        assertLoadFailsAndTargetIsUntouched(snap -> delete(snap.resolve(RouteStateMachine.SNAPSHOT_MANIFEST)),
                "manifest");
    }

    @Test
    void deletedFile() {
        assertLoadFailsAndTargetIsUntouched(snap -> delete(largestFile(snap)), "is missing");
    }

    @Test
    void deletedCurrentFile() {
        assertLoadFailsAndTargetIsUntouched(snap -> delete(snap.resolve("sm/CURRENT")), "CURRENT is missing");
    }

    @Test
    void flippedByte() {
        assertLoadFailsAndTargetIsUntouched(SnapshotTest::flipByteInLargestFile, "CRC32C");
    }

    @Test
    void truncatedFile() {
        assertLoadFailsAndTargetIsUntouched(snap -> truncate(largestFile(snap), 1), "size");
    }

    @Test
    void truncatedManifest() {
        assertLoadFailsAndTargetIsUntouched(snap -> truncate(snap.resolve(RouteStateMachine.SNAPSHOT_MANIFEST), 10),
                "manifest");
    }

    @Test
    void manifestCutAtALineBoundary() {
        assertLoadFailsAndTargetIsUntouched(snap -> {
            Path m = snap.resolve(RouteStateMachine.SNAPSHOT_MANIFEST);
            List<String> lines = Files.readAllLines(m);
            Files.write(m, lines.subList(0, lines.size() - 1));
        }, "manifest");
    }

    @Test
    void editedManifest() {
        assertLoadFailsAndTargetIsUntouched(snap -> {
            Path m = snap.resolve(RouteStateMachine.SNAPSHOT_MANIFEST);
            String s = Files.readString(m);
            Files.writeString(m, s.replaceFirst("applied_index (\\d+)", "applied_index 999999"));
        }, "checksum mismatch");
    }

    @Test
    void garbageManifest() {
        assertLoadFailsAndTargetIsUntouched(snap -> {
            Files.writeString(snap.resolve(RouteStateMachine.SNAPSHOT_MANIFEST), "hello\n");
        }, "manifest");
    }

    @Test
    void interruptedSwapIsFinishedOnOpen() throws IOException {
        // simulate a crash between "move store away" and "move restored copy in"
        Path snap = tmp.resolve("snap");
        RouteImage expected;
        try (RouteStateMachine src = source(200)) {
            src.saveSnapshot(snap);
            expected = src.image();
        }
        try (RouteStateMachine dst = target()) {
            dst.loadSnapshot(snap);
        }
        Path store = tmp.resolve("target");
        Path ready = tmp.resolve("target.restore-tmp");
        Files.move(store, ready);
        Files.createFile(ready.resolve("RNS_RESTORE_READY"));
        Files.createDirectories(tmp.resolve("target.restore-old"));
        try (RouteStateMachine dst = RouteStateMachine.open(store)) {
            assertEquals(expected, dst.image());
        }
        assertFalse(Files.exists(ready));
        assertFalse(Files.exists(tmp.resolve("target.restore-old")));
    }

    // ---------------------------------------------------------------------------------------------- damage

    private static Path largestFile(Path snap) {
        try (Stream<Path> s = Files.list(snap.resolve(RouteStateMachine.SNAPSHOT_DIR))) {
            return s.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void flipByteInLargestFile(Path snap) {
        Path f = largestFile(snap);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            long pos = raf.length() / 2;
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x01);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void truncate(Path f, int bytes) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - bytes);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static void delete(Path p) {
        try {
            StoreFiles.deleteRecursively(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
