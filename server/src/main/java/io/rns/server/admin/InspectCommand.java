package io.rns.server.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.raft.RaftDataReader;
import io.rns.statemachine.BrokerGroup;
import io.rns.statemachine.BrokerMember;
import io.rns.statemachine.QueueConfig;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;
import io.rns.statemachine.StateMachineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code rns-admin inspect DATA_DIR}: what a node's data dir holds, as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = {
        "Print what a RAFT node's data dir holds, as JSON: the state machine's applied index and counts, the Raft "
                + "term, vote, log range and snapshots, and a dump of every broker, topic route and KV entry; with "
                + "--log FROM:TO also the log entries in that range, decoded.",
        "The state store is opened read-only (works next to a running node: its last flushed state); the Raft log "
                + "needs the node stopped (otherwise 'raft' says why it is unavailable)."})
final class InspectCommand implements Callable<Integer> {
    private static final int MAX_LOG_RANGE = 100_000;

    @Parameters(index = "0", paramLabel = "DATA_DIR")
    Path dataDir;

    @Option(names = "--log", paramLabel = "FROM:TO", description = "list the log entries FROM..TO (inclusive; at most "
            + MAX_LOG_RANGE + ")")
    String logRange;

    @Option(names = "--summary", description = "counts and Raft state only: no dump of brokers, topics and KV")
    boolean summary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long[] range = logRange == null ? null : parseRange(logRange);
        if (!Files.isDirectory(dataDir)) {
            return Failures.report(spec, new IllegalArgumentException("data dir " + dataDir + " does not exist"));
        }
        JsonObject out = new JsonObject();
        out.addProperty("data_dir", dataDir.toAbsolutePath().toString());
        try (RouteStateMachine sm = RouteStateMachine.openReadOnly(NamesrvConfig.stateDirIn(dataDir))) {
            RouteImage image = sm.image();
            JsonObject state = new JsonObject();
            state.addProperty("applied_index", image.appliedIndex());
            state.addProperty("broker_groups", image.brokerGroups().size());
            state.addProperty("brokers", image.brokerCount());
            state.addProperty("topics", image.topicCount());
            state.addProperty("kv_namespaces", image.kvNamespaces().size());
            state.addProperty("sessions", sm.sessionCount());
            state.addProperty("tombstones", sm.tombstoneCount());
            out.add("state", state);
            out.add("raft", raft(range));
            if (!summary) {
                out.add("brokers", brokers(image));
                out.add("topics", topics(image));
                out.add("kv", kv(image));
            }
        } catch (StateMachineException e) {
            return Failures.report(spec, e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println(SnapshotAdmin.pretty(out));
        w.flush();
        return AdminMain.EXIT_OK;
    }

    private long[] parseRange(String s) {
        String[] p = s.split(":", -1);
        try {
            long from = Long.parseLong(p[0]);
            long to = p.length == 2 ? Long.parseLong(p[1]) : -1;
            if (p.length != 2 || from < 1 || to < from || to - from >= MAX_LOG_RANGE) {
                throw new NumberFormatException();
            }
            return new long[]{from, to};
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log must be FROM:TO with 1 <= FROM <= TO "
                    + "and at most " + MAX_LOG_RANGE + " entries, got '" + s + "'");
        }
    }

    private JsonObject raft(long[] range) {
        JsonObject r = new JsonObject();
        try (RaftDataReader reader = RaftDataReader.open(dataDir)) {
            RaftDataReader.Meta meta = reader.meta();
            r.addProperty("term", meta.term());
            r.addProperty("voted_for", meta.votedFor());
            r.addProperty("first_log_index", reader.firstLogIndex());
            r.addProperty("last_log_index", reader.lastLogIndex());
            JsonArray snaps = new JsonArray();
            for (RaftDataReader.Snapshot s : reader.snapshots()) {
                JsonObject o = new JsonObject();
                o.addProperty("dir", s.dir().getFileName().toString());
                o.addProperty("last_included_index", s.lastIncludedIndex());
                o.addProperty("last_included_term", s.lastIncludedTerm());
                o.addProperty("peers", String.join(",", s.peers()));
                snaps.add(o);
            }
            r.add("snapshots", snaps);
            if (range != null) {
                JsonArray entries = new JsonArray();
                long from = Math.max(range[0], reader.firstLogIndex());
                long to = Math.min(range[1], reader.lastLogIndex());
                for (long i = from; i <= to; i++) {
                    entries.add(entry(reader.entry(i)));
                }
                r.add("log", entries);
            }
        } catch (IllegalStateException e) {
            r.addProperty("unavailable", e.getMessage());
        }
        return r;
    }

    private static JsonObject entry(RaftDataReader.Entry e) {
        JsonObject o = new JsonObject();
        o.addProperty("index", e.index());
        o.addProperty("term", e.term());
        o.addProperty("type", e.type());
        if (e.record() != null) {
            try {
                o.add("record", JsonParser.parseString(JsonFormat.printer().preservingProtoFieldNames()
                        .omittingInsignificantWhitespace().print(e.record())));
            } catch (InvalidProtocolBufferException ex) {
                o.addProperty("record", e.record().toString());
            }
        } else {
            o.addProperty("peers", String.join(",", e.peers()));
        }
        return o;
    }

    private static JsonArray brokers(RouteImage image) {
        JsonArray a = new JsonArray();
        for (BrokerGroup g : image.brokerGroups().values()) {
            for (BrokerMember m : g.members().values()) {
                JsonObject o = new JsonObject();
                o.addProperty("cluster", m.cluster());
                o.addProperty("broker_name", m.brokerName());
                o.addProperty("broker_id", m.brokerId());
                o.addProperty("addr", m.addr());
                o.addProperty("ha_addr", m.haAddr());
                o.addProperty("epoch", m.epoch());
                o.addProperty("data_version", m.dataVersionTimestamp() + "/" + m.dataVersionCounter());
                o.addProperty("registered_at_ms", m.registeredAtMs());
                o.addProperty("lease_timeout_ms", m.leaseTimeoutMs());
                a.add(o);
            }
        }
        return a;
    }

    private static JsonObject topics(RouteImage image) {
        JsonObject t = new JsonObject();
        image.forEachTopic((topic, queues) -> {
            JsonArray qs = new JsonArray();
            for (Map.Entry<String, QueueConfig> q : queues.entrySet()) {
                JsonObject o = new JsonObject();
                o.addProperty("broker_name", q.getKey());
                o.addProperty("read_queue_nums", q.getValue().readQueueNums());
                o.addProperty("write_queue_nums", q.getValue().writeQueueNums());
                o.addProperty("perm", q.getValue().perm());
                o.addProperty("topic_sys_flag", q.getValue().topicSysFlag());
                qs.add(o);
            }
            t.add(topic, qs);
        });
        return t;
    }

    private static JsonObject kv(RouteImage image) {
        JsonObject kv = new JsonObject();
        for (String ns : image.kvNamespaces()) {
            JsonObject n = new JsonObject();
            image.kvNamespace(ns).forEach(n::addProperty);
            kv.add(ns, n);
        }
        return kv;
    }
}
