package io.rns.rpc.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rns.rpc.v1.RequestEnvelope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FrameCodecTest {
    @Test
    void frameDecodesByteByByte() {
        RequestEnvelope m = RpcTransportTest.oneOfEachRequest().get(0).toBuilder().setRequestId(9).build();
        byte[] f = FrameCodec.frame(m);
        assertEquals(m.getSerializedSize() + 4, f.length);
        EmbeddedChannel ch = new EmbeddedChannel(FrameCodec.decoder(1024, RequestEnvelope.parser()));
        for (int i = 0; i < f.length - 1; i++) {
            assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(f, i, 1)));
        }
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(f, f.length - 1, 1)));
        assertEquals(m, ch.readInbound());
        // two frames in one buffer
        byte[] two = new byte[f.length * 2];
        System.arraycopy(f, 0, two, 0, f.length);
        System.arraycopy(f, 0, two, f.length, f.length);
        ch.writeInbound(Unpooled.wrappedBuffer(two));
        assertEquals(m, ch.readInbound());
        assertEquals(m, ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void encoderWritesTheSameBytes() {
        RequestEnvelope m = RpcTransportTest.oneOfEachRequest().get(2);
        EmbeddedChannel ch = new EmbeddedChannel(FrameCodec.encoder(1024));
        ch.writeOutbound(m);
        io.netty.buffer.ByteBuf out = ch.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertArrayEquals(FrameCodec.frame(m), bytes);
        EmbeddedChannel small = new EmbeddedChannel(FrameCodec.encoder(16));
        assertThrows(io.netty.handler.codec.EncoderException.class,
                () -> small.writeOutbound(RpcTransportTest.oneOfEachRequest().get(0)));
    }

    @Test
    void oversizedPrefixFailsBeforeBody() {
        EmbeddedChannel ch = new EmbeddedChannel(FrameCodec.decoder(100, RequestEnvelope.parser()));
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(FrameCodec.lengthPrefix(101))));
        assertInstanceOf(FrameCodec.ProtocolException.class, e);
        assertTrue(e.getMessage().contains("exceeds maxFrameBytes"), e.getMessage());
    }

    @Test
    void zeroLengthAndGarbageAndTruncationFail() {
        EmbeddedChannel a = new EmbeddedChannel(FrameCodec.decoder(100, RequestEnvelope.parser()));
        assertThrows(FrameCodec.ProtocolException.class,
                () -> a.writeInbound(Unpooled.wrappedBuffer(FrameCodec.lengthPrefix(0))));
        EmbeddedChannel b = new EmbeddedChannel(FrameCodec.decoder(100, RequestEnvelope.parser()));
        DecoderException e = assertThrows(DecoderException.class,
                () -> b.writeInbound(Unpooled.wrappedBuffer(FrameCodec.lengthPrefix(2)),
                        Unpooled.wrappedBuffer(new byte[]{(byte) 0xFF, 1})));
        assertTrue(e.getMessage().contains("undecodable"), e.getMessage());
        EmbeddedChannel c = new EmbeddedChannel(FrameCodec.decoder(100, RequestEnvelope.parser()));
        c.writeInbound(Unpooled.wrappedBuffer(FrameCodec.lengthPrefix(10)), Unpooled.wrappedBuffer(new byte[3]));
        DecoderException t = assertThrows(DecoderException.class, c::finish);
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }
}
