package io.rns.chaos.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.rns.rpc.transport.FrameCodec;
import io.rns.rpc.v1.RequestEnvelope;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

/**
 * Frames for the native client port: a request envelope with a random body of every kind, each field filled by
 * protobuf reflection with hostile values (odd and huge names, edge numbers, unknown enum numbers, long repeated
 * lists, nested messages), plus byte-level mutations of such frames and unknown field numbers. Node ids never name
 * a real member ({@code n1}...), so membership requests are refused rather than changing the cluster.
 */
final class NativeFrames implements FrameSource {
    private static final List<FieldDescriptor> BODIES = bodies();

    private static List<FieldDescriptor> bodies() {
        OneofDescriptor body = RequestEnvelope.getDescriptor().getOneofs().stream()
                .filter(o -> o.getName().equals("body")).findFirst().orElseThrow();
        return body.getFields();
    }

    @Override
    public byte[] next(Random rnd) {
        int kind = rnd.nextInt(20);
        if (kind < 11) {
            return FrameCodec.frame(envelope(rnd));
        }
        if (kind < 17) {
            return Frames.mutate(FrameCodec.frame(envelope(rnd)), rnd);
        }
        if (kind < 19) {
            return Frames.lengthPrefixed(unknownFields(rnd));
        }
        return Frames.noise(rnd, 1 + rnd.nextInt(64));
    }

    private static RequestEnvelope envelope(Random rnd) {
        RequestEnvelope.Builder b = RequestEnvelope.newBuilder().setRequestId(rnd.nextLong());
        if (rnd.nextInt(4) == 0) {
            b.setTimeoutMs(rnd.nextBoolean() ? Integer.MAX_VALUE : rnd.nextInt(2000));
        } else {
            b.setTimeoutMs(500 + rnd.nextInt(1500)); // keep most answers quick: the fuzzer waits for none of them
        }
        if (rnd.nextInt(8) == 0) {
            b.setHops(rnd.nextInt(3));
        }
        if (rnd.nextInt(8) == 0) {
            b.setSessionId(Frames.number(rnd)).setSessionSeq(Frames.number(rnd));
        }
        if (rnd.nextInt(4) == 0) {
            b.getReadBuilder().setConsistencyValue(rnd.nextInt(7) - 1).setMinIndex(Frames.number(rnd))
                    .setMaxStalenessMs(Frames.smallInt(rnd));
        }
        if (rnd.nextInt(10) == 0) {
            b.setClientId(Frames.name(rnd));
        }
        FieldDescriptor body = BODIES.get(rnd.nextInt(BODIES.size()));
        Message.Builder m = b.newBuilderForField(body);
        fill(m, rnd, 0);
        b.setField(body, m.build());
        return b.build();
    }

    /** Fills every field of {@code m} (each with probability 3/4) with a hostile value. */
    private static void fill(Message.Builder m, Random rnd, int depth) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (rnd.nextInt(4) == 0) {
                continue;
            }
            if (f.isRepeated()) {
                int n = rnd.nextInt(20) == 0 ? 1000 + rnd.nextInt(4000) : rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    Object v = value(m, f, rnd, depth);
                    if (v != null) {
                        m.addRepeatedField(f, v);
                    }
                }
            } else {
                Object v = value(m, f, rnd, depth);
                if (v != null) {
                    m.setField(f, v);
                }
            }
        }
    }

    private static Object value(Message.Builder parent, FieldDescriptor f, Random rnd, int depth) {
        return switch (f.getJavaType()) {
            case STRING -> f.getName().contains("node_id") ? "fuzz-node-" + rnd.nextInt(5) : Frames.name(rnd);
            case LONG -> Frames.number(rnd);
            case INT -> f.getName().contains("port") ? rnd.nextInt(70_000) - 1000 : Frames.smallInt(rnd);
            case BOOLEAN -> rnd.nextBoolean();
            case BYTE_STRING -> ByteString.copyFrom(Frames.noise(rnd, rnd.nextInt(64)));
            case ENUM -> enumValue(f.getEnumType(), rnd);
            case MESSAGE -> {
                if (f.isMapField() || depth > 3) {
                    yield null;
                }
                Message.Builder child = parent.newBuilderForField(f);
                fill(child, rnd, depth + 1);
                yield child.build();
            }
            case FLOAT -> rnd.nextFloat();
            case DOUBLE -> rnd.nextDouble();
        };
    }

    private static Object enumValue(EnumDescriptor e, Random rnd) {
        // an unknown number is kept as such by proto3 (setField needs a descriptor: use one of the known ones then)
        return e.getValues().get(rnd.nextInt(e.getValues().size()));
    }

    /** A message made of random field numbers and wire types: unknown body kinds and garbage nested data. */
    private static byte[] unknownFields(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0, n = 1 + rnd.nextInt(6); i < n; i++) {
            int field = 1 + rnd.nextInt(rnd.nextBoolean() ? 60 : 100_000);
            int wire = rnd.nextInt(6);
            writeVarint(out, ((long) field << 3) | wire);
            switch (wire) {
                case 0 -> writeVarint(out, rnd.nextLong() & Long.MAX_VALUE);
                case 1 -> out.writeBytes(Frames.noise(rnd, 8));
                case 2 -> {
                    byte[] payload = Frames.noise(rnd, rnd.nextInt(40));
                    writeVarint(out, rnd.nextInt(10) == 0 ? rnd.nextInt(1 << 20) : payload.length);
                    out.writeBytes(payload);
                }
                case 5 -> out.writeBytes(Frames.noise(rnd, 4));
                default -> out.writeBytes(Frames.noise(rnd, rnd.nextInt(8))); // groups: garbage
            }
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
