package io.rns.cli.rocketmq;

import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVListByNamespaceRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Queries NameServers over the RocketMQ remoting protocol with the stock {@link NettyRemotingClient}, as brokers,
 * producers and mqadmin do. One reader holds one connection per address. Nothing here writes.
 */
public final class NamesrvReader implements AutoCloseable {
    private final NettyRemotingClient client;
    private final long timeoutMs;

    /**
     * @param timeoutMs
     *            the deadline of each request (and of the connect)
     */
    public NamesrvReader(long timeoutMs) {
        this.client = RemotingClients.start(1, (int) Math.min(timeoutMs, 10_000));
        this.timeoutMs = timeoutMs;
    }

    /** GET_BROKER_CLUSTER_INFO. */
    public ClusterInfo clusterInfo(Target t) throws ReadFailure {
        return ClusterInfo.decode(body(t, call(t, RequestCode.GET_BROKER_CLUSTER_INFO, null), "cluster info"),
                ClusterInfo.class);
    }

    /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER, sorted. */
    public Set<String> topics(Target t) throws ReadFailure {
        TopicList list = TopicList.decode(
                body(t, call(t, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, null), "topic list"), TopicList.class);
        return new TreeSet<>(list.getTopicList());
    }

    /** GET_ROUTEINFO_BY_TOPIC; empty when the NameServer answers TOPIC_NOT_EXIST. */
    public Optional<TopicRouteData> route(Target t, String topic) throws ReadFailure {
        GetRouteInfoRequestHeader h = new GetRouteInfoRequestHeader();
        h.setTopic(topic);
        RemotingCommand resp = call(t, RequestCode.GET_ROUTEINFO_BY_TOPIC, h);
        if (resp.getCode() == ResponseCode.TOPIC_NOT_EXIST)
            return Optional.empty();
        return Optional.of(TopicRouteData.decode(body(t, resp, "route of " + topic), TopicRouteData.class));
    }

    /** GET_KVLIST_BY_NAMESPACE, sorted by key; empty when the namespace holds nothing (QUERY_NOT_FOUND). */
    public Map<String, String> kvList(Target t, String namespace) throws ReadFailure {
        GetKVListByNamespaceRequestHeader h = new GetKVListByNamespaceRequestHeader();
        h.setNamespace(namespace);
        RemotingCommand resp = call(t, RequestCode.GET_KVLIST_BY_NAMESPACE, h);
        if (resp.getCode() == ResponseCode.QUERY_NOT_FOUND)
            return Map.of();
        KVTable table = KVTable.decode(body(t, resp, "KV namespace " + namespace), KVTable.class);
        return table.getTable() == null ? Map.of() : new TreeMap<>(table.getTable());
    }

    private RemotingCommand call(Target t, int code, CommandCustomHeader header) throws ReadFailure {
        RemotingCommand req = RemotingCommand.createRequestCommand(code, header);
        t.extFields().forEach(req::addExtField);
        try {
            return client.invokeSync(t.addr(), req, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure(t.addr() + ": interrupted");
        } catch (Exception e) {
            throw new ReadFailure(t.addr() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] body(Target t, RemotingCommand resp, String what) throws ReadFailure {
        if (resp.getCode() != ResponseCode.SUCCESS)
            throw new ReadFailure(
                    t.addr() + ": " + what + " answered code " + resp.getCode() + ": " + resp.getRemark());
        if (resp.getBody() == null)
            throw new ReadFailure(t.addr() + ": " + what + " answered success without a body");
        return resp.getBody();
    }

    /**
     * Shuts the client down in the background: RocketMQ's client joins its event thread for up to ~3 s on shutdown,
     * which a one-shot command should not make its user wait for (the JVM's exit does not wait for this daemon).
     */
    @Override
    public void close() {
        Thread t = new Thread(client::shutdown, "rocketmq-client-shutdown");
        t.setDaemon(true);
        t.start();
    }

    /**
     * One NameServer to read: its RocketMQ address and the ext fields every request to it carries (RNS nodes:
     * {@code rnsConsistency}; a stock NameServer ignores ext fields it does not know).
     */
    public record Target(String addr, Map<String, String> extFields) {
        public Target {
            extFields = Map.copyOf(extFields);
        }
    }

    /** A NameServer could not be read: unreachable, timed out, or an unexpected answer (the message says which). */
    public static final class ReadFailure extends Exception {
        public ReadFailure(String message) {
            super(message);
        }
    }
}
