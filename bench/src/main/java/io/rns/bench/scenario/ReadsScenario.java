package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.infra.BenchCluster;
import io.rns.bench.infra.LoadRunner;
import io.rns.bench.infra.LoadRunner.Stats;
import io.rns.bench.infra.Repeated;
import io.rns.bench.infra.RmqClient;
import io.rns.bench.report.Results;
import io.rns.bench.report.Svg;
import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.rpc.v1.Consistency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Route reads (GET_ROUTEINFO_BY_TOPIC) at each client count: the stock NameServer over the RocketMQ protocol; RNS
 * over its native protocol at STALE / LEASE / LINEARIZABLE on the leader and on a follower; RNS over the RocketMQ
 * protocol at its default LINEARIZABLE and at STALE (ext field rnsConsistency).
 */
public final class ReadsScenario implements Scenario {
    @Override
    public String name() {
        return "reads";
    }

    @Override
    public String description() {
        return "route reads at N concurrent clients: stock (RocketMQ protocol) vs RNS native STALE/LEASE/LINEARIZABLE "
                + "on leader and follower (+ RNS RocketMQ protocol)";
    }

    /** A read target: label and a per-thread operation factory. */
    /** @param pids the server processes doing the work (their CPU time is measured per operation) */
    private record Target(String label, LoadRunner.Op op, List<Long> pids) {
    }

