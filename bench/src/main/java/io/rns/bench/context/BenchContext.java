package io.rns.bench.context;

import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.Procs;
import io.rns.bench.infra.RmqClient;
import io.rns.bench.infra.ServerBuild;
import io.rns.bench.infra.StockNamesrv;
import io.rns.client.BrokerRegistrar;
import io.rns.client.NamesrvClient;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The servers of one run: the stock NameServer and the RNS cluster, started on first use and stopped (by pid) at the
 * end; brokers registered for the read scenarios are kept alive (stock: re-registration every 20 s, RNS: heartbeats).
 */
public final class BenchContext implements AutoCloseable {
    public static final String CLUSTER = "BenchCluster";
    public static final String READ_BROKER = "bench-read-broker";
    public static final String READ_TOPIC = "bench-read-topic-";
    public static final int READ_TOPICS = 100;
    /** Election timeout every RNS node of the bench runs with (stated so failover can be compared to it). */
    public static final int ELECTION_TIMEOUT_MS = 1000;

    public final BenchOptions opts;
    private StockNamesrv stock;
    private BenchCluster rns;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService keepalive = Executors
            .newSingleThreadScheduledExecutor(DaemonThreads.named("bench-keepalive"));
    private boolean readBrokerRegistered;

    private final boolean nativeExactlyOnce;

    public BenchContext(BenchOptions opts) {
        this(opts, true);
    }

    /** @param nativeExactlyOnce whether native clients write in client sessions (the default) or at least once */
    public BenchContext(BenchOptions opts, boolean nativeExactlyOnce) {
        this.opts = opts;
        this.nativeExactlyOnce = nativeExactlyOnce;
    }

    public synchronized StockNamesrv stock() {
        if (stock == null || !stock.alive()) {
            stock = StockNamesrv.start(opts.out().resolve("servers/stock"), opts.stockClasspath(), opts.stockHeap());
            log("stock namesrv pid " + stock.pid() + " at " + stock.addr());
        }
        return stock;
    }

    /** A scenario's RNS settings with the run's --rns-config on top (the run's settings win). */
    public Map<String, String> rnsConfig(Map<String, String> scenarioConfig) {
        Map<String, String> m = new LinkedHashMap<>(scenarioConfig);
        m.putAll(opts.rnsConfig());
        return m;
    }

    public synchronized BenchCluster rns() {
        if (rns == null) {
            rns = BenchCluster.start(ServerBuild.locate(opts.root()), opts.out().resolve("servers/rns"),
                    opts.rnsNodes(), opts.rnsHeap(),
                    rnsConfig(Map.of("raft.election-timeout-ms", Integer.toString(ELECTION_TIMEOUT_MS))));
            log("RNS cluster " + rns.endpoints() + " (RocketMQ protocol: "
                    + rns.nodes().stream().map(BenchCluster.Node::rmqAddr).toList() + ")");
        }
        return rns;
    }

    /** Restarts the stock namesrv from scratch (its route table is in memory only). */
    public synchronized StockNamesrv freshStock(String name) {
        if (stock != null)
            stock.close();
        readBrokerRegistered = false;
        stock = StockNamesrv.start(opts.out().resolve("servers/" + name), opts.stockClasspath(), opts.stockHeap());
        log("stock namesrv (" + name + ") pid " + stock.pid() + " at " + stock.addr());
        return stock;
    }

    public NamesrvClient nativeClient(Duration timeout) {
        NamesrvClient c = rns().client(rns().endpoints()).requestTimeout(timeout)
                .overallTimeout(timeout.multipliedBy(2)).retryPolicy(RetryPolicy.NONE)
                .defaultConsistency(Consistency.LINEARIZABLE).exactlyOnce(nativeExactlyOnce).build();
        synchronized (closeables) {
            closeables.add(c);
        }
        return c;
    }

    /** Closed with the context (also by the shutdown hook on Ctrl-C); for servers a scenario starts itself. */
    public <T extends AutoCloseable> T track(T c) {
        synchronized (closeables) {
            closeables.add(c);
        }
        return c;
    }

