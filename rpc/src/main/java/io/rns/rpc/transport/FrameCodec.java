package io.rns.rpc.transport;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The RNS frame format: a 4-byte big-endian unsigned length {@code n} followed by exactly {@code n} bytes of one
 * protobuf message, with {@code 1 <= n <= maxFrameBytes}.
 *
 * <p>Decoding errors are {@link ProtocolException}s (a subclass of Netty's {@link CorruptedFrameException}): a
 * length of zero, a length above {@code maxFrameBytes} (detected from the prefix alone, before any body is
 * buffered), a body that does not parse, and a connection that ends in the middle of a frame. After the first error
 * a decoder discards everything else it receives; its owner is expected to close the connection.
 */
public final class FrameCodec {
    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD_BYTES = 4;

    private FrameCodec() {
    }

    /** One complete frame (prefix + body) for {@code m}; meant for tests and raw-socket tools. */
    public static byte[] frame(MessageLite m) {
        int size = m.getSerializedSize();
        byte[] out = new byte[LENGTH_FIELD_BYTES + size];
        ByteBuffer.wrap(out).putInt(size);
        CodedOutputStream cos = CodedOutputStream.newInstance(out, LENGTH_FIELD_BYTES, size);
        try {
            m.writeTo(cos);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A 4-byte big-endian length prefix, e.g. to hand-craft bad frames in tests. */
    public static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(LENGTH_FIELD_BYTES).putInt((int) length).array();
    }

    /** A new (per-channel, not sharable) decoder producing messages parsed by {@code parser}. */
    public static <T extends MessageLite> Decoder<T> decoder(int maxFrameBytes, Parser<T> parser) {
        return new Decoder<>(maxFrameBytes, parser);
    }

    /** A new (per-channel) encoder; a message larger than {@code maxFrameBytes} fails its write promise. */
    public static Encoder encoder(int maxFrameBytes) {
        return new Encoder(maxFrameBytes);
    }

    /** A violation of the frame format by the peer. */
    public static final class ProtocolException extends CorruptedFrameException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    /** Length-prefixed protobuf decoder. */
    public static final class Decoder<T extends MessageLite> extends LengthFieldBasedFrameDecoder {
        private final int maxFrameBytes;
        private final Parser<T> parser;
        private boolean failed;

        private Decoder(int maxFrameBytes, Parser<T> parser) {
            // maxFrameLength counts the prefix too; failFast so the check happens on the prefix alone
            super(maxFrameBytes + LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES, true);
            if (maxFrameBytes < 1)
                throw new IllegalArgumentException("maxFrameBytes must be >= 1");
            this.maxFrameBytes = maxFrameBytes;
            this.parser = parser;
        }

        @Override
        protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
            long n = buf.getUnsignedInt(offset);
            if (n == 0) {
                throw fail("zero-length frame");
            }
            if (n > maxFrameBytes) {
                throw fail("frame length " + n + " exceeds maxFrameBytes " + maxFrameBytes);
            }
            return n;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return null;
            }
            ByteBuf frame = (ByteBuf) super.decode(ctx, in);
            if (frame == null) {
                return null;
            }
            try {
                return parser.parseFrom(frame.nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                throw fail("undecodable protobuf body of " + frame.readableBytes() + " bytes: " + e.getMessage());
            } finally {
                frame.release();
            }
        }

        @Override
        protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            super.decodeLast(ctx, in, out);
            if (!failed && in.isReadable()) {
                int left = in.readableBytes();
                in.skipBytes(left);
                throw fail("truncated frame: connection ended with " + left + " bytes of an incomplete frame");
            }
        }

        private ProtocolException fail(String reason) {
            failed = true;
            return new ProtocolException(reason);
        }
    }

    /** Length-prefixed protobuf encoder. */
    public static final class Encoder extends MessageToByteEncoder<MessageLite> {
        private final int maxFrameBytes;

        private Encoder(int maxFrameBytes) {
            super(MessageLite.class);
            this.maxFrameBytes = maxFrameBytes;
        }

        @Override
        protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MessageLite msg, boolean preferDirect) {
            return ctx.alloc().ioBuffer(LENGTH_FIELD_BYTES + msg.getSerializedSize());
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, MessageLite msg, ByteBuf out) throws Exception {
            int size = msg.getSerializedSize();
            if (size > maxFrameBytes) {
                throw new EncoderException("message of " + size + " bytes exceeds maxFrameBytes " + maxFrameBytes);
            }
            out.writeInt(size);
            try (ByteBufOutputStream os = new ByteBufOutputStream(out)) {
                msg.writeTo(os);
            }
        }
    }
}
