package io.rns.chaos.fuzz;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Frames for the Raft peer port (sofa-bolt): headers of bolt protocol v1/v2 with random command codes, request ids,
 * codecs, timeouts and class/header/content lengths (often lying), class names of jraft's requests or garbage, and
 * random content; plus noise. The content is never a well-formed jraft request: the fuzzer must not act as a member.
 */
final class PeerFrames implements FrameSource {
    private static final String[] CLASSES = {"com.alipay.sofa.jraft.rpc.RpcRequests$AppendEntriesRequest",
            "com.alipay.sofa.jraft.rpc.RpcRequests$RequestVoteRequest",
            "com.alipay.sofa.jraft.rpc.RpcRequests$InstallSnapshotRequest",
            "com.alipay.sofa.jraft.rpc.RpcRequests$ReadIndexRequest",
            "com.alipay.sofa.jraft.rpc.RpcRequests$TimeoutNowRequest",
            "com.alipay.sofa.jraft.rpc.CliRequests$AddPeerRequest", "com.alipay.sofa.jraft.rpc.RpcRequests$PingRequest",
            "java.lang.String", "java.util.HashMap"};

    @Override
    public byte[] next(Random rnd) {
        if (rnd.nextInt(5) == 0) {
            return Frames.noise(rnd, 1 + rnd.nextInt(128));
        }
        byte[] cls = Frames.utf8(rnd.nextInt(6) == 0 ? Frames.name(rnd) : CLASSES[rnd.nextInt(CLASSES.length)]);
        byte[] header = Frames.noise(rnd, rnd.nextInt(4) == 0 ? rnd.nextInt(32) : 0);
        byte[] content = Frames.noise(rnd, rnd.nextInt(256));
        boolean lie = rnd.nextInt(4) == 0;
        ByteBuffer b = ByteBuffer.allocate(22 + cls.length + header.length + content.length);
        b.put((byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : 1)); // protocol code (1 = bolt v1)
        b.put((byte) (rnd.nextInt(3))); // type: response, request, oneway
        b.putShort((short) (rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : 1 + rnd.nextInt(2))); // cmd code
        b.put((byte) 1); // ver2
        b.putInt(rnd.nextInt()); // request id
        b.put((byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 11)); // codec (11 = protobuf)
        b.putInt(rnd.nextInt(4) == 0 ? rnd.nextInt() : 1000); // timeout
        b.putShort((short) (lie ? rnd.nextInt(65536) : cls.length));
        b.putShort((short) (lie ? rnd.nextInt(65536) : header.length));
        b.putInt(lie ? rnd.nextInt() : content.length);
        b.put(cls).put(header).put(content);
        return b.array();
    }
}
