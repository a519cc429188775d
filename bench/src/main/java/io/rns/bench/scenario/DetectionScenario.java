package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.Procs;
import io.rns.bench.infra.RmqClient;
import io.rns.bench.report.Results;
import io.rns.client.BrokerRegistrar;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.TopicRoute;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Broker-failure detection, stock vs RNS, all cases at once (independent brokers, the clock starts for all at
 * the same instant): a broker that stops heartbeating but keeps its TCP connection open (what SIGSTOP does to a
 * broker) and a broker whose connections are closed (what the kernel does when a broker process is killed). Measured:
 * time until every node's route for the broker's topic no longer lists it (stock: its one node; RNS: STALE reads
 * pinned to each node), polled every 25 ms.
 *
 * <p>The brokers are simulated in the bench JVM: the stock broker re-registers every 30 s (as 5.x brokers do) over
 * its own NettyRemotingClient; the RNS broker is a {@link BrokerRegistrar} on its own client (heartbeats, connection
 * bound). "SIGSTOP" stops that broker's scheduler (no more heartbeats, connection stays); "kill" closes its client.
 */
public final class DetectionScenario implements Scenario {
    @Override
    public String name() {
        return "detection";
    }

    @Override
    public String description() {
        return "broker-failure detection: broker stops heartbeating (SIGSTOP-like) / its connection dies (kill) -> "
                + "time until every node's route drops it, stock vs RNS";
    }

    private interface Broker {
        void fail();

        /** A last contact right before the failure (stock: a re-registration), so the timeout runs in full. */
        default void touch() throws Exception {
        }
    }

