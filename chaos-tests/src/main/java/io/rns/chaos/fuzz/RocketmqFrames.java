package io.rns.chaos.fuzz;

import com.google.gson.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Frames for the RocketMQ remoting port: {@code [total length][serialize type + header length][header][body]} with
 * a JSON header naming every request code RNS serves (and random ones), random and missing ext fields, odd flags,
 * broken JSON, wrong length fields, zlib bombs as compressed REGISTER_BROKER bodies, and byte-level mutations.
 */
final class RocketmqFrames implements FrameSource {
    /** The codes RNS serves (register/unregister/heartbeat/data version, routes, topics, KV, perms, config). */
    private static final int[] CODES = {103, 104, 322, 904, 105, 106, 304, 901, 206, 224, 311, 312, 313, 100, 101, 102,
            219, 205, 327, 217, 216, 319, 318};
    private static final String[] EXT_KEYS = {"topic", "brokerName", "brokerId", "brokerAddr", "clusterName",
            "haServerAddr", "namespace", "key", "value", "compressed", "bodyCrc32", "cluster", "enableActingMaster",
            "heartbeatTimeoutMillis", "brokerNames", "readQueueNums", "writeQueueNums", "perm", "timeoutMillis"};
    private static final byte[] BOMB = bomb();

    /** 64 MiB of zeros, deflated (about 64 KiB): inflating it must be refused before it is allocated. */
    private static byte[] bomb() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    @Override
    public byte[] next(Random rnd) {
        int kind = rnd.nextInt(20);
        if (kind < 12) {
            return frame(rnd, header(rnd).toString(), body(rnd));
        }
        if (kind < 17) {
            return Frames.mutate(frame(rnd, header(rnd).toString(), body(rnd)), rnd);
        }
        if (kind < 19) { // broken JSON in a well-formed frame
            String json = header(rnd).toString();
            return frame(rnd, json.substring(0, rnd.nextInt(json.length())), new byte[0]);
        }
        return Frames.noise(rnd, 1 + rnd.nextInt(64));
    }

    private static JsonObject header(Random rnd) {
        JsonObject h = new JsonObject();
        h.addProperty("code", rnd.nextInt(10) == 0 ? rnd.nextInt(100_000) - 10 : CODES[rnd.nextInt(CODES.length)]);
        h.addProperty("language", rnd.nextInt(10) == 0 ? Frames.name(rnd) : "JAVA");
        h.addProperty("version", rnd.nextInt(10) == 0 ? (int) Frames.number(rnd) : 453);
        h.addProperty("opaque", rnd.nextInt());
        h.addProperty("flag", rnd.nextInt(10) == 0 ? rnd.nextInt() : rnd.nextInt(3) == 0 ? 2 : 0); // 2 = oneway
        if (rnd.nextBoolean()) {
            h.addProperty("remark", Frames.name(rnd));
        }
        h.addProperty("serializeTypeCurrentRPC", "JSON");
        if (rnd.nextInt(8) != 0) {
            JsonObject ext = new JsonObject();
            for (int i = 0, n = rnd.nextInt(8); i < n; i++) {
                String key = rnd.nextInt(10) == 0 ? Frames.name(rnd) : EXT_KEYS[rnd.nextInt(EXT_KEYS.length)];
                ext.addProperty(key, rnd.nextBoolean() ? Frames.name(rnd) : Long.toString(Frames.number(rnd)));
            }
            if (rnd.nextInt(6) == 0) {
                ext.addProperty("compressed", "true");
            }
            h.add("extFields", ext);
        }
        return h;
    }

    private static byte[] body(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> BOMB;
            case 1 -> Frames.utf8("{\"topicConfigSerializeWrapper\":{\"topicConfigTable\":{\"" + Frames.name(rnd)
                    + "\":{\"readQueueNums\":" + Frames.smallInt(rnd) + "}}},\"filterServerList\":[]}");
            case 2 -> Frames.noise(rnd, rnd.nextInt(512));
            case 3 -> Frames.utf8("{\"namespace\":\"" + Frames.name(rnd) + "\"}");
            default -> new byte[0];
        };
    }

    /** {@code [4: total][1: serialize type][3: header length][header][body]}, with a rare odd type byte. */
    private static byte[] frame(Random rnd, String header, byte[] body) {
        byte[] h = Frames.utf8(header);
        int type = rnd.nextInt(20) == 0 ? rnd.nextInt(256) : 0; // 0 = JSON, 1 = ROCKETMQ binary
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + h.length + body.length);
        b.putInt(4 + h.length + body.length);
        b.putInt((type << 24) | (h.length & 0xFFFFFF));
        b.put(h).put(body);
        return b.array();
    }
}
