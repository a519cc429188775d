package io.rns.compat;

import io.rns.compat.register.RegisterBodies;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Builds RocketMQ requests the way stock brokers and clients do, and moves raw frames over a socket. */
final class RmqTestSupport {
    private RmqTestSupport() {
    }

    /** Writes a JSON GET_ROUTEINFO frame for topic T1 with this opaque, as a stock client writes it. */
    static void sendRouteQuery(Socket s, int opaque) throws IOException {
        byte[] h = ("{\"code\":105,\"extFields\":{\"topic\":\"T1\"},\"flag\":0,\"language\":\"JAVA\",\"opaque\":"
                + opaque + ",\"serializeTypeCurrentRPC\":\"JSON\",\"version\":513}").getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(4 + h.length);
        out.writeInt(h.length);
        out.write(h);
        out.flush();
    }

    /** Writes {@code cmd} as one encoded frame. */
    static void send(Socket s, RemotingCommand cmd) throws IOException {
        ByteBuffer frame = cmd.encode();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    /** Reads one frame and decodes it. */
    static RemotingCommand readAnswer(Socket s) throws Exception {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return RemotingCommand.decode(frame);
    }

    static RemotingCommand request(int code, CommandCustomHeader header) {
        RemotingCommand c = RemotingCommand.createRequestCommand(code, header);
        c.setVersion(513); // MQVersion V5_5_0
        c.makeCustomHeaderToNet(); // header -> extFields, as encoding does (unit tests skip the wire)
        return c;
    }

    static RemotingCommand request(int code, Map<String, String> ext) {
        RemotingCommand c = request(code, (CommandCustomHeader) null);
        c.setExtFields(new HashMap<>(ext));
        return c;
    }

    static RegisterBrokerBody body(long counter, long timestamp, String... topics) {
        RegisterBrokerBody b = new RegisterBrokerBody();
        TopicConfigAndMappingSerializeWrapper w = new TopicConfigAndMappingSerializeWrapper();
        DataVersion dv = new DataVersion();
        dv.setCounter(new AtomicLong(counter));
        dv.setTimestamp(timestamp);
        w.setDataVersion(dv);
        ConcurrentHashMap<String, TopicConfig> table = new ConcurrentHashMap<>();
        for (String t : topics) {
            table.put(t, new TopicConfig(t, 4, 4, 6));
        }
        w.setTopicConfigTable(table);
        b.setTopicConfigSerializeWrapper(w);
        return b;
    }

    static RemotingCommand register(String cluster, String brokerName, long brokerId, String addr,
            RegisterBrokerBody body, boolean compressed) {
        return register(cluster, brokerName, brokerId, addr, body.encode(compressed), compressed);
    }

    /** A REGISTER_BROKER with these body bytes as they are (hostile ones included), with their crc32. */
    static RemotingCommand register(String cluster, String brokerName, long brokerId, String addr, byte[] bytes,
            boolean compressed) {
        RegisterBrokerRequestHeader h = new RegisterBrokerRequestHeader();
        h.setClusterName(cluster);
        h.setBrokerName(brokerName);
        h.setBrokerId(brokerId);
        h.setBrokerAddr(addr);
        h.setHaServerAddr(addr.replaceAll(":(\\d+)$", "") + ":" + (Integer.parseInt(addr.replaceAll("^.*:", "")) + 1));
        h.setCompressed(compressed);
        h.setBodyCrc32(RegisterBodies.crc32(bytes));
        RemotingCommand c = request(RequestCode.REGISTER_BROKER, h);
        c.setBody(bytes);
        return c;
    }
}
