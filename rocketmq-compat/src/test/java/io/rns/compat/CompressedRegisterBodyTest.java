package io.rns.compat;

import io.rns.compat.dispatch.RocketmqTranslator;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: a compressed REGISTER_BROKER body is bounded before anything is allocated. RocketMQ's decoder allocates
 * every length prefix it reads, so a few hostile bytes announcing a 2 GiB section used to make the node allocate
 * 2 GiB (OutOfMemoryError, in the same JVM as the Raft node); a zlib bomb inflated without limit. Each is now refused
 * with a remark naming the problem, and nothing reaches the write path.
 */
class CompressedRegisterBodyTest {
    private static final int LIMIT = 1 << 20;
    private final List<RequestEnvelope> sent = new ArrayList<>();

    private RocketmqTranslator translator() {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 9781, 9771))).rocketmqListenPort(9871)
                .rocketmqMaxInflatedBodyBytes(LIMIT).build();
        return new RocketmqTranslator(c, (env, ctx) -> {
            sent.add(env);
            ResponseEnvelope.Builder b = ResponseEnvelope.newBuilder();
            if (env.hasRegisterBroker()) {
                b.setRegisterBroker(RegisterBrokerResponse.newBuilder().setBrokerEpoch(1));
            }
            return CompletableFuture.completedFuture(RocketmqTranslatorTest.ok(b));
        });
    }

    private RemotingCommand register(byte[] compressedBody) throws Exception {
        return translator().handle(RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", compressedBody, true),
                RocketmqTranslatorTest.CTX).get();
    }

    private static byte[] deflate(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
            d.write(raw);
        }
        return out.toByteArray();
    }

    /** Length-prefixed sections as a broker writes them: each int is big-endian. */
    private static byte[] layout(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    private void refused(RemotingCommand r, String fragment) {
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode(), r.getRemark());
        assertTrue(r.getRemark().contains(fragment), r.getRemark());
        assertTrue(sent.isEmpty(), "nothing reaches the write path: " + sent);
    }

    @Test
    void aLengthPrefixOfTwoGibibytesIsRefusedBeforeAnythingIsAllocated() throws Exception {
        refused(register(deflate(layout(0x7FFF_FFF0, "{}"))),
                "data version has length 2147483632 but only 2 bytes are left");
    }

    @Test
    void aBodyThatInflatesBeyondTheLimitIsRefused() throws Exception {
        byte[] zeros = new byte[8 << 20];
        byte[] bomb = deflate(layout(zeros.length, zeros));
        assertTrue(bomb.length < 64 << 10, "a real bomb: " + bomb.length + " compressed bytes");
        refused(register(bomb), "inflates to more than rocketmq.max-inflated-body-bytes (1048576 bytes;");
    }

    @Test
    void aTopicCountThatCannotFitIsRefused() throws Exception {
        String dv = "{\"counter\":1,\"timestamp\":1}";
        refused(register(deflate(layout(dv.length(), dv, 100_000_000))),
                "topic config count 100000000 cannot fit in the 0 bytes left");
    }

    @Test
    void aTruncatedStreamIsRefused() throws Exception {
        byte[] good = RmqTestSupport.body(1, 1, "T1", "T2").encode(true);
        refused(register(Arrays.copyOf(good, good.length / 2)), "compressed REGISTER_BROKER body is");
    }

    @Test
    void aStockCompressedBodyStillRegisters() throws Exception {
        RemotingCommand r = register(RmqTestSupport.body(4, 7, "T1", "T2", "T3").encode(true));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertEquals(3, sent.get(0).getRegisterBroker().getTopicsCount());
    }
}