    @Override
    public void run(BenchContext ctx, Results.Scenario out) throws Exception {
        ctx.ensureReadBroker();
        BenchCluster rns = ctx.rns();
        BenchCluster.Node leader = rns.awaitLeader(30_000);
        BenchCluster.Node follower = rns.follower(leader);
        String stockAddr = ctx.stock().addr();
        int maxClients = ctx.opts.readClients().stream().mapToInt(Integer::intValue).max().orElse(1);
        int conns = Math.min(8, maxClients);
        BenchContext.Connections connections = ctx.connections(conns, Duration.ofSeconds(5));
        List<RmqClient> rmq = connections.rmq();
        List<NamesrvClient> nat = connections.nat();
        List<Target> targets = new ArrayList<>();
        List<Long> stockPid = List.of(ctx.stock().pid());
        List<Long> rnsPids = new ArrayList<>(List.of(rns.pid(leader.id()), rns.pid(follower.id())));
        rns.nodes().stream().filter(n -> !n.equals(leader) && !n.equals(follower))
                .forEach(n -> rnsPids.add(rns.pid(n.id())));
        targets.add(new Target("stock rmq",
                (t, seq) -> rmq.get(t % conns).route(stockAddr, topic(t, seq), null).orThrow(), stockPid));
        for (Consistency c : List.of(Consistency.STALE, Consistency.LEASE, Consistency.LINEARIZABLE)) {
            for (BenchCluster.Node n : List.of(leader, follower)) {
                CallOptions o = CallOptions.DEFAULT.withConsistency(c).withNode(n.endpoint());
                String role = n.equals(leader) ? "leader" : "follower";
                targets.add(new Target("rns native " + c + " " + role, (t, seq) -> {
                    nat.get(t % conns).getTopicRoute(topic(t, seq), o);
                    return true;
                }, rnsPids));
            }
        }
        for (String level : new String[]{null, "STALE"}) {
            for (BenchCluster.Node n : List.of(leader, follower)) {
                String role = n.equals(leader) ? "leader" : "follower";
                String addr = n.rmqAddr();
                targets.add(new Target("rns rmq " + (level == null ? "default(LINEARIZABLE)" : level) + " " + role,
                        (t, seq) -> rmq.get(t % conns).route(addr, topic(t, seq), level).orThrow(), rnsPids));
            }
        }
        Results.Table tab = out.table(
                "Route reads (GET_ROUTEINFO_BY_TOPIC), closed loop, " + ctx.opts.measureS() + " s measured after "
                        + ctx.opts.warmupS() + " s warm-up per cell" + Repeated.title(ctx.opts.repeat()),
                "target", "clients", "req/s", "req/s min–max", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors",
                "req/s ratio to stock", "p99 ratio to stock", "server CPU µs/req", "CPU/req ratio to stock",
                "server CPU µs/req per node", "load client CPU µs/req", "machine busy cores");
        Map<String, Map<Integer, Double>> rps = new LinkedHashMap<>();
        Map<String, Map<String, Double>> lat = new LinkedHashMap<>();
        int maxC = maxClients;
        // Stock is the first cell of every client count, so without this it alone would run while the load client's
        // (and its own) code paths are still being compiled: one unrecorded pass over every target first.
        double prewarmS = ctx.opts.warmupS();
        if (prewarmS > 0) {
            for (Target target : targets) {
                LoadRunner.run(Math.min(maxC, 16), 0, prewarmS, target.op());
            }
            out.note("Before the sweep every target got one unrecorded " + prewarmS + " s pass at " + Math.min(maxC, 16)
                    + " clients (JIT warm-up of the load client and the servers), so stock is not the only cold cell.");
        }
        int repeat = ctx.opts.repeat();
        for (int clients : ctx.opts.readClients()) {
            Map<String, Repeated> cells = new LinkedHashMap<>();
            for (int run = 1; run <= repeat; run++) { // the targets interleaved, run after run
                for (Target target : targets) {
                    Stats s = LoadRunner.run(clients, ctx.opts.warmupS(), ctx.opts.measureS(), target.op(),
                            target.pids());
                    cells.computeIfAbsent(target.label(), k -> new Repeated()).add(s);
                    BenchContext.log(String.format("reads %-40s c=%-3d %9.0f req/s p99 %.2f ms err %d%s",
                            target.label(), clients, s.opsPerSec(), s.p99Ms(), s.errors(),
                            repeat > 1 ? " (run " + run + "/" + repeat + ")" : ""));
                }
            }
            Stats stock = null;
            for (Target target : targets) {
                Repeated cell = cells.get(target.label());
                Stats s = cell.median();
                if (stock == null)
                    stock = s;
                out.addOk(s.ok());
                tab.row(target.label(), clients, s.opsPerSec(), cell.opsSpread(), s.p50Ms(), s.p99Ms(), s.p999Ms(),
                        s.maxMs(), s.errors(), Results.ratio(s.opsPerSec(), stock.opsPerSec()),
                        Results.ratio(s.p99Ms(), stock.p99Ms()), s.serverCpuUsPerOp(),
                        Results.ratio(s.serverCpuUsPerOp(), stock.serverCpuUsPerOp()), s.cpu().eachServer(),
                        s.cpu().clientUsPerOp(), s.cpu().machineCores());
                rps.computeIfAbsent(target.label(), k -> new LinkedHashMap<>()).put(clients, s.opsPerSec());
                if (clients == maxC) {
                    Map<String, Double> q = new LinkedHashMap<>();
                    q.put("p50", s.p50Ms());
                    q.put("p99", s.p99Ms());
                    q.put("p99.9", s.p999Ms());
                    lat.put(target.label(), q);
                }
                if (s.errors() > 0)
                    out.note(target.label() + " @" + clients + ": " + s.errors() + " errors, first: " + s.firstError());
            }
        }
        Svg.lineChart(ctx.out().resolve("reads-throughput.svg"), "Route reads: throughput vs concurrent clients",
                "concurrent clients", "requests/s", rps);
        Svg.groupedBars(ctx.out().resolve("reads-latency.svg"), "Route read latency at " + maxC + " clients", "ms",
                lat);
        out.plots.add("reads-throughput.svg");
        out.plots.add("reads-latency.svg");
        out.note("Each client is a thread doing synchronous calls back to back; clients share " + conns
                + " connections per protocol (RocketMQ: one NettyRemotingClient each; native: one NamesrvClient each). "
                + "Topics: " + BenchContext.READ_TOPICS
                + " topics of one broker, read round robin. The load client runs "
                + "on the same machine as all servers.");
        out.note("Server CPU µs/req: user + system CPU time of the server processes during the measured window "
                + "(/proc/PID/stat, 10 ms ticks) divided by the requests served — for RNS the sum over all "
                + rns.nodes().size()
                + " nodes (a follower's LINEARIZABLE read also costs the leader work). It counts work "
                + "done rather than speed, so it moves much less than req/s when the shared machine is busy or slow: "
                + "compare changes by it. Below 1 is better.");
        out.note("Server CPU µs/req per node: RNS's leader · the follower the follower targets read from · the other "
                + "follower. Load client CPU µs/req: this benchmark's own JVM (the load threads and their client "
                + "libraries) per request. Machine busy cores: the whole machine's busy CPU (/proc/stat, everything "
                + "but idle and iowait) over the window, out of " + Runtime.getRuntime().availableProcessors()
                + ": at the core count, the cell was limited by the machine the load client shares with the servers, "
                + "not by one server's work.");
    }

    static String topic(int thread, long seq) {
        return BenchContext.READ_TOPIC + (int) ((thread * 7L + seq) % BenchContext.READ_TOPICS);
    }
}
