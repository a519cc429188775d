package io.rns.chaos.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** What every frame source shares: hostile strings and numbers, and the byte-level mutations of a good frame. */
final class Frames {
    private static final String[] ODD = {"", " ", "..", "/", "%", "\u0000", "\n", "é", "\uD83D\uDE00", "a b", "TBW102",
            "DefaultCluster", "broker-a", "%RETRY%x", "rmq_sys_x", "\\", "\"", "'", "{", "<script>"};

    private Frames() {
    }

    /** A name: usually short and plausible, sometimes empty, huge, control characters or odd unicode. */
    static String name(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> ODD[rnd.nextInt(ODD.length)];
            case 1 -> "x".repeat(rnd.nextInt(4) == 0 ? 100_000 : 256 + rnd.nextInt(300));
            case 2 -> randomChars(rnd, 1 + rnd.nextInt(40));
            default -> "fuzz-" + rnd.nextInt(50);
        };
    }

    static String randomChars(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (rnd.nextBoolean() ? rnd.nextInt(128) : rnd.nextInt(0xD7FF)));
        }
        return sb.toString();
    }

    /** A number: usually small, sometimes an edge (0, -1, min, max). */
    static long number(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MAX_VALUE;
            case 3 -> Long.MIN_VALUE;
            case 4 -> Integer.MAX_VALUE;
            default -> rnd.nextInt(1000);
        };
    }

    static int smallInt(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> -1;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> 0;
            default -> rnd.nextInt(64);
        };
    }

    /** Random bytes. */
    static byte[] noise(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /**
     * A byte-level mutation of a well-formed frame whose first 4 bytes are a big-endian length: flipped bits, a cut,
     * a wrong length (zero, negative, larger than the body, above any maximum), garbage appended, or pure noise.
     */
    static byte[] mutate(byte[] good, Random rnd) {
        byte[] b = good.clone();
        switch (rnd.nextInt(8)) {
            case 0 -> { // flip bits in the body
                for (int i = 0, n = 1 + rnd.nextInt(8); i < n && b.length > 4; i++) {
                    b[4 + rnd.nextInt(b.length - 4)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // cut
            case 2 -> ByteBuffer.wrap(b).putInt(0);
            case 3 -> ByteBuffer.wrap(b).putInt(-1 - rnd.nextInt(1000));
            case 4 -> ByteBuffer.wrap(b).putInt(b.length + rnd.nextInt(1 << 20)); // more than follows
            case 5 -> ByteBuffer.wrap(b).putInt(Integer.MAX_VALUE - rnd.nextInt(100)); // far above the maximum
            case 6 -> { // garbage after the frame
                byte[] tail = noise(rnd, 1 + rnd.nextInt(64));
                b = Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, b, good.length, tail.length);
            }
            default -> b = noise(rnd, 1 + rnd.nextInt(256));
        }
        return b;
    }

    /** A 4-byte big-endian length followed by {@code body}. */
    static byte[] lengthPrefixed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