    /** {@code n} RocketMQ-protocol and {@code n} native clients, all tracked, opened in pairs. */
    public Connections connections(int n, Duration nativeTimeout) {
        List<RmqClient> rmq = new ArrayList<>();
        List<NamesrvClient> nat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rmq.add(rmqClient());
            nat.add(nativeClient(nativeTimeout));
        }
        return new Connections(List.copyOf(rmq), List.copyOf(nat));
    }

    /** The clients of {@link #connections}: {@code rmq.get(i)} and {@code nat.get(i)} were opened together. */
    public record Connections(List<RmqClient> rmq, List<NamesrvClient> nat) {
    }

    /**
     * The RocketMQ-protocol clients' TLS and ACL signing: on when the run's RNS nodes turn them on (--rns-config
     * tls.mode, auth.enabled; the account from $RNS_AUTH, as for the native clients), so that port is measured with
     * what it then requires. The stock NameServer gets the same connections (TLS; it ignores the signature).
     */
    public RmqClient.Security rmqSecurity() {
        return RmqClient.Security.forNodes(opts.rnsConfig());
    }

    public RmqClient rmqClient() {
        RmqClient c = new RmqClient(5000, rmqSecurity());
        synchronized (closeables) {
            closeables.add(c);
        }
        return c;
    }

    /** Registers the read broker (READ_TOPICS topics) with both servers and keeps it alive. */
    public synchronized void ensureReadBroker() throws Exception {
        if (readBrokerRegistered)
            return;
        StockNamesrv s = stock();
        RmqClient rc = rmqClient();
        RmqClient.Registration reg = RmqClient.registration(CLUSTER, READ_BROKER, "127.0.0.1:10911", READ_TOPIC,
                READ_TOPICS, 4, 1, 1, null);
        RmqClient.Result r = rc.register(s.addr(), reg);
        if (!r.ok())
            throw new IllegalStateException("stock REGISTER_BROKER failed: " + r);
        keepalive.scheduleWithFixedDelay(() -> {
            try {
                rc.register(s.addr(), reg);
            } catch (Exception e) {
                log("stock keepalive registration failed: " + e);
            }
        }, 20, 20, TimeUnit.SECONDS);
        NamesrvClient nc = rns().client(rns().endpoints()).build();
        closeables.add(nc);
        BrokerRegistrar reg2 = BrokerRegistrar
                .builder(nc, nativeRegistration(READ_BROKER, "127.0.0.1:10911", READ_TOPIC, READ_TOPICS, 4, 1, 0))
                .build();
        reg2.start();
        closeables.add(0, reg2);
        rns().awaitCaughtUp(30_000);
        readBrokerRegistered = true;
    }

    public static RegisterBrokerRequest nativeRegistration(String broker, String addr, String topicPrefix, int topics,
            int writeQueues, long counter, int leaseMs) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setCluster(CLUSTER).setBrokerName(broker)
                .setBrokerId(0).setBrokerAddr(addr).setHaServerAddr(addr)
                .setDataVersion(DataVersion.newBuilder().setTimestamp(1).setCounter(counter))
                .setLeaseTimeoutMs(leaseMs);
        for (int i = 0; i < topics; i++) {
            b.addTopics(TopicConfig.newBuilder().setTopic(topicPrefix + i).setReadQueueNums(4)
                    .setWriteQueueNums(writeQueues).setPerm(6));
        }
        return b.build();
    }

    public static void log(String s) {
        System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + s);
        System.out.flush();
    }

    public Path out() {
        return opts.out();
    }

    @Override
    public synchronized void close() {
        keepalive.shutdownNow();
        synchronized (closeables) {
            // in parallel: each NettyRemotingClient shutdown waits out Netty's graceful event-loop shutdown
            List<Thread> closers = new ArrayList<>();
            for (AutoCloseable c : closeables) {
                Thread t = new Thread(() -> {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log("close: " + e);
                    }
                }, "bench-close");
                t.setDaemon(true);
                t.start();
                closers.add(t);
            }
            for (Thread t : closers) {
                try {
                    t.join(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closeables.clear();
        }
        if (rns != null)
            rns.close();
        if (stock != null)
            stock.close();
        Procs.sleep(0);
    }
}
