package io.rns.statemachine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rns.store.v1.BackupEntry;
import io.rns.store.v1.BackupHeader;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.BiConsumer;

/**
 * A backup of the state machine: one file holding every key and value of the store at one applied index (the
 * etcd {@code snapshot.db} of RNS). Layout: the line {@code RNSBACKUP\n}, a length-delimited {@link BackupHeader}, its
 * {@code entries} length-delimited {@link BackupEntry}s in key order, then the SHA-256 of every byte before it.
 * Independent of RocksDB's file format: a backup restores into any RNS that reads its store format version.
 *
 * <p>Reading checks everything before anything is used: the magic, the header's versions, every entry, the entry
 * count, the digest and that nothing follows it; any problem is a {@link SnapshotException} naming the file and what
 * is wrong with it (truncated, wrong checksum, other version, not a backup).
 */
public final class BackupFile {
    /** The backup file format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "RNSBACKUP\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;

    private BackupFile() {
    }

    /** What a backup file says about itself; {@code sha256} is the hex digest stored at its end. */
    public record Info(long appliedIndex, long term, String sourceNode, long createdAtMs, long entries, long bytes,
            String sha256) {
    }

    /** Builds a backup file's bytes (the store's entries must come in key order). */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final BackupHeader.Builder header;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private long entries;

        Writer(long appliedIndex, long term, String sourceNode, long createdAtMs) {
            header = BackupHeader.newBuilder().setFormatVersion(FORMAT_VERSION)
                    .setStoreFormatVersion(RouteStore.STORE_FORMAT_VERSION).setAppliedIndex(appliedIndex).setTerm(term)
                    .setSourceNode(sourceNode).setCreatedAtMs(createdAtMs);
        }

        void add(byte[] key, byte[] value) {
            try {
                BackupEntry.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)).build()
                        .writeDelimitedTo(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            entries++;
        }

        byte[] finish() {
            try {
                out.write(MAGIC);
                header.setEntries(entries).build().writeDelimitedTo(out);
                body.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] content = out.toByteArray();
            byte[] digest = sha256().digest(content);
            byte[] all = Arrays.copyOf(content, content.length + DIGEST_BYTES);
            System.arraycopy(digest, 0, all, content.length, DIGEST_BYTES);
            return all;
        }
    }

    /** Checks a whole backup file (see the class comment) and describes it. */
    public static Info verify(Path file) {
        return read(file, (k, v) -> {
        });
    }

    /** Checks a backup held in memory (a download before it is written to its file). */
    public static Info verify(byte[] bytes, String name) {
        try {
            return read(new ByteArrayInputStream(bytes), name, (k, v) -> {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a backup file, passing each entry to {@code sink} as it is read: a caller that must not act on a bad
     * file calls {@link #verify(Path)} first, or discards what the sink built when this throws.
     */
    static Info read(Path file, BiConsumer<byte[], byte[]> sink) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString(), sink);
        } catch (NoSuchFileException e) {
            throw new SnapshotException("backup file " + file + " does not exist");
        } catch (IOException e) {
            throw new SnapshotException("backup file " + file + " is unreadable: " + e, e);
        }
    }

    private static Info read(InputStream raw, String name, BiConsumer<byte[], byte[]> sink) throws IOException {
        CountingInput counted = new CountingInput(raw);
        MessageDigest sha = sha256();
        DigestInputStream in = new DigestInputStream(counted, sha);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw bad(name, "is not an RNS backup (it does not start with 'RNSBACKUP')");
        }
        BackupHeader h;
        try {
            h = BackupHeader.parseDelimitedFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw bad(name, "is truncated or corrupt in its header: " + e.getMessage());
        }
        if (h == null) {
            throw bad(name, "is truncated: it ends before its header");
        }
        if (h.getFormatVersion() != FORMAT_VERSION) {
            throw bad(name,
                    "has backup format version " + h.getFormatVersion() + "; this RNS reads version " + FORMAT_VERSION);
        }
        if (h.getStoreFormatVersion() != RouteStore.STORE_FORMAT_VERSION) {
            throw bad(name, "holds a store of format version " + h.getStoreFormatVersion() + "; this RNS reads version "
                    + RouteStore.STORE_FORMAT_VERSION);
        }
        for (long i = 0; i < h.getEntries(); i++) {
            BackupEntry e;
            try {
                e = BackupEntry.parseDelimitedFrom(in);
            } catch (InvalidProtocolBufferException ex) {
                throw bad(name, "is truncated or corrupt at entry " + (i + 1) + " of " + h.getEntries() + ": "
                        + ex.getMessage());
            }
            if (e == null) {
                throw bad(name, "is truncated: it ends after " + i + " of " + h.getEntries() + " entries");
            }
            if (e.getKey().isEmpty()) {
                throw bad(name, "has an empty key at entry " + (i + 1));
            }
            sink.accept(e.getKey().toByteArray(), e.getValue().toByteArray());
        }
        byte[] computed = sha.digest();
        in.on(false);
        byte[] stored = in.readNBytes(DIGEST_BYTES);
        if (stored.length != DIGEST_BYTES) {
            throw bad(name, "is truncated: its SHA-256 trailer is missing or cut (" + stored.length + " of "
                    + DIGEST_BYTES + " bytes)");
        }
        if (!Arrays.equals(stored, computed)) {
            throw bad(name, "fails its checksum: SHA-256 stored " + HexFormat.of().formatHex(stored) + ", computed "
                    + HexFormat.of().formatHex(computed));
        }
        if (in.read() != -1) {
            throw bad(name, "has bytes after its SHA-256 trailer");
        }
        return new Info(h.getAppliedIndex(), h.getTerm(), h.getSourceNode(), h.getCreatedAtMs(), h.getEntries(),
                counted.count, HexFormat.of().formatHex(stored));
    }

    private static SnapshotException bad(String name, String what) {
        return new SnapshotException("backup file " + name + " " + what);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
