package io.rns.bench.infra;

import io.rns.cli.rocketmq.RemotingClients;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.UnRegisterBrokerRequestHeader;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RocketMQ-protocol load client: the stock 5.5.0 {@link NettyRemotingClient} (as producers, consumers and
 * brokers use it, started by {@link RemotingClients}) sending GET_ROUTEINFO_BY_TOPIC and REGISTER_BROKER to the stock NameServer or to an RNS node's
 * RocketMQ port.
 */
public final class RmqClient implements AutoCloseable {
    private final NettyRemotingClient client;
    private final long timeoutMs;

    /**
     * How the client talks to every server it is pointed at, stock and RNS alike.
     *
     * @param tls     TLS on every connection (RocketMQ's {@code useTLS}; the stock NameServer accepts it by default,
     *                {@code tls.server.mode=permissive}, with its self-signed test certificate)
     * @param account sign every request as RocketMQ's ACL clients do ({@code AclClientRPCHook}: AccessKey and an
     *                HmacSHA1 signature), or null; a stock NameServer ignores the signature
     */
    public record Security(boolean tls, String account, String secret) {
        public static final Security PLAIN = new Security(false, null, null);

        /**
         * What clients of nodes running {@code nodeConfig} (extra rns.properties settings) need: TLS when
         * {@code tls.mode} is not disabled; with {@code auth.enabled=true}, the account in $RNS_AUTH
         * (ACCOUNT:SECRET), which must then be set.
         */
        public static Security forNodes(Map<String, String> nodeConfig) {
            boolean tls = !nodeConfig.getOrDefault("tls.mode", "disabled").equals("disabled");
            if (!Boolean.parseBoolean(nodeConfig.getOrDefault("auth.enabled", "false"))) {
                return new Security(tls, null, null);
            }
            String credentials = System.getenv("RNS_AUTH");
            if (credentials == null || credentials.indexOf(':') <= 0) {
                throw new IllegalArgumentException(
                        "auth.enabled=true in --rns-config: set RNS_AUTH=ACCOUNT:SECRET for " + "the bench's clients");
            }
            int colon = credentials.indexOf(':');
            return new Security(tls, credentials.substring(0, colon), credentials.substring(colon + 1));
        }

        /** Without the secret. */
        @Override
        public String toString() {
            return "Security[tls=" + tls + ", account=" + (account == null ? "none" : account) + "]";
        }
    }

    public RmqClient(long timeoutMs) {
        this(timeoutMs, Security.PLAIN);
    }

    public RmqClient(long timeoutMs, Security security) {
        this.client = RemotingClients.start(2, 3000, security.tls());
        if (security.account() != null) {
            client.registerRPCHook(new AclClientRPCHook(new SessionCredentials(security.account(), security.secret())));
        }
        this.timeoutMs = timeoutMs;
    }

    /** Outcome of one call: the response code (0 = success) and the response body size. */
    public record Result(int code, int bodyBytes, String remark) {
        public boolean ok() {
            return code == ResponseCode.SUCCESS;
        }

        /** true on success, else an exception naming the response code and remark (so the load report shows it). */
        public boolean orThrow() {
            if (!ok())
                throw new IllegalStateException("response code " + code + ": " + remark);
            return true;
        }
    }

