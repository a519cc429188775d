package io.rns.cli.shadow;

import io.rns.cli.rocketmq.Canonical;
import io.rns.cli.rocketmq.NamesrvReader;
import io.rns.cli.rocketmq.NamesrvReader.ReadFailure;
import io.rns.cli.rocketmq.NamesrvReader.Target;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One poll of every node, all nodes at once (so the two sides are read as close together in time as they can be):
 * first each node's cluster table, topic list and KV namespaces; then, for the union of the topics any node listed,
 * each node's route of each topic (so a topic one side lacks shows as absent there rather than not being asked).
 */
public final class Poller implements AutoCloseable {
    /** The value of a topic a node lists but has no route for. */
    static final String LISTED_WITHOUT_ROUTE = "(listed, no route)";

    private final NamesrvReader reader;
    private final List<Node> nodes;
    private final List<String> kvNamespaces;
    private final ExecutorService pool;

    /** A polled node: where it is and which side it is on. */
    public record Node(Target target, Side side) {
    }

    public Poller(NamesrvReader reader, List<Node> nodes, List<String> kvNamespaces) {
        this.reader = reader;
        this.nodes = List.copyOf(nodes);
        this.kvNamespaces = List.copyOf(kvNamespaces);
        this.pool = Executors.newFixedThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, "shadow-poll");
            t.setDaemon(true);
            return t;
        });
    }

    /** One view per node, in the order the nodes were given. */
    public List<NodeView> poll() throws InterruptedException {
        List<Future<Partial>> first = new ArrayList<>();
        for (Node n : nodes)
            first.add(pool.submit(() -> tables(n)));
        List<Partial> partials = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        for (Future<Partial> f : first) {
            Partial p = join(f);
            partials.add(p);
            topics.addAll(p.topics);
        }
        List<Future<NodeView>> second = new ArrayList<>();
        for (Partial p : partials)
            second.add(pool.submit(() -> routes(p, topics)));
        List<NodeView> views = new ArrayList<>();
        for (Future<NodeView> f : second)
            views.add(join(f));
        return views;
    }

    private static <T> T join(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("shadow poll failed: " + e.getCause(), e.getCause());
        }
    }

    /** A node's answers before its routes are read. */
    private static final class Partial {
        final Node node;
        final Map<String, String> values = new TreeMap<>();
        final Set<String> topics = new TreeSet<>();
        String failure;

        Partial(Node node) {
            this.node = node;
        }
    }

    private Partial tables(Node n) {
        Partial p = new Partial(n);
        try {
            ClusterInfo ci = reader.clusterInfo(n.target());
            if (ci.getBrokerAddrTable() != null) {
                for (BrokerData b : ci.getBrokerAddrTable().values())
                    p.values.put("broker/" + b.getBrokerName(), Canonical.broker(b));
            }
            if (ci.getClusterAddrTable() != null) {
                ci.getClusterAddrTable().forEach(
                        (cluster, names) -> p.values.put("cluster/" + cluster, String.join(",", new TreeSet<>(names))));
            }
            for (String ns : kvNamespaces)
                reader.kvList(n.target(), ns).forEach((k, v) -> p.values.put("kv/" + ns + "/" + k, v));
            p.topics.addAll(reader.topics(n.target()));
        } catch (ReadFailure e) {
            p.failure = e.getMessage();
        }
        return p;
    }

    private NodeView routes(Partial p, Set<String> topics) {
        String addr = p.node.target().addr();
        if (p.failure != null)
            return NodeView.failed(addr, p.node.side(), p.failure);
        Map<String, String> values = new TreeMap<>(p.values);
        try {
            for (String topic : topics) {
                Optional<TopicRouteData> route = reader.route(p.node.target(), topic);
                if (route.isPresent())
                    values.put("topic/" + topic, Canonical.route(route.get()));
                else if (p.topics.contains(topic))
                    values.put("topic/" + topic, LISTED_WITHOUT_ROUTE);
            }
        } catch (ReadFailure e) {
            return NodeView.failed(addr, p.node.side(), e.getMessage());
        }
        return NodeView.read(addr, p.node.side(), values);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
