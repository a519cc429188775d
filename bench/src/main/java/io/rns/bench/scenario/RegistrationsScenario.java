package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.LoadRunner;
import io.rns.bench.infra.LoadRunner.Stats;
import io.rns.bench.infra.Repeated;
import io.rns.bench.infra.RmqClient;
import io.rns.bench.report.Results;
import io.rns.client.NamesrvClient;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.RegisterBrokerRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registrations, stock vs RNS: (a) the unchanged re-registration every broker sends every 30 s (100 topics);
 * (b) changed registrations with 1,000-topic bodies (every call flips the write-queue count of all 1,000 topics);
 * (c) small changed registrations (2 topics — the stock 5.x server refuses a first registration with exactly one topic — flipping their write-queue count) — fsync on in RNS (raft.sync=true).
 * Each client is its own broker. RNS: native protocol through the leader (writes are forwarded there anyway), and the
 * RocketMQ protocol to the leader.
 */
public final class RegistrationsScenario implements Scenario {
    @Override
    public String name() {
        return "registrations";
    }

    @Override
    public String description() {
        return "unchanged re-registration (100 topics), changed 1,000-topic registrations, small changed registrations: "
                + "stock vs RNS (fsync on)";
    }

    private record Kind(String label, String prefix, int topics, boolean changed, List<Integer> clients) {
    }

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        BenchCluster rns = ctx.rns();
        String stockAddr = ctx.stock().addr();
        BenchCluster.Node leader = rns.awaitLeader(30_000);
        List<Kind> kinds = List.of(
                new Kind("unchanged re-registration (100 topics)", "rr", 100, false, ctx.opts.regClients()),
                new Kind("changed registration (1,000 topics)", "big", 1000, true,
                        List.of(Math.max(1, ctx.opts.regClients().get(0) / 4))),
                new Kind("small changed registration (2 topics)", "small", 2, true, ctx.opts.smallRegClients()));
        Results.Table tab = out.table(
                "Registrations, closed loop, " + ctx.opts.measureS() + " s measured per cell"
                        + Repeated.title(ctx.opts.repeat()),
                "kind", "target", "clients", "body bytes (rmq)", "reg/s", "reg/s min–max", "p50 ms", "p99 ms",
                "p99.9 ms", "errors", "reg/s ratio to stock", "server CPU µs/reg", "CPU/reg ratio to stock",
                "server CPU µs/reg per node", "load client CPU µs/reg", "machine busy cores");
        List<Long> stockPid = List.of(ctx.stock().pid());
        List<Long> rnsPids = new ArrayList<>(List.of(rns.pid(leader.id())));
        rns.nodes().stream().filter(n -> !n.equals(leader)).forEach(n -> rnsPids.add(rns.pid(n.id())));
        int maxC = 1;
        for (Kind k : kinds)
            for (int c : k.clients())
                maxC = Math.max(maxC, c);
        int conns = Math.min(16, maxC);
        BenchContext.Connections connections = ctx.connections(conns, Duration.ofSeconds(10));
        List<RmqClient> rmq = connections.rmq();
        List<NamesrvClient> nat = connections.nat();
        // the first registration of every broker is set-up, not measured: retried, generous timeout
        NamesrvClient primer = ctx.track(rns.client(rns.endpoints()).requestTimeout(Duration.ofSeconds(30))
                .overallTimeout(Duration.ofSeconds(120)).build());
        for (Kind k : kinds) {
            for (int clients : k.clients()) {
                // per client (= broker): variant 0 and 1 (differing write-queue count and DataVersion counter)
                String run = k.prefix() + "-c" + clients;
                List<RmqClient.Registration[]> stockRegs = new ArrayList<>();
                List<RegisterBrokerRequest[]> natRegs = new ArrayList<>();
                for (int b = 0; b < clients; b++) {
                    String broker = "bench-" + run + "-" + b;
                    String addr = "127.0.0.1:" + (20000 + b);
                    String prefix = "bench-" + run + "-" + b + "-t";
                    stockRegs.add(new RmqClient.Registration[]{
                            RmqClient.registration(BenchContext.CLUSTER, broker, addr, prefix, k.topics(), 4, 1, 1,
                                    600_000L),
                            RmqClient.registration(BenchContext.CLUSTER, broker, addr, prefix, k.topics(), 8, 1, 2,
                                    600_000L)});
                    natRegs.add(new RegisterBrokerRequest[]{
                            BenchContext.nativeRegistration(broker, addr, prefix, k.topics(), 4, 1, 300_000),
                            BenchContext.nativeRegistration(broker, addr, prefix, k.topics(), 8, 2, 300_000)});
                }
                // first registration of every broker (not measured)
                for (int b = 0; b < clients; b++) {
                    RmqClient.Result r = rmq.get(b % conns).register(stockAddr, stockRegs.get(b)[0]);
                    if (!r.ok())
                        throw new IllegalStateException("stock initial registration failed: " + r);
                    primer.registerBroker(natRegs.get(b)[0]);
                }
                int bodyBytes = stockRegs.get(0)[0].bodyBytes();
                AtomicLong[] versions = new AtomicLong[clients];
                for (int b = 0; b < clients; b++) {
                    versions[b] = new AtomicLong(2); // the variants built above carry counters 1 and 2
                }
                List<String[]> targets = new ArrayList<>();
                targets.add(new String[]{"stock rmq", stockAddr});
                targets.add(new String[]{"rns native (leader-routed)", null});
                targets.add(new String[]{"rns rmq leader", leader.rmqAddr()});
                int repeat = ctx.opts.repeat();
                Map<String, Repeated> cells = new LinkedHashMap<>();
                for (int pass = 1; pass <= repeat; pass++) { // the targets interleaved, pass after pass
                    for (String[] target : targets) {
                        String addr = target[1];
                        boolean nativeTarget = target[0].startsWith("rns native");
                        LoadRunner.Op op = (t, seq) -> {
                            int v = k.changed() ? (int) ((seq + 1) % 2) : 0;
                            if (!k.changed()) {
                                if (nativeTarget) {
                                    return !nat.get(t % conns).registerBroker(natRegs.get(t)[0]).value().getChanged();
                                }
                                return rmq.get(t % conns).register(addr, stockRegs.get(t)[0]).orThrow();
                            }
                            // a changed registration carries a newer DataVersion, as a broker's does (RNS refuses an
                            // older one within its fence window): built per call, like a broker encodes each one
                            long counter = versions[t].incrementAndGet();
                            if (nativeTarget) {
                                RegisterBrokerRequest req = natRegs.get(t)[v].toBuilder()
                                        .setDataVersion(DataVersion.newBuilder().setTimestamp(1).setCounter(counter))
                                        .build();
                                return nat.get(t % conns).registerBroker(req).value().getChanged();
                            }
                            return rmq.get(t % conns)
                                    .register(addr,
                                            RmqClient.registration(BenchContext.CLUSTER, "bench-" + run + "-" + t,
                                                    "127.0.0.1:" + (20000 + t), "bench-" + run + "-" + t + "-t",
                                                    k.topics(), v == 0 ? 4 : 8, 1, counter, 600_000L))
                                    .orThrow();
                        };
                        Stats s = LoadRunner.run(clients, ctx.opts.warmupS(), ctx.opts.measureS(), op,
                                target[0].startsWith("stock") ? stockPid : rnsPids);
                        cells.computeIfAbsent(target[0], x -> new Repeated()).add(s);
                        BenchContext
                                .log(String.format("registrations %-40s %-28s c=%-3d %8.0f reg/s p99 %.2f ms err %d%s",
                                        k.label(), target[0], clients, s.opsPerSec(), s.p99Ms(), s.errors(),
                                        repeat > 1 ? " (run " + pass + "/" + repeat + ")" : ""));
                    }
                }
                Stats stock = null;
                for (String[] target : targets) {
                    Repeated cell = cells.get(target[0]);
                    Stats s = cell.median();
                    if (stock == null)
                        stock = s;
                    out.addOk(s.ok());
                    tab.row(k.label(), target[0], clients, bodyBytes, s.opsPerSec(), cell.opsSpread(), s.p50Ms(),
                            s.p99Ms(), s.p999Ms(), s.errors(), Results.ratio(s.opsPerSec(), stock.opsPerSec()),
                            s.serverCpuUsPerOp(), Results.ratio(s.serverCpuUsPerOp(), stock.serverCpuUsPerOp()),
                            s.cpu().eachServer(), s.cpu().clientUsPerOp(), s.cpu().machineCores());
                    if (s.errors() > 0)
                        out.note(k.label() + " / " + target[0] + " @" + clients + ": " + s.errors()
                                + " errors (a changed registration answered changed=false counts as an error), first: "
                                + s.firstError());
                }
            }
        }
        out.note("Changed registrations alternate two versions of each broker's topic table (write queues 4 <-> 8) "
                + "under a DataVersion counter that grows with every call (encoded per call, as a broker does), so "
                + "every call is a real change on both servers; an RNS answer with changed=false there is counted as "
                + "an error. Unchanged re-registrations must answer changed=false.");
        out.note("RNS nodes run with raft.sync=true (fsync per log batch). Stock keeps routes in memory only.");
        out.note("Server CPU µs/reg: user + system CPU of the server processes in the measured window per registration "
                + "(RNS: all nodes — the leader, both followers' replication and apply). Work done, not speed: it moves "
                + "much less than reg/s when the shared machine is busy.");
        out.note("Server CPU µs/reg per node: RNS's leader · followers. Load client CPU µs/reg: this benchmark's own "
                + "JVM per registration (building and encoding the requests included). Machine busy cores: the whole "
                + "machine's busy CPU (/proc/stat) over the window, out of "
                + Runtime.getRuntime().availableProcessors() + ".");
    }
}
