package io.rns.compat.register;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The bounds of a compressed (zlib) REGISTER_BROKER body, checked before RocketMQ's own decoder sees it. That decoder
 * reads length prefixes from the inflated stream and allocates {@code new byte[length]} before reading, so a body of
 * a few bytes announcing a 2 GiB section makes it allocate 2 GiB, and a zlib bomb inflates without limit. Here the
 * body is inflated into at most {@code maxInflatedBytes}, then its layout is walked (as the broker writes it: data
 * version, topic configs, filter servers, and from 5.0 on topic queue mappings, each an int length and that many
 * bytes) and every length and count is checked against what is left. A body that passes can be decoded with no
 * allocation larger than the inflated body.
 */
final class CompressedBody {
    private CompressedBody() {
    }

    /**
     * Inflates {@code body} and checks its layout for a broker of the given generation; throws an IOException that
     * names the problem (over the limit, truncated, a length or count that does not fit).
     */
    static void check(byte[] body, int maxInflatedBytes, boolean withQueueMappings) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(inflate(body, maxInflatedBytes));
        section(in, "data version");
        int topics = count(in, "topic config");
        for (int i = 0; i < topics; i++) {
            section(in, "topic config " + i);
        }
        section(in, "filter server list");
        if (withQueueMappings) {
            int mappings = count(in, "topic queue mapping");
            for (int i = 0; i < mappings; i++) {
                section(in, "topic queue mapping " + i);
            }
        }
    }

    /** zlib-inflates {@code body}, refusing to produce more than {@code max} bytes. */
    static byte[] inflate(byte[] body, int max) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, Math.max(64, body.length * 4)));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new IOException(
                                "compressed REGISTER_BROKER body is truncated (the zlib stream ends after "
                                        + body.length + " bytes without its end marker)");
                    }
                    continue;
                }
                if (out.size() + n > max) {
                    throw new IOException("compressed REGISTER_BROKER body inflates to more than "
                            + "rocketmq.max-inflated-body-bytes (" + max + " bytes; " + body.length + " compressed)");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("compressed REGISTER_BROKER body is not a valid zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** An int length, then that many bytes: the length must fit in what is left. */
    private static void section(ByteBuffer in, String what) throws IOException {
        int len = readInt(in, what + " length");
        if (len < 0 || len > in.remaining()) {
            throw new IOException("compressed REGISTER_BROKER body: " + what + " has length " + len + " but only "
                    + in.remaining() + " bytes are left");
        }
        in.position(in.position() + len);
    }

    /** An int count of sections that follow; each takes at least its 4-byte length. */
    private static int count(ByteBuffer in, String what) throws IOException {
        int n = readInt(in, what + " count");
        if (n < 0 || n > in.remaining() / 4) {
            throw new IOException("compressed REGISTER_BROKER body: " + what + " count " + n + " cannot fit in the "
                    + in.remaining() + " bytes left");
        }
        return n;
    }

    private static int readInt(ByteBuffer in, String what) throws IOException {
        if (in.remaining() < 4) {
            throw new IOException("compressed REGISTER_BROKER body ends before the " + what);
        }
        return in.getInt();
    }
}
