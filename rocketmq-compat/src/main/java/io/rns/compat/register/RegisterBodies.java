package io.rns.compat.register;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.RegisterBrokerRequest;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;

import java.io.IOException;
import java.util.TreeMap;
import java.util.zip.CRC32;

/** A REGISTER_BROKER request as the broker encodes it (crc32, body flavours by version) and as a native registration. */
public final class RegisterBodies {
    private final NamesrvConfig config;

    RegisterBodies(NamesrvConfig config) {
        this.config = config;
    }

    /** crc32 & 0x7FFFFFFF, as the broker computes bodyCrc32. */
    public static int crc32(byte[] body) {
        CRC32 c = new CRC32();
        c.update(body, 0, body.length);
        return (int) (c.getValue() & 0x7FFFFFFF);
    }

    /**
     * The broker's topic configs and data version from a REGISTER_BROKER body, parsed as stock does for
     * {@code version}; a compressed body is first held to {@code rocketmq.max-inflated-body-bytes} and its layout
     * checked ({@link CompressedBody}).
     */
    TopicConfigSerializeWrapper parse(byte[] body, boolean compressed, int version) throws IOException {
        TopicConfigSerializeWrapper w;
        if (body == null || body.length == 0) {
            w = new TopicConfigSerializeWrapper();
        } else if (version >= MQVersion.Version.V3_0_11.ordinal()) {
            MQVersion.Version brokerVersion = MQVersion.value2Version(version);
            if (compressed) {
                CompressedBody.check(body, config.rocketmq().maxInflatedBodyBytes(),
                        brokerVersion.ordinal() >= MQVersion.Version.V5_0_0.ordinal());
            }
            RegisterBrokerBody b = RegisterBrokerBody.decode(body, compressed, brokerVersion);
            TopicConfigAndMappingSerializeWrapper tw = b.getTopicConfigSerializeWrapper();
            w = tw == null ? new TopicConfigSerializeWrapper() : tw;
        } else {
            w = TopicConfigSerializeWrapper.decode(body, TopicConfigSerializeWrapper.class);
        }
        if (w == null) {
            throw new IOException("REGISTER_BROKER body is not a RegisterBrokerBody/TopicConfigSerializeWrapper");
        }
        if (w.getDataVersion() == null) {
            w.setDataVersion(new DataVersion());
        }
        return w;
    }

    /** The body's part of a native registration: its data version and its topics, sorted by name. */
    static RegisterBrokerRequest bodyPart(TopicConfigSerializeWrapper w) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setDataVersion(
                io.rns.rpc.v1.DataVersion.newBuilder().setTimestamp(w.getDataVersion().getTimestamp()).setCounter(
                        w.getDataVersion().getCounter() == null ? 0 : w.getDataVersion().getCounter().get()));
        if (w.getTopicConfigTable() != null) {
            // sorted: the same registration always makes the same native request (and the same log record)
            for (TopicConfig t : new TreeMap<>(w.getTopicConfigTable()).values()) {
                b.addTopics(io.rns.rpc.v1.TopicConfig.newBuilder().setTopic(t.getTopicName())
                        .setReadQueueNums(t.getReadQueueNums()).setWriteQueueNums(t.getWriteQueueNums())
                        .setPerm(t.getPerm()).setTopicSysFlag(t.getTopicSysFlag()));
            }
        }
        return b.build();
    }

    /**
     * Header + the body's part ({@link #bodyPart}) → native registration (bound to the connection, which was opened
     * at applied index {@code connectionSinceIndex}; lease from heartbeatTimeoutMillis or config).
     */
    RegisterBrokerRequest toNative(RegisterBrokerRequestHeader h, RegisterBrokerRequest bodyPart,
            long connectionSinceIndex) {
        return bodyPart.toBuilder().setCluster(h.getClusterName()).setBrokerName(h.getBrokerName())
                .setBrokerId(h.getBrokerId()).setBrokerAddr(h.getBrokerAddr())
                .setHaServerAddr(h.getHaServerAddr() == null ? "" : h.getHaServerAddr())
                .setLeaseTimeoutMs(leaseMs(h.getHeartbeatTimeoutMillis())).setBindConnection(true)
                .setRegistersWithEveryNode(true) // a stock broker registers with every namesrvAddr entry
                .setConnectionSinceIndex(connectionSinceIndex).build();
    }

    /** heartbeatTimeoutMillis if the broker sent one (clamped to the liveness bounds), else rocketmq.broker-lease-ms. */
    int leaseMs(Long heartbeatTimeoutMillis) {
        if (heartbeatTimeoutMillis == null || heartbeatTimeoutMillis <= 0) {
            return config.rocketmq().brokerLeaseMs();
        }
        long v = Math.max(config.liveness().minLeaseMs(),
                Math.min(config.liveness().maxLeaseMs(), heartbeatTimeoutMillis));
        return (int) v;
    }
}
