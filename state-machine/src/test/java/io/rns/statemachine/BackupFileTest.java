package io.rns.statemachine;

import io.rns.store.v1.BackupHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupFileTest {
    @TempDir
    Path tmp;

    private static final long SEED = 7; // RandomLog seed; fixed

    private RouteStateMachine source() {
        System.out.println("BackupFileTest: RandomLog seed " + SEED);
        RouteStateMachine sm = RouteStateMachine.open(tmp.resolve("source"));
        List<LogEntry> log = RandomLog.generate(SEED, 300);
        sm.applyBatch(log);
        return sm;
    }

    @Test
    void exportThenRestoreGivesTheSameStoreAndImage() throws IOException {
        try (RouteStateMachine src = source()) {
            byte[] backup = src.exportBackup(4, "n2", 1_700_000_000_000L);
            Path file = tmp.resolve("b.rnsbak");
            Files.write(file, backup);
            BackupFile.Info info = BackupFile.verify(file);
            assertEquals(src.appliedIndex(), info.appliedIndex());
            assertEquals(4, info.term());
            assertEquals("n2", info.sourceNode());
            assertEquals(backup.length, info.bytes());
            assertEquals(Records.storeContents(src).size(), info.entries());

            Path restored = tmp.resolve("restored/state");
            assertEquals(info, RouteStateMachine.restoreBackup(file, restored));
            try (RouteStateMachine dst = RouteStateMachine.open(restored)) {
                assertEquals(src.image(), dst.image());
                assertEquals(src.storeDigest(), dst.storeDigest());
                assertEquals(src.sessionCount(), dst.sessionCount());
                assertEquals(src.tombstoneCount(), dst.tombstoneCount());
            }
            assertFalse(Files.exists(tmp.resolve("restored/state.restore-tmp")));
        }
    }

    @Test
    void restoreRefusesANonEmptyTargetAndChangesNothing() throws IOException {
        try (RouteStateMachine src = source()) {
            Path file = tmp.resolve("b.rnsbak");
            Files.write(file, src.exportBackup(1, "n1", 0));
            Path target = tmp.resolve("t");
            Files.createDirectories(target);
            Files.writeString(target.resolve("keep"), "x");
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> RouteStateMachine.restoreBackup(file, target));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            assertEquals(List.of(target.resolve("keep")), list(target));
        }
    }

    @Test
    void badFilesAreRefusedByNameAndRestoreLeavesNothing() throws Exception {
        byte[] good;
        try (RouteStateMachine src = source()) {
            good = src.exportBackup(1, "n1", 0);
        }
        assertBad(Arrays.copyOf(good, good.length - 10), "truncated");
        assertBad(Arrays.copyOf(good, good.length / 2), "truncated");
        assertBad(Arrays.copyOf(good, 5), "is not an RNS backup");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x01;
        assertBad(flipped, "");
        byte[] trailer = good.clone();
        trailer[good.length - 1] ^= 0x01;
        assertBad(trailer, "fails its checksum");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertBad(longer, "bytes after its SHA-256 trailer");
        assertBad("hello world, not a backup".getBytes(StandardCharsets.UTF_8), "is not an RNS backup");
        assertBad(new byte[0], "is not an RNS backup");
        assertBad(withHeader(BackupHeader.newBuilder().setFormatVersion(2).setStoreFormatVersion(1).build()),
                "backup format version 2");
        assertBad(withHeader(BackupHeader.newBuilder().setFormatVersion(1).setStoreFormatVersion(9).build()),
                "store of format version 9");
    }

    /** A file with a well-formed trailer around this header and no entries. */
    private static byte[] withHeader(BackupHeader h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("RNSBACKUP\n".getBytes(StandardCharsets.US_ASCII));
        h.writeDelimitedTo(out);
        out.write(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        return out.toByteArray();
    }

    private void assertBad(byte[] content, String expected) throws IOException {
        Path file = Files.createTempFile(tmp, "bad", ".rnsbak");
        Files.write(file, content);
        SnapshotException e = assertThrows(SnapshotException.class, () -> BackupFile.verify(file));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
        Path target = tmp.resolve("target-" + file.getFileName());
        assertThrows(SnapshotException.class, () -> RouteStateMachine.restoreBackup(file, target));
        assertFalse(Files.exists(target), "a refused restore creates nothing");
        assertFalse(Files.exists(tmp.resolve(target.getFileName() + ".restore-tmp")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
