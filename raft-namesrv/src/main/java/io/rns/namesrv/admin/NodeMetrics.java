package io.rns.namesrv.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rns.namesrv.consensus.NodeState;
import io.rns.namesrv.consensus.NodeStatus;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.watch.WatchHub;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.v1.Role;
import io.rns.statemachine.RouteStateMachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus registry and the meters read from the node's own counters at scrape time (README "Metrics"
 * lists every name): Raft progress and role, the route table's size, broker liveness, the client port's connections
 * and refusals, readiness, and the JVM. Request counts and latencies are recorded on the request path into the same
 * registry ({@code api.RequestMetrics}). Every meter carries the tag {@code node}. Every source is held strongly
 * (gauges by their builder's option, function counters in {@link #held}): Micrometer keeps only a weak reference, and a source such as a method reference has no other
 * referent, so it was collected and the gauge read NaN (seen: {@code rns_ready NaN} after a GC).
 */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final String nodeId;
    /** The function counters' sources, held here (FunctionCounter has no strong-reference option). */
    private final List<Object> held = new ArrayList<>();

    public NodeMetrics(String nodeId) {
        this.nodeId = nodeId;
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Raft (or leaderless) progress, role and health of this node, and the size of its route table. */
    public NodeMetrics bindNode(NodeStatus status, Supplier<Probe> readiness) {
        gauge("rns.raft.term", "the highest term this node knows", status, s -> s.state().term());
        for (Role r : new Role[]{Role.LEADER, Role.FOLLOWER, Role.CANDIDATE, Role.LEARNER, Role.INACTIVE,
                Role.LEADERLESS}) {
            Gauge.builder("rns.raft.role", status, s -> s.state().role() == r ? 1 : 0)
                    .description("1 for this node's current role").tag("role", r.name().toLowerCase(Locale.ROOT))
                    .strongReference(true).register(registry);
        }
        gauge("rns.raft.commit.index", "the commit index this node knows", status, s -> s.state().commitIndex());
        gauge("rns.raft.applied.index", "the last log index applied to this node's route table", status,
                NodeStatus::appliedIndex);
        Gauge.builder("rns.raft.apply.lag", status, s -> Math.max(0, s.state().commitIndex() - s.appliedIndex()))
                .description("committed entries not yet applied here").baseUnit("entries").strongReference(true)
                .register(registry);
        gauge("rns.raft.last.log.index", "the last index in this node's log", status, s -> s.state().lastLogIndex());
        gauge("rns.raft.last.snapshot.index", "the last index included in this node's latest snapshot", status,
                s -> s.state().lastSnapshotIndex());
        Gauge.builder("rns.raft.leader.contact.age", status, s -> {
            NodeState st = s.state();
            return st.msSinceLeaderContact() < 0 ? Double.NaN : st.msSinceLeaderContact() / 1000.0;
        }).description("time since this node last heard from the leader (0 on the leader; NaN if none)")
                .baseUnit("seconds").strongReference(true).register(registry);
        FunctionCounter.builder("rns.raft.leader.changes", status, NodeStatus::leaderChanges)
                .description("leaders this node has seen take over since it started").register(registry);
        held.add(status);
        gauge("rns.raft.halted", "1 if this replica halted after an apply, snapshot or Raft error", status,
                s -> s.haltReason() == null ? 0 : 1);
        Gauge.builder("rns.ready", readiness, r -> r.get().ok() ? 1 : 0).description("1 if /ready would answer 200")
                .strongReference(true).register(registry);
        registry.getPrometheusRegistry().register(new EngineCollector(nodeId, status));
        gauge("rns.route.topics", "topics in this node's route table", status, s -> s.image().topicCount());
        gauge("rns.route.brokers", "brokers in this node's route table", status, s -> s.image().brokerCount());
        return this;
    }

    /** Broker liveness as the leader tracks it (zero on followers, which track nothing). */
    public NodeMetrics bindLiveness(LivenessService liveness) {
        gauge("rns.liveness.leases", "broker leases this node tracks (as leader)", liveness,
                l -> l.tracker().tracked());
        gauge("rns.liveness.suspects", "brokers whose bound connection closed and that have not heartbeated since",
                liveness, l -> l.tracker().suspects());
        counter("rns.liveness.expiries.proposed", "broker expiries this node proposed as leader", liveness,
                LivenessService::expiriesProposed);
        counter("rns.liveness.expiries.applied", "broker expiries this node proposed that took effect", liveness,
                LivenessService::expiriesApplied);
        counter("rns.liveness.mass.expiry.guard", "times the mass-expiry guard slowed expiries down", liveness,
                l -> l.tracker().massExpiryWarnings());
        counter("rns.liveness.heartbeat.copies.ignored",
                "numbered heartbeats that renewed nothing (a copy of one already counted)", liveness,
                l -> l.tracker().heartbeatCopiesIgnored());
        return this;
    }

    /** The watch hub: polls held, and the history watchers resume from. */
    public NodeMetrics bindWatch(WatchHub hub) {
        gauge("rns.watch.polls", "watch polls this node holds now", hub, h -> h.stats().waiting());
        gauge("rns.watch.history.changes", "route changes held for watchers to resume from", hub,
                h -> h.stats().historySize());
        gauge("rns.watch.history.bytes",
                "encoded size of the routes those changes hold (watch.history-bytes bounds it)", hub,
                h -> h.stats().historyBytes());
        gauge("rns.watch.history.floor", "the oldest revision a watcher can resume from without a reset", hub,
                h -> h.stats().floor());
        return this;
    }

    /** The admin listener's own requests and refusals ({@code port="admin"}). */
    public NodeMetrics bindAdmin(Supplier<AdminServer.Stats> stats) {
        FunctionCounter.builder("rns.admin.requests", stats, s -> s.get().requests())
                .description("admin listener requests (status page, metrics, probes)").tag("port", "admin")
                .register(registry);
        FunctionCounter.builder("rns.admin.refused", stats, s -> s.get().refused())
                .description(
                        "admin requests refused: unknown path (404), method (405), credentials (401), permission (403)")
                .tag("port", "admin").register(registry);
        FunctionCounter.builder("rns.admin.failed", stats, s -> s.get().failed())
                .description("admin requests that failed (500)").tag("port", "admin").register(registry);
        held.add(stats);
        return this;
    }

    /** The state machine's RocksDB store (read at scrape time; -1 once the node closed it). */
    public NodeMetrics bindStore(Supplier<RouteStateMachine.StoreStats> stats) {
        Gauge.builder("rns.store.keys", stats, s -> s.get().estimatedKeys())
                .description("keys in the state-machine store (RocksDB's estimate)").strongReference(true)
                .register(registry);
        Gauge.builder("rns.store.sst", stats, s -> s.get().sstBytes()).baseUnit("bytes")
                .description("size of the state-machine store's SST files").strongReference(true).register(registry);
        Gauge.builder("rns.store.memtable", stats, s -> s.get().memtableBytes()).baseUnit("bytes")
                .description("size of the state-machine store's memtables").strongReference(true).register(registry);
        Gauge.builder("rns.store.live.data", stats, s -> s.get().liveDataBytes()).baseUnit("bytes")
                .description("live data in the state-machine store (RocksDB's estimate)").strongReference(true)
                .register(registry);
        return this;
    }

    /** The native client port's connections and refusals ({@code port} names it in the labels). */
    public NodeMetrics bindRpcServer(String port, Supplier<RpcServer.Stats> stats) {
        Gauge.builder("rns.rpc.connections.open", stats, s -> s.get().connectionsOpen())
                .description("open client connections").tag("port", port).strongReference(true).register(registry);
        Gauge.builder("rns.rpc.in.flight", stats, s -> s.get().inFlight()).description("requests being handled now")
                .tag("port", port).strongReference(true).register(registry);
        rpcCounter(port, "rns.rpc.connections.accepted", "client connections accepted", stats,
                RpcServer.Stats::connectionsAccepted);
        rpcCounter(port, "rns.rpc.connections.refused",
                "connections closed at once: over limits.max-connections or limits.max-connections-per-host", stats,
                RpcServer.Stats::connectionsRefused);
        rpcCounter(port, "rns.rpc.overloaded", "requests refused OVERLOADED (a full queue)", stats,
                RpcServer.Stats::overloaded);
        rpcCounter(port, "rns.rpc.deadline.exceeded", "requests whose deadline passed before an answer", stats,
                RpcServer.Stats::deadlineExceeded);
        rpcCounter(port, "rns.rpc.protocol.errors", "connections closed for a malformed or oversized frame", stats,
                RpcServer.Stats::protocolErrors);
        rpcCounter(port, "rns.rpc.internal.errors", "requests that failed with INTERNAL", stats,
                RpcServer.Stats::internalErrors);
        rpcCounter(port, "rns.rpc.permission.denied",
                "requests refused for want of an account allowed to make them (auth.enabled; RocketMQ: 16)", stats,
                RpcServer.Stats::permissionDenied);
        return this;
    }

    private void rpcCounter(String port, String name, String help, Supplier<RpcServer.Stats> stats,
            ToDoubleFunction<RpcServer.Stats> f) {
        FunctionCounter.builder(name, stats, s -> f.applyAsDouble(s.get())).description(help).tag("port", port)
                .register(registry);
        held.add(stats);
    }

    private <T> void gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).strongReference(true).register(registry);
    }

    private <T> void counter(String name, String help, T obj, ToDoubleFunction<T> f) {
        FunctionCounter.builder(name, obj, f).description(help).register(registry);
        held.add(obj);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