    /** GET_ROUTEINFO_BY_TOPIC; {@code rnsConsistency} (STALE|LEASE|SEQUENTIAL|LINEARIZABLE) is the RNS ext field, null = none. */
    public Result route(String addr, String topic, String rnsConsistency) throws Exception {
        GetRouteInfoRequestHeader h = new GetRouteInfoRequestHeader();
        h.setTopic(topic);
        RemotingCommand req = RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, h);
        if (rnsConsistency != null)
            req.addExtField("rnsConsistency", rnsConsistency);
        RemotingCommand resp = client.invokeSync(addr, req, timeoutMs);
        return new Result(resp.getCode(), resp.getBody() == null ? 0 : resp.getBody().length, resp.getRemark());
    }

    /** A broker's registration body, prepared once and re-sent (as a broker's periodic registration). */
    public static final class Registration {
        final RegisterBrokerRequestHeader header = new RegisterBrokerRequestHeader();
        final byte[] body;

        Registration(RegisterBrokerRequestHeader h, byte[] body) {
            this.header.setBrokerName(h.getBrokerName());
            this.header.setBrokerAddr(h.getBrokerAddr());
            this.header.setClusterName(h.getClusterName());
            this.header.setHaServerAddr(h.getHaServerAddr());
            this.header.setBrokerId(h.getBrokerId());
            this.header.setHeartbeatTimeoutMillis(h.getHeartbeatTimeoutMillis());
            this.header.setCompressed(false);
            this.header.setBodyCrc32(UtilAll.crc32(body));
            this.header.setEnableActingMaster(false);
            this.body = body;
        }

        public int bodyBytes() {
            return body.length;
        }
    }

    /**
     * Builds a 5.x broker registration: topics {@code topicPrefix0..n-1}, 4/4 queues, perm 6, DataVersion
     * (timestamp, counter). {@code heartbeatTimeoutMs} null = stock default (120 s).
     */
    public static Registration registration(String cluster, String brokerName, String brokerAddr, String topicPrefix,
            int topics, int writeQueues, long dvTimestamp, long dvCounter, Long heartbeatTimeoutMs) {
        ConcurrentHashMap<String, TopicConfig> table = new ConcurrentHashMap<>();
        for (int i = 0; i < topics; i++) {
            String t = topicPrefix + i;
            TopicConfig tc = new TopicConfig(t, 4, writeQueues, 6);
            table.put(t, tc);
        }
        TopicConfigAndMappingSerializeWrapper w = new TopicConfigAndMappingSerializeWrapper();
        DataVersion dv = new DataVersion();
        dv.setTimestamp(dvTimestamp);
        dv.setCounter(new AtomicLong(dvCounter));
        w.setDataVersion(dv);
        w.setTopicConfigTable(table);
        RegisterBrokerBody body = new RegisterBrokerBody();
        body.setTopicConfigSerializeWrapper(w);
        RegisterBrokerRequestHeader h = new RegisterBrokerRequestHeader();
        h.setBrokerName(brokerName);
        h.setBrokerAddr(brokerAddr);
        h.setClusterName(cluster);
        h.setHaServerAddr(brokerAddr);
        h.setBrokerId(0L);
        h.setHeartbeatTimeoutMillis(heartbeatTimeoutMs);
        return new Registration(h, body.encode(false));
    }

    public Result register(String addr, Registration r) throws Exception {
        RemotingCommand req = RemotingCommand.createRequestCommand(RequestCode.REGISTER_BROKER, r.header);
        req.setBody(r.body);
        RemotingCommand resp = client.invokeSync(addr, req, timeoutMs);
        return new Result(resp.getCode(), resp.getBody() == null ? 0 : resp.getBody().length, resp.getRemark());
    }

    public Result unregister(String addr, String cluster, String brokerName, String brokerAddr) throws Exception {
        UnRegisterBrokerRequestHeader h = new UnRegisterBrokerRequestHeader();
        h.setClusterName(cluster);
        h.setBrokerName(brokerName);
        h.setBrokerAddr(brokerAddr);
        h.setBrokerId(0L);
        RemotingCommand resp = client.invokeSync(addr,
                RemotingCommand.createRequestCommand(RequestCode.UNREGISTER_BROKER, h), timeoutMs);
        return new Result(resp.getCode(), 0, resp.getRemark());
    }

    /**
     * Closes the connections to {@code addrs} at once (what the kernel does to the sockets of a killed broker process;
     * {@link #close()} alone closes them only after Netty's graceful event-loop shutdown).
     */
    public void killConnections(List<String> addrs) {
        client.closeChannels(addrs);
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
