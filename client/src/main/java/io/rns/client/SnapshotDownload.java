package io.rns.client;

import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.SaveSnapshotRequest;
import io.rns.rpc.v1.SaveSnapshotResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Downloads a backup chunk by chunk from the node that started it, into {@code FILE.part} (fsynced), checks its size
 * and SHA-256 trailer against what the node announced, and only then renames it to {@code FILE}. A failure removes the
 * part file; {@code FILE} is never left half written and never overwritten.
 */
final class SnapshotDownload {
    private static final int DIGEST_BYTES = 32;

    private SnapshotDownload() {
    }

    static SavedSnapshot run(ClientEngine engine, Path file, CallOptions givenOptions) {
        CallOptions options = givenOptions == null ? CallOptions.DEFAULT : givenOptions;
        if (Files.exists(file)) {
            throw new UncheckedIOException("backup file " + file + " exists already; choose another name or remove it",
                    new FileAlreadyExistsException(file.toString()));
        }
        Path part = file.resolveSibling(file.getFileName() + ".part");
        MessageDigest sha = sha256();
        try {
            Files.deleteIfExists(part);
            Reply<SaveSnapshotResponse> first = engine.call(
                    RequestEnvelope.newBuilder().setSaveSnapshot(SaveSnapshotRequest.getDefaultInstance()), options,
                    true, ResponseEnvelope.BodyCase.SAVE_SNAPSHOT, ResponseEnvelope::getSaveSnapshot);
            SaveSnapshotResponse r = first.value();
            long total = r.getTotalBytes();
            if (total < DIGEST_BYTES) {
                throw bad(first, "announced " + total + " bytes, less than a backup's trailer");
            }
            CallOptions sameNode = options.withNode(first.meta().endpoint());
            byte[] tail = new byte[DIGEST_BYTES];
            long offset = 0;
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (true) {
                    if (r.getOffset() != offset || r.getTotalBytes() != total || r.getData().isEmpty()
                            || offset + r.getData().size() > total) {
                        throw bad(first,
                                "sent chunk at offset " + r.getOffset() + " (" + r.getData().size() + " bytes, total "
                                        + r.getTotalBytes() + ") when offset " + offset + " of " + total
                                        + " was expected");
                    }
                    byte[] data = r.getData().toByteArray();
                    out.write(ByteBuffer.wrap(data));
                    long contentEnd = total - DIGEST_BYTES;
                    int toDigest = (int) Math.max(0, Math.min(data.length, contentEnd - offset));
                    sha.update(data, 0, toDigest);
                    for (int i = toDigest; i < data.length; i++) {
                        tail[(int) (offset + i - contentEnd)] = data[i];
                    }
                    offset += data.length;
                    if (offset == total) {
                        break;
                    }
                    long transfer = r.getTransferId();
                    r = engine
                            .local(RequestEnvelope.newBuilder().setSaveSnapshot(
                                    SaveSnapshotRequest.newBuilder().setTransferId(transfer).setOffset(offset)),
                                    sameNode, ResponseEnvelope.BodyCase.SAVE_SNAPSHOT,
                                    ResponseEnvelope::getSaveSnapshot)
                            .value();
                }
                out.force(true);
            }
            byte[] computed = sha.digest();
            String hex = HexFormat.of().formatHex(computed);
            if (!Arrays.equals(computed, tail) || !hex.equals(r.getSha256())) {
                throw bad(first, "sent a backup whose SHA-256 does not match: computed " + hex + ", trailer "
                        + HexFormat.of().formatHex(tail) + ", announced " + r.getSha256());
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            return new SavedSnapshot(file, first.meta(), r.getAppliedIndex(), total, hex);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("cannot write backup file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    private static IllegalStateException bad(Reply<?> first, String what) {
        return new IllegalStateException(
                "node " + first.meta().nodeId() + " (" + first.meta().endpoint() + ") " + what);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the part file is named after the target and never read
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