    private record Case(String server, String failure, String topic, Broker broker, long[] detectedNs) {
    }

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        BenchCluster rns = ctx.rns();
        String stockAddr = ctx.stock().addr();
        long timeoutMs = ctx.opts.detectTimeoutMs();
        Long stockHbTimeout = timeoutMs > 0 ? timeoutMs : null;
        int rnsLease = (int) timeoutMs; // 0 = the server's liveness.default-lease-ms
        List<Case> cases = new ArrayList<>();
        List<AutoCloseable> cleanup = new ArrayList<>();
        try {
            for (String failure : List.of("stop-heartbeat", "kill-connection")) {
                // stock broker
                String sb = "bench-detect-stock-" + failure;
                RmqClient rc = new RmqClient(5000);
                cleanup.add(rc);
                RmqClient.Registration reg = RmqClient.registration(BenchContext.CLUSTER, sb,
                        "127.0.0.1:" + (40000 + cases.size()), sb + "-t", 2, 4, 1, 1, stockHbTimeout);
                RmqClient.Result r = rc.register(stockAddr, reg);
                if (!r.ok())
                    throw new IllegalStateException("stock registration failed: " + r);
                ScheduledExecutorService ss = Executors.newSingleThreadScheduledExecutor();
                cleanup.add(ss::shutdownNow);
                ss.scheduleWithFixedDelay(() -> {
                    try {
                        rc.register(stockAddr, reg);
                    } catch (Exception e) {
                        BenchContext.log("stock broker re-registration failed: " + e);
                    }
                }, 30, 30, TimeUnit.SECONDS);
                boolean stop = failure.equals("stop-heartbeat");
                Broker stockBroker = new Broker() {
                    @Override
                    public void fail() {
                        ss.shutdownNow();
                        if (!stop)
                            rc.killConnections(List.of(stockAddr));
                    }

                    @Override
                    public void touch() throws Exception {
                        rc.register(stockAddr, reg).orThrow();
                    }
                };
                cases.add(new Case("stock", failure, sb + "-t0", stockBroker, new long[]{-1}));

                // RNS broker
                String rb = "bench-detect-rns-" + failure;
                NamesrvClient nc = rns.client(rns.endpoints()).build();
                cleanup.add(nc);
                ScheduledExecutorService rs = Executors.newSingleThreadScheduledExecutor();
                cleanup.add(rs::shutdownNow);
                BrokerRegistrar registrar = BrokerRegistrar.builder(nc, BenchContext.nativeRegistration(rb,
                        "127.0.0.1:" + (40100 + cases.size()), rb + "-t", 2, 4, 1, rnsLease)).scheduler(rs).build();
                registrar.start();
                Broker rnsBroker = failure.equals("stop-heartbeat") ? rs::shutdownNow : () -> {
                    rs.shutdownNow();
                    nc.close();
                };
                cases.add(new Case("rns", failure, rb + "-t0", rnsBroker, new long[]{-1}));
            }
            // a stock broker on RNS: registers over the RocketMQ protocol with every node (connection bound on each),
            // re-registers every 30 s; killed = all its connections close at once
            String kb = "bench-detect-rns-rmq-kill-connection";
            List<String> rmqAddrs = rns.nodes().stream().map(BenchCluster.Node::rmqAddr).toList();
            RmqClient kc = new RmqClient(5000);
            cleanup.add(kc);
            RmqClient.Registration kreg = RmqClient.registration(BenchContext.CLUSTER, kb,
                    "127.0.0.1:" + (40000 + cases.size()), kb + "-t", 2, 4, 1, 1, stockHbTimeout);
            for (String a : rmqAddrs)
                kc.register(a, kreg).orThrow();
            ScheduledExecutorService ks = Executors.newSingleThreadScheduledExecutor();
            cleanup.add(ks::shutdownNow);
            ks.scheduleWithFixedDelay(() -> {
                for (String a : rmqAddrs) {
                    try {
                        kc.register(a, kreg);
                    } catch (Exception e) {
                        BenchContext.log("RocketMQ broker re-registration on RNS failed: " + e);
                    }
                }
            }, 30, 30, TimeUnit.SECONDS);
            Broker rmqBroker = new Broker() {
                @Override
                public void fail() {
                    ks.shutdownNow();
                    kc.killConnections(rmqAddrs);
                }

                @Override
                public void touch() throws Exception {
                    for (String a : rmqAddrs)
                        kc.register(a, kreg).orThrow();
                }
            };
            cases.add(new Case("rns", "kill-connection (RocketMQ broker, every node)", kb + "-t0", rmqBroker,
                    new long[]{-1}));
            rns.awaitCaughtUp(30_000);
            // every case's route is visible before the clock starts (checked by each poller below)
            long bound = (timeoutMs > 0 ? timeoutMs : 120_000) + 60_000;
            // one poller per case with its own clients, connected and warmed up (one poll) before the clock starts,
            // so a slow node or a first connect does not delay another case's clock
            long[] t0 = {0};
            List<Thread> pollers = new ArrayList<>();
            for (Case c : cases) {
                NamesrvClient p = rns.client(rns.endpoints()).requestTimeout(Duration.ofSeconds(2))
                        .retryPolicy(RetryPolicy.NONE).build();
                RmqClient sp = new RmqClient(2000);
                cleanup.add(p);
                cleanup.add(sp);
                if (gone(c, stockAddr, sp, rns, p))
                    throw new IllegalStateException("route of " + c.topic() + " not visible before the failure");
                Thread th = new Thread(() -> {
                    while (System.nanoTime() - t0[0] < bound * 1_000_000L) {
                        try {
                            if (gone(c, stockAddr, sp, rns, p)) {
                                c.detectedNs()[0] = System.nanoTime() - t0[0];
                                BenchContext.log(String.format("detection: %s %s gone after %.0f ms", c.server(),
                                        c.failure(), c.detectedNs()[0] / 1e6));
                                return;
                            }
                        } catch (Exception e) {
                            // not gone yet (e.g. a poll timed out); poll again
                        }
                        Procs.sleep(25);
                    }
                }, "bench-detect-" + c.server() + "-" + c.failure());
                th.setDaemon(true);
                pollers.add(th);
            }
            for (Case c : cases)
                c.broker().touch();
            t0[0] = System.nanoTime();
            for (Case c : cases)
                c.broker().fail();
            BenchContext.log(
                    "detection: all " + cases.size() + " brokers failed at once; waiting up to " + bound / 1000 + " s");
            pollers.forEach(Thread::start);
            for (Thread th : pollers)
                th.join(bound + 30_000);
            String stockTimeout = timeoutMs > 0 ? timeoutMs + " ms (per-broker heartbeatTimeoutMillis)"
                    : "120,000 ms (default)";
            String rnsTimeout = timeoutMs > 0 ? timeoutMs + " ms lease" : "10,000 ms (default lease)";
            Results.Table t = out.table("Broker-failure detection (time until every node's route drops the broker)",
                    "server", "failure", "detected after ms", "configured timeout", "target (RNS: timeout + 1 s)");
            long rnsT = timeoutMs > 0 ? timeoutMs : 10_000;
            for (Case c : cases) {
                double ms = c.detectedNs()[0] >= 0 ? c.detectedNs()[0] / 1e6 : Double.NaN;
                if (c.detectedNs()[0] >= 0)
                    out.addOk(1);
                t.row(c.server(), c.failure(), c.detectedNs()[0] >= 0 ? ms : "not detected within " + bound + " ms",
                        c.server().equals("stock") ? stockTimeout : rnsTimeout,
                        c.server().equals("rns") ? "<= " + (rnsT + 1000) + " ms" : "–");
            }
            out.note("RNS: a closed connection makes the broker a suspect with liveness.suspect-lease-ms (3 s default) "
                    + "rather than removing it at once (one node's view of one connection proves nothing in a cluster); "
                    + "a broker that registers with every node (a stock broker on the RocketMQ port) goes at once when "
                    + "no node holds a connection of it any more (liveness.expire-when-all-closed). The native "
                    + "BrokerRegistrar talks to one node at a time, so its kill case keeps the suspect lease. The stock "
                    + "NameServer unregisters a broker as soon as its channel closes.");
            out.note(
                    "One trial per case (the stock stop-heartbeat case alone takes its full 120 s timeout + scan). The "
                            + "stock brokers re-register right before the failure, so their timeout runs in full; the RNS brokers "
                            + "heartbeat every lease/5 (2 s by default), so an RNS lease may have up to that much less to run.");
        } finally {
            Cleanup.closeAll(cleanup);
        }
    }

    private static boolean gone(Case c, String stockAddr, RmqClient stockPoll, BenchCluster rns, NamesrvClient poll)
            throws Exception {
        if (c.server().equals("stock")) {
            RmqClient.Result r = stockPoll.route(stockAddr, c.topic(), null);
            return r.code() == 17; // TOPIC_NOT_EXIST: no live broker serves it
        }
        for (BenchCluster.Node n : rns.nodes()) {
            try {
                TopicRoute route = poll.getTopicRoute(c.topic(),
                        CallOptions.DEFAULT.withConsistency(Consistency.STALE).withNode(n.endpoint())).value();
                if (route.getBrokerDatasCount() > 0 || route.getQueueDatasCount() > 0)
                    return false;
            } catch (NamesrvException e) {
                if (e.code() != ErrorCode.TOPIC_NOT_FOUND)
                    return false; // cannot tell: not gone yet
            }
        }
        return true;
    }
}
