package io.rns.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The manifest written next to a snapshot's checkpoint directory: the applied index and, for each checkpoint file,
 * its size and CRC32C. The last line carries a CRC32C of everything before it, so a truncated or edited manifest is
 * detected. Text format:
 * <pre>
 * rns-sm-snapshot 1
 * applied_index 1234
 * file 000012.sst 4096 1a2b3c4d
 * ...
 * end 5 9f8e7d6c
 * </pre>
 */
record SnapshotManifest(long appliedIndex, List<FileEntry> files) {
    static final String HEADER = "rns-sm-snapshot 1";

    /** One file of the checkpoint, by its name relative to the checkpoint directory ('/' separated). */
    record FileEntry(String name, long size, long crc32c) {
    }

    SnapshotManifest {
        files = List.copyOf(files);
    }

    byte[] encode() {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("applied_index ").append(appliedIndex).append('\n');
        for (FileEntry f : files) {
            sb.append("file ").append(f.name()).append(' ').append(f.size()).append(' ')
                    .append(Long.toHexString(f.crc32c())).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        String end = "end " + files.size() + " " + Long.toHexString(crc.getValue()) + "\n";
        byte[] tail = end.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + tail.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    /** Writes the manifest durably and atomically (temp file, fsync, rename). */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(encode()));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static SnapshotManifest read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotException("snapshot manifest " + file + " is missing");
        } catch (IOException e) {
            throw new SnapshotException("snapshot manifest " + file + " is unreadable: " + e, e);
        }
        return parse(file, all);
    }

    static SnapshotManifest parse(Path file, byte[] all) {
        // find the last line (the "end" line), which must be terminated by '\n'
        if (all.length == 0 || all[all.length - 1] != '\n') {
            throw bad(file, "truncated (no terminated end line)");
        }
        int lastStart = all.length - 1;
        while (lastStart > 0 && all[lastStart - 1] != '\n') {
            lastStart--;
        }
        String endLine = new String(all, lastStart, all.length - 1 - lastStart, StandardCharsets.UTF_8);
        String[] end = endLine.split(" ");
        if (end.length != 3 || !end[0].equals("end")) {
            throw bad(file, "truncated (last line is not an end line: '" + endLine + "')");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, lastStart);
        long expectedCrc = parseHex(file, end[2]);
        if (crc.getValue() != expectedCrc) {
            throw bad(file,
                    "checksum mismatch (expected " + end[2] + ", got " + Long.toHexString(crc.getValue()) + ")");
        }
        String body = new String(all, 0, lastStart, StandardCharsets.UTF_8);
        String[] lines = body.split("\n", -1);
        // body ends with '\n', so the last split element is empty
        if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[lines.length - 1].isEmpty()) {
            throw bad(file, "missing header '" + HEADER + "'");
        }
        String[] applied = lines[1].split(" ");
        if (applied.length != 2 || !applied[0].equals("applied_index")) {
            throw bad(file, "second line must be 'applied_index N', got '" + lines[1] + "'");
        }
        long appliedIndex = parseLong(file, applied[1]);
        List<FileEntry> files = new ArrayList<>();
        for (int i = 2; i < lines.length - 1; i++) {
            String[] f = lines[i].split(" ");
            if (f.length != 4 || !f[0].equals("file")) {
                throw bad(file, "line " + (i + 1) + " is not 'file NAME SIZE CRC': '" + lines[i] + "'");
            }
            checkName(file, f[1]);
            files.add(new FileEntry(f[1], parseLong(file, f[2]), parseHex(file, f[3])));
        }
        if (files.size() != parseLong(file, end[1])) {
            throw bad(file, "end line says " + end[1] + " files, found " + files.size());
        }
        return new SnapshotManifest(appliedIndex, Collections.unmodifiableList(files));
    }

    private static void checkName(Path file, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\")) {
            throw bad(file, "invalid file name '" + name + "'");
        }
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw bad(file, "invalid file name '" + name + "'");
            }
        }
    }

    private static long parseLong(Path file, String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw bad(file, "negative number " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(file, "not a number: '" + s + "'");
        }
    }

    private static long parseHex(Path file, String s) {
        try {
            return Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            throw bad(file, "not a hex checksum: '" + s + "'");
        }
    }

    private static SnapshotException bad(Path file, String what) {
        return new SnapshotException("snapshot manifest " + file + " is unreadable: " + what);
    }

    /** Size and CRC32C of a file. */
    static FileEntry describe(String name, Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                size += n;
            }
        }
        return new FileEntry(name, size, crc.getValue());
    }

    /** Copies {@code src} to {@code dst} (fsynced), returning the size and CRC32C of the bytes copied. */
    static FileEntry copy(String name, Path src, Path dst) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        Files.createDirectories(dst.getParent());
        try (InputStream in = Files.newInputStream(src);
                FileChannel ch = FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
            out.flush();
            ch.force(true);
        }
        return new FileEntry(name, size, crc.getValue());
    }
}
