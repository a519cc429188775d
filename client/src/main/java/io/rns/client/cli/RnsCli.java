package io.rns.client.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.client.ResponseMeta;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.*;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The {@code rns} command-line tool. Exit codes: 0 success; 1 usage error (bad option or argument); 2 a node
 * answered with an error (or broke the protocol); 3 no node could be reached (connect failure, closed connection,
 * timeout).
 */
@Command(
        name = "rns",
        mixinStandardHelpOptions = true,
        version = "rns 0.1.0",
        exitCodeOnInvalidInput = 1,
        description = "Talks to an RNS (Raft NameServer) cluster.",
        subcommands = {
            RnsCli.Status.class,
            RnsCli.Register.class,
            RnsCli.Unregister.class,
            RnsCli.Route.class,
            RnsCli.Cluster.class,
            RnsCli.Topics.class,
            RnsCli.DeleteTopic.class,
            RnsCli.Kv.class,
            RnsCli.Heartbeat.class,
            RnsCli.Brokers.class,
            RnsCli.Peers.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nOutput:%n",
        footer = {
            "After each result a meta line: served=<LEVEL> node=<id> role=<ROLE> term=<n> applied=<n> endpoint=<host:port>",
            "(served=NONE for writes). Errors: 'error: <CODE>: <message> [leader=<hint>]' on stderr.",
            "Leaderless mode (--mode, or learned): a write goes to every node and succeeds if one did; before the meta",
            "line one line per node: 'node <host:port> ok [...] <meta line>' or 'node <host:port> error <CODE>: <message>'.",
            "%nExit codes: 0 ok, 1 usage error, 2 a node answered with an error, 3 no node reachable (connect/closed/timeout)."
        })
public final class RnsCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 1;
    public static final int EXIT_SERVER_ERROR = 2;
    public static final int EXIT_UNREACHABLE = 3;

    @Mixin
    GlobalOptions globals;

    @Spec
    CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; for tests and embedding. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        RnsCli root = new RnsCli();
        root.env = env;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: INTERNAL: " + ex);
            return EXIT_SERVER_ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Effective global settings: after-command values over before-command values over the environment. */
    record Settings(
            List<String> endpoints,
            String node,
            Consistency consistency,
            long timeoutMs,
            boolean json,
            ClusterMode mode) {}

    abstract static class Cmd implements Callable<Integer> {
        @Mixin
        GlobalOptions local;

        @Spec
        CommandSpec spec;

        Settings settings;
        PrintWriter out;
        PrintWriter err;
        private final JsonFormat.Printer json =
                JsonFormat.printer().omittingInsignificantWhitespace().includingDefaultValueFields();

        @Override
        public final Integer call() {
            out = spec.commandLine().getOut();
            err = spec.commandLine().getErr();
            try {
                settings = resolve();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            NamesrvClient.Builder builder = NamesrvClient.builder()
                    .endpoints(settings.endpoints())
                    .mode(settings.mode())
                    .requestTimeout(Duration.ofMillis(Math.min(3000, settings.timeoutMs())))
                    .overallTimeout(Duration.ofMillis(settings.timeoutMs()))
                    .retryPolicy(RetryPolicy.DEFAULT) // still bounded by --timeout-ms
                    .clientId("rns-cli")
                    .rpcOptions(RpcClientOptions.builder()
                            .connectTimeout(Duration.ofMillis(Math.min(1000, settings.timeoutMs())))
                            .build());
            // only an explicit --consistency is explicit: otherwise the mode's default (leaderless: STALE) applies
            if (settings.consistency() != null) builder.defaultConsistency(settings.consistency());
            try (NamesrvClient client = builder.build()) {
                return run(client);
            } catch (NamesrvException e) {
                printError(e);
                return exitCodeOf(e);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        abstract int run(NamesrvClient client);

        CallOptions options() {
            CallOptions o = CallOptions.DEFAULT;
            if (settings.node() != null) o = o.withNode(settings.node());
            if (settings.consistency() != null) o = o.withConsistency(settings.consistency());
            return o;
        }

        private Settings resolve() {
            String endpoints = null, node = null;
            Consistency consistency = null;
            Long timeoutMs = null;
            Boolean json = null;
            ClusterMode mode = null;
            RnsCli root = null;
            for (CommandSpec s = spec; s != null; s = s.parent()) {
                GlobalOptions g = null;
                Object user = s.userObject();
                if (user instanceof Cmd c) g = c.local;
                else if (user instanceof Kv k) g = k.local;
                else if (user instanceof RnsCli r) {
                    g = r.globals;
                    root = r;
                }
                if (g == null) continue;
                if (endpoints == null) endpoints = g.endpoints;
                if (node == null) node = g.node;
                if (consistency == null) consistency = g.consistency;
                if (timeoutMs == null) timeoutMs = g.timeoutMs;
                if (json == null) json = g.json;
                if (mode == null) mode = g.mode;
            }
            if (mode == null && root != null) {
                String fromEnv = root.env.get("RNS_MODE");
                if (fromEnv != null && !fromEnv.isBlank()) {
                    try {
                        mode = GlobalOptions.parseMode(fromEnv);
                    } catch (CommandLine.TypeConversionException e) {
                        throw new IllegalArgumentException("$RNS_MODE: " + e.getMessage());
                    }
                }
            }
            if (mode == null) mode = ClusterMode.AUTO;
            if (endpoints == null && root != null) {
                String fromEnv = root.env.get("RNS_ENDPOINTS");
                if (fromEnv != null && !fromEnv.isBlank()) endpoints = fromEnv;
            }
            if (endpoints == null) endpoints = GlobalOptions.DEFAULT_ENDPOINTS;
            List<String> list = Arrays.stream(endpoints.split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .collect(Collectors.toList());
            if (list.isEmpty()) throw new IllegalArgumentException("--endpoints: no endpoint given");
            for (String e : list) {
                if (!Endpoints.isValid(e))
                    throw new IllegalArgumentException("--endpoints: '" + e + "' is not host:port");
            }
            if (node != null && !Endpoints.isValid(node)) {
                throw new IllegalArgumentException("--node: '" + node + "' is not host:port");
            }
            long t = timeoutMs == null ? 10_000 : timeoutMs;
            if (t <= 0 || t > Integer.MAX_VALUE) throw new IllegalArgumentException("--timeout-ms must be > 0: " + t);
            return new Settings(list, node, consistency, t, Boolean.TRUE.equals(json), mode);
        }

        /**
         * Prints a write's result: as {@link #emit}, and for a fan-out write (leaderless mode) one line per endpoint
         * before the meta line: {@code node <host:port> ok <meta line>} or {@code node <host:port> error <CODE>: <msg>}
         * (JSON: a "perEndpoint" array).
         */
        void emitWrite(Reply<?> reply, List<String> text, MessageOrBuilder jsonResult) {
            emitWrite(reply, text, jsonResult, v -> "");
        }

        /** As above; {@code perNode} adds a node's own result to its ok line (e.g. its broker_epoch). */
        <T> void emitWrite(
                Reply<T> reply,
                List<String> text,
                MessageOrBuilder jsonResult,
                java.util.function.Function<T, String> perNode) {
            if (!reply.fannedOut()) {
                emit(reply.meta(), text, jsonResult);
                return;
            }
            List<String> lines = new ArrayList<>(text);
            StringBuilder j = new StringBuilder("[");
            reply.perEndpoint().forEach((ep, o) -> {
                if (j.length() > 1) j.append(',');
                if (o.ok()) {
                    String own = perNode.apply(o.reply().value());
                    lines.add("node " + ep + " ok" + (own.isEmpty() ? "" : " " + own) + " "
                            + o.reply().meta().toMetaLine());
                    j.append("{\"endpoint\":")
                            .append(q(ep))
                            .append(",\"ok\":true,\"meta\":")
                            .append(metaJson(o.reply().meta()))
                            .append('}');
                } else {
                    lines.add("node " + ep + " error " + o.error().codeName() + ": "
                            + o.error().detail());
                    j.append("{\"endpoint\":")
                            .append(q(ep))
                            .append(",\"ok\":false,\"error\":")
                            .append(q(o.error().codeName() + ": " + o.error().detail()))
                            .append('}');
                }
            });
            emit(reply.meta(), lines, jsonResult, ",\"perEndpoint\":" + j.append(']'));
        }

        /** Prints a result (text lines or one JSON object) followed by the meta line. */
        void emit(ResponseMeta meta, List<String> text, MessageOrBuilder jsonResult) {
            emit(meta, text, jsonResult, "");
        }

        private void emit(ResponseMeta meta, List<String> text, MessageOrBuilder jsonResult, String jsonExtra) {
            if (settings.json()) {
                out.println("{\"result\":" + toJson(jsonResult) + ",\"meta\":" + metaJson(meta) + jsonExtra + "}");
                err.println(meta.toMetaLine());
            } else {
                text.forEach(out::println);
                out.println(meta.toMetaLine());
            }
            out.flush();
        }

        String toJson(MessageOrBuilder m) {
            try {
                return json.print(m);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        static String metaJson(ResponseMeta m) {
            return "{\"served\":" + q(m.toMetaLine().split(" ")[0].substring("served=".length()))
                    + ",\"node\":" + q(m.nodeId()) + ",\"role\":" + q(String.valueOf(m.role())) + ",\"term\":"
                    + m.term()
                    + ",\"applied\":" + m.appliedIndex() + ",\"msSinceLeaderContact\":" + m.msSinceLeaderContact()
                    + ",\"leaderHint\":" + q(m.leaderHint()) + ",\"endpoint\":" + q(m.endpoint()) + "}";
        }

        static String q(String s) {
            if (s == null) return "null";
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.append('"').toString();
        }

        void printError(NamesrvException e) {
            StringBuilder b = new StringBuilder("error: ")
                    .append(e.codeName())
                    .append(": ")
                    .append(e.detail());
            if (!e.leaderHint().isEmpty()) b.append(" leader=").append(e.leaderHint());
            err.println(b);
            if (e.outcomeUnknown()) {
                err.println("note: the write may or may not have been applied (outcome unknown); it is safe to repeat");
            }
            err.flush();
        }

        static int exitCodeOf(NamesrvException e) {
            return switch (e.kind()) {
                case SERVER, PROTOCOL_ERROR -> EXIT_SERVER_ERROR;
                case TIMEOUT, CONNECT_FAILED, CONNECTION_CLOSED -> EXIT_UNREACHABLE;
            };
        }
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description =
                    "Node status of every endpoint (or of --node): id, mode, role, term, leader, indexes, counts, "
                            + "liveness (leases_tracked and suspects as this node tracks them: only the leader tracks; "
                            + "expiries_proposed/applied and mass_expiry_warnings since it became leader or started), peers. "
                            + "A node that does not answer prints 'unreachable'; exit 0 if at least one answered.")
    static final class Status extends Cmd {
        @Override
        int run(NamesrvClient client) {
            List<String> targets = settings.node() != null ? List.of(settings.node()) : settings.endpoints();
            int answered = 0;
            NamesrvException lastError = null;
            for (String ep : targets) {
                try {
                    Reply<GetNodeStatusResponse> r = client.nodeStatus(ep);
                    GetNodeStatusResponse s = r.value();
                    List<String> lines = new ArrayList<>();
                    lines.add(ep + " id=" + s.getNodeId() + " mode=" + s.getMode() + " role=" + s.getRole()
                            + " term=" + s.getTerm() + " leader="
                            + (s.getLeaderId().isEmpty() ? "-" : s.getLeaderId())
                            + (s.getLeaderClientAddr().isEmpty() ? "" : "@" + s.getLeaderClientAddr())
                            + " applied=" + s.getAppliedIndex() + " commit=" + s.getCommitIndex()
                            + " last_log=" + s.getLastLogIndex() + " snapshot=" + s.getLastSnapshotIndex()
                            + " since_leader_ms=" + s.getMsSinceLeaderContact() + " uptime_ms=" + s.getUptimeMs()
                            + " topics=" + s.getTopics() + " brokers=" + s.getBrokers()
                            + " leases_tracked=" + s.getLeasesTracked() + " suspects=" + s.getSuspects()
                            + " expiries_proposed=" + s.getExpiriesProposed() + " expiries_applied="
                            + s.getExpiriesApplied()
                            + " mass_expiry_warnings=" + s.getMassExpiryWarnings());
                    for (PeerStatus p : s.getPeersList()) {
                        lines.add(
                                "  peer " + p.getNodeId() + " raft=" + p.getRaftAddr() + " client=" + p.getClientAddr()
                                        + (p.getLeader() ? " leader" : "") + (p.getAlive() ? " alive" : ""));
                    }
                    emit(r.meta(), lines, s);
                    answered++;
                } catch (NamesrvException e) {
                    lastError = e;
                    if (settings.json()) {
                        out.println("{\"endpoint\":" + q(ep) + ",\"unreachable\":true,\"error\":"
                                + q(e.codeName() + ": " + e.detail()) + "}");
                    } else {
                        out.println(ep + " unreachable (" + e.codeName() + ": " + e.detail() + ")");
                    }
                    out.flush();
                }
            }
            if (answered > 0 || lastError == null) return EXIT_OK;
            printError(lastError);
            return exitCodeOf(lastError);
        }
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "Register (or re-register) a broker and its topics.",
                "A registered broker has a lease: the leader expires (unregisters) it when nothing heartbeats or "
                        + "re-registers it for that long. A broker registered by hand therefore disappears after "
                        + "its lease unless something heartbeats it ('rns heartbeat --epoch <broker_epoch> "
                        + "--every-ms M --count K', or a broker using the client's BrokerRegistrar).",
                "The lease is --lease-ms, or the server's liveness.default-lease-ms when 0; it must lie within the "
                        + "server's liveness.min-lease-ms and liveness.max-lease-ms (default 300000), otherwise the "
                        + "answer is INVALID_ARGUMENT."
            })
    static final class Register extends Cmd {
        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--broker-name", required = true)
        String brokerName;

        @Option(names = "--broker-id", defaultValue = "0", description = "0 = master (default)")
        long brokerId;

        @Option(
                names = {"--addr", "--broker-addr"},
                required = true,
                paramLabel = "HOST:PORT")
        String addr;

        @Option(names = "--ha-addr", paramLabel = "HOST:PORT")
        String haAddr;

        @Option(
                names = "--topic",
                paramLabel = "T[:READ:WRITE[:PERM]]",
                description = "Repeatable. Queue counts default to 16:16, perm to 6 (read+write).")
        List<String> topics = new ArrayList<>();

        @Option(
                names = "--lease-ms",
                defaultValue = "0",
                paramLabel = "MS",
                description =
                        "The broker's lease in ms (0 = the server's default; at most the server's "
                                + "liveness.max-lease-ms, default 300000). Without a heartbeat for this long the broker expires.")
        long leaseMs;

        @Override
        int run(NamesrvClient client) {
            if (leaseMs < 0 || leaseMs > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--lease-ms must be in [0, " + Integer.MAX_VALUE + "]: " + leaseMs);
            }
            RegisterBrokerRequest.Builder r = RegisterBrokerRequest.newBuilder()
                    .setCluster(cluster)
                    .setBrokerName(brokerName)
                    .setBrokerId(brokerId)
                    .setBrokerAddr(addr)
                    .setLeaseTimeoutMs((int) leaseMs);
            if (haAddr != null) r.setHaServerAddr(haAddr);
            for (String t : topics) r.addTopics(parseTopic(t));
            Reply<RegisterBrokerResponse> reply = client.registerBroker(r.build(), options());
            RegisterBrokerResponse v = reply.value();
            String line = "registered broker_epoch=" + v.getBrokerEpoch() + " changed=" + v.getChanged()
                    + (v.getMasterAddr().isEmpty() ? "" : " master=" + v.getMasterAddr())
                    + (v.getHaServerAddr().isEmpty() ? "" : " ha=" + v.getHaServerAddr())
                    + " lease_ms=" + Integer.toUnsignedLong(v.getLeaseTimeoutMs())
                    + " heartbeat_interval_ms=" + Integer.toUnsignedLong(v.getHeartbeatIntervalMs());
            emitWrite(reply, List.of(line), v, x -> "broker_epoch=" + x.getBrokerEpoch());
            return EXIT_OK;
        }

        TopicConfig parseTopic(String spec) {
            String[] p = spec.split(":", -1);
            if (p[0].isEmpty() || (p.length != 1 && p.length != 3 && p.length != 4)) {
                throw new IllegalArgumentException(
                        "--topic must be T, T:READ:WRITE or T:READ:WRITE:PERM: '" + spec + "'");
            }
            TopicConfig.Builder b = TopicConfig.newBuilder()
                    .setTopic(p[0])
                    .setReadQueueNums(16)
                    .setWriteQueueNums(16)
                    .setPerm(6);
            try {
                if (p.length >= 3) b.setReadQueueNums(Integer.parseInt(p[1])).setWriteQueueNums(Integer.parseInt(p[2]));
                if (p.length == 4) b.setPerm(Integer.parseInt(p[3]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--topic: numbers expected in '" + spec + "'");
            }
            return b.build();
        }
    }

    @Command(
            name = "unregister",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Unregister a broker.")
    static final class Unregister extends Cmd {
        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--broker-name", required = true)
        String brokerName;

        @Option(names = "--broker-id", defaultValue = "0")
        long brokerId;

        @Option(
                names = {"--addr", "--broker-addr"},
                paramLabel = "HOST:PORT")
        String addr;

        @Option(names = "--epoch", defaultValue = "0", description = "0 = whatever is current")
        long epoch;

        @Override
        int run(NamesrvClient client) {
            UnregisterBrokerRequest.Builder r = UnregisterBrokerRequest.newBuilder()
                    .setCluster(cluster)
                    .setBrokerName(brokerName)
                    .setBrokerId(brokerId)
                    .setBrokerEpoch(epoch);
            if (addr != null) r.setBrokerAddr(addr);
            Reply<UnregisterBrokerResponse> reply = client.unregisterBroker(r.build(), options());
            emitWrite(reply, List.of("unregistered"), reply.value());
            return EXIT_OK;
        }
    }

    @Command(
            name = "heartbeat",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "Send a broker heartbeat (to the leader) and print the lease it granted.",
                "With --every-ms M --count K (both or neither): K heartbeats, one every M ms; stops at the first "
                        + "failure. --epoch must be the broker's current epoch (the broker_epoch 'rns register' "
                        + "printed): otherwise STALE_BROKER_EPOCH; UNKNOWN_BROKER if it is not registered (any more).",
                "Prints one line per heartbeat, each followed by the meta line."
            })
    static final class Heartbeat extends Cmd {
        static final int MAX_COUNT = 100_000;

        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--broker-name", required = true)
        String brokerName;

        @Option(names = "--broker-id", defaultValue = "0", description = "0 = master (default)")
        long brokerId;

        @Option(
                names = {"--broker-addr", "--addr"},
                required = true,
                paramLabel = "HOST:PORT")
        String addr;

        @Option(names = "--epoch", required = true, paramLabel = "EPOCH", description = "The broker's current epoch.")
        long epoch;

        @Option(names = "--every-ms", paramLabel = "MS", description = "Interval between heartbeats (with --count).")
        Long everyMs;

        @Option(
                names = "--count",
                paramLabel = "K",
                description = "Number of heartbeats, 1.." + MAX_COUNT + " (with --every-ms).")
        Integer count;

        @Override
        int run(NamesrvClient client) {
            if ((everyMs == null) != (count == null)) {
                throw new IllegalArgumentException("--every-ms and --count must be given together");
            }
            int k = count == null ? 1 : count;
            long m = everyMs == null ? 0 : everyMs;
            if (k < 1 || k > MAX_COUNT)
                throw new IllegalArgumentException("--count must be in [1, " + MAX_COUNT + "]: " + k);
            if (everyMs != null && (m < 1 || m > 3_600_000)) {
                throw new IllegalArgumentException("--every-ms must be in [1, 3600000]: " + m);
            }
            if (epoch <= 0) throw new IllegalArgumentException("--epoch must be > 0: " + epoch);
            HeartbeatRequest hb = HeartbeatRequest.newBuilder()
                    .setCluster(cluster)
                    .setBrokerName(brokerName)
                    .setBrokerId(brokerId)
                    .setBrokerAddr(addr)
                    .setBrokerEpoch(epoch)
                    .build();
            long start = System.nanoTime();
            for (int i = 1; i <= k; i++) {
                if (i > 1) {
                    long wait = start + (i - 1) * m * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            err.println("error: interrupted after " + (i - 1) + " heartbeats");
                            return EXIT_SERVER_ERROR;
                        }
                    }
                }
                Reply<HeartbeatResponse> reply = client.heartbeat(hb, options());
                HeartbeatResponse v = reply.value();
                emit(
                        reply.meta(),
                        List.of("heartbeat " + i + "/" + k + " lease_ms="
                                + Integer.toUnsignedLong(v.getLeaseTimeoutMs()) + " heartbeat_interval_ms="
                                + Integer.toUnsignedLong(v.getHeartbeatIntervalMs())),
                        v);
            }
            return EXIT_OK;
        }
    }

    @Command(
            name = "brokers",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "The leader's broker lease table, one line per broker (sorted by name, then id):",
                "lease cluster=<c> broker=<name> id=<n> addr=<host:port> epoch=<n> last_contact_age_ms=<n> "
                        + "lease_remaining_ms=<n> lease_timeout_ms=<n> flags=<suspect,expiring|->",
                "lease_remaining_ms < 0: expired, expiry pending. suspect: its connection closed, on the short "
                        + "suspect lease. expiring: an expiry is being replicated. Only the leader tracks leases; "
                        + "the request goes to the leader."
            })
    static final class Brokers extends Cmd {
        @Override
        int run(NamesrvClient client) {
            Reply<ListBrokerLeasesResponse> reply = client.listBrokerLeases(options());
            ListBrokerLeasesResponse v = reply.value();
            List<String> lines = new ArrayList<>();
            for (BrokerLease l : v.getLeasesList()) lines.add(leaseLine(l));
            if (lines.isEmpty()) lines.add("(no leases)");
            emit(reply.meta(), lines, v);
            return EXIT_OK;
        }

        static String leaseLine(BrokerLease l) {
            List<String> flags = new ArrayList<>();
            if (l.getSuspect()) flags.add("suspect");
            if (l.getExpiring()) flags.add("expiring");
            return "lease cluster=" + l.getCluster() + " broker=" + l.getBrokerName() + " id=" + l.getBrokerId()
                    + " addr=" + l.getBrokerAddr() + " epoch=" + Long.toUnsignedString(l.getBrokerEpoch())
                    + " last_contact_age_ms=" + l.getLastContactAgeMs() + " lease_remaining_ms="
                    + l.getLeaseRemainingMs()
                    + " lease_timeout_ms=" + Integer.toUnsignedLong(l.getLeaseTimeoutMs())
                    + " flags=" + (flags.isEmpty() ? "-" : String.join(",", flags));
        }
    }

    @Command(
            name = "route",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "The route of a topic (queues and brokers).")
    static final class Route extends Cmd {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        int run(NamesrvClient client) {
            Reply<TopicRoute> reply = client.getTopicRoute(topic, options());
            TopicRoute r = reply.value();
            List<String> lines = new ArrayList<>();
            lines.add("topic=" + r.getTopic());
            for (QueueData q : r.getQueueDatasList()) {
                lines.add("queue broker=" + q.getBrokerName() + " read=" + q.getReadQueueNums() + " write="
                        + q.getWriteQueueNums() + " perm=" + q.getPerm() + " sysflag=" + q.getTopicSysFlag());
            }
            for (BrokerData b : r.getBrokerDatasList()) lines.add(brokerLine(b));
            emit(reply.meta(), lines, r);
            return EXIT_OK;
        }
    }

    static String brokerLine(BrokerData b) {
        return "broker cluster=" + b.getCluster() + " name=" + b.getBrokerName() + " addrs="
                + new java.util.TreeMap<>(b.getBrokerAddrsMap())
                        .entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(","));
    }

    @Command(
            name = "cluster",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Clusters, their brokers and addresses.")
    static final class Cluster extends Cmd {
        @Override
        int run(NamesrvClient client) {
            Reply<GetClusterInfoResponse> reply = client.getClusterInfo(options());
            GetClusterInfoResponse c = reply.value();
            List<String> lines = new ArrayList<>();
            new java.util.TreeMap<>(c.getClusterAddrTableMap())
                    .forEach((name, names) -> lines.add("cluster " + name + ": "
                            + names.getBrokerNamesList().stream().sorted().collect(Collectors.joining(","))));
            new java.util.TreeMap<>(c.getBrokerAddrTableMap()).forEach((name, b) -> lines.add(brokerLine(b)));
            emit(reply.meta(), lines, c);
            return EXIT_OK;
        }
    }

    @Command(
            name = "topics",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Topic names, one per line (sorted).")
    static final class Topics extends Cmd {
        @Option(names = "--cluster", description = "Only this cluster's topics.")
        String cluster;

        @Override
        int run(NamesrvClient client) {
            Reply<List<String>> reply = client.listTopics(cluster, options());
            emit(reply.meta(), reply.value(), ListTopicsResponse.newBuilder().addAllTopics(reply.value()));
            return EXIT_OK;
        }
    }

    @Command(
            name = "delete-topic",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Delete a topic (everywhere, or in one cluster).")
    static final class DeleteTopic extends Cmd {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--cluster")
        String cluster;

        @Override
        int run(NamesrvClient client) {
            Reply<DeleteTopicResponse> reply = client.deleteTopic(topic, cluster, options());
            emitWrite(
                    reply,
                    List.of("existed=" + reply.value().getExisted()),
                    reply.value(),
                    x -> "existed=" + x.getExisted());
            return EXIT_OK;
        }
    }

    @Command(
            name = "kv",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "The namespaced key-value store.",
            subcommands = {KvPut.class, KvGet.class, KvDelete.class, KvList.class})
    static final class Kv implements Callable<Integer> {
        @Mixin
        GlobalOptions local;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing kv command (put, get, delete, list)");
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Set a key.")
    static final class KvPut extends Cmd {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        int run(NamesrvClient client) {
            Reply<Void> reply = client.kvPut(ns, key, value, options());
            emitWrite(reply, List.of("ok"), KvPutResponse.getDefaultInstance());
            return EXIT_OK;
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Print a key's value (KEY_NOT_FOUND: exit 2).")
    static final class KvGet extends Cmd {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        int run(NamesrvClient client) {
            Reply<String> reply = client.kvGet(ns, key, options());
            emit(
                    reply.meta(),
                    List.of(reply.value()),
                    KvGetResponse.newBuilder().setValue(reply.value()));
            return EXIT_OK;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Delete a key.")
    static final class KvDelete extends Cmd {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        int run(NamesrvClient client) {
            Reply<Boolean> reply = client.kvDelete(ns, key, options());
            emitWrite(
                    reply,
                    List.of("existed=" + reply.value()),
                    KvDeleteResponse.newBuilder().setExisted(reply.value()),
                    x -> "existed=" + x);
            return EXIT_OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "All KEY=VALUE of a namespace (sorted by key).")
    static final class KvList extends Cmd {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Override
        int run(NamesrvClient client) {
            Reply<Map<String, String>> reply = client.kvList(ns, options());
            List<String> lines = reply.value().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.toList());
            emit(reply.meta(), lines, KvListResponse.newBuilder().putAllEntries(reply.value()));
            return EXIT_OK;
        }
    }

    @Command(
            name = "peers",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "Raft group membership (raft mode only; a leaderless node answers UNSUPPORTED_REQUEST).",
                "Each peer prints as: peer <id> raft=<host:port> client=<host:port|-> [leader] [alive]",
                "(alive: as the leader sees it; shown only by the leader). add/remove/transfer go to the leader."
            },
            subcommands = {PeersList.class, PeersAdd.class, PeersRemove.class, PeersTransfer.class})
    static final class Peers implements Callable<Integer> {
        @Mixin
        GlobalOptions local;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing peers command (list, add, remove, transfer)");
        }

        static List<String> peerLines(List<PeerStatus> peers) {
            List<String> lines = new ArrayList<>();
            for (PeerStatus p : peers) {
                lines.add("peer " + p.getNodeId() + " raft=" + p.getRaftAddr()
                        + " client=" + (p.getClientAddr().isEmpty() ? "-" : p.getClientAddr())
                        + (p.getLeader() ? " leader" : "") + (p.getAlive() ? " alive" : ""));
            }
            if (lines.isEmpty()) lines.add("(no peers)");
            return lines;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "The voting members as the node asked (--node, or any) knows them: the leader's current "
                    + "configuration, elsewhere the last committed one.")
    static final class PeersList extends Cmd {
        @Override
        int run(NamesrvClient client) {
            Reply<ListPeersResponse> reply = client.listPeers(options());
            emit(reply.meta(), Peers.peerLines(reply.value().getPeersList()), reply.value());
            return EXIT_OK;
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "Add a voter. The leader lets it catch up, then commits the new configuration; prints the "
                        + "configuration after the change.",
                "The new node must be running with its raft port reachable (a brand-new node: start it with the "
                        + "current members plus itself in its members setting)."
            })
    static final class PeersAdd extends Cmd {
        @Parameters(index = "0", paramLabel = "MEMBER", description = "id@host:raftPort:clientPort")
        String member;

        @Override
        int run(NamesrvClient client) {
            NamesrvClient.parseMember(member); // usage error (exit 1) before any network traffic
            Reply<AddPeerResponse> reply = client.addPeer(member, options());
            emit(reply.meta(), Peers.peerLines(reply.value().getPeersList()), reply.value());
            return EXIT_OK;
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = {
                "Remove a voter (the leader too: it steps down once the change commits); prints the "
                        + "configuration after the change.",
                "Refused (INVALID_ARGUMENT) if it is not a member, the last one, or the remaining live voters would "
                        + "not be a majority. The removed node keeps running until you stop it."
            })
    static final class PeersRemove extends Cmd {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(NamesrvClient client) {
            Reply<RemovePeerResponse> reply = client.removePeer(id, options());
            emit(reply.meta(), Peers.peerLines(reply.value().getPeersList()), reply.value());
            return EXIT_OK;
        }
    }

    @Command(
            name = "transfer",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = 1,
            description = "Hand leadership to a voter; prints 'transfer started from <old leader> to <id>' (the target "
                    + "leads after its election, usually well under a second).")
    static final class PeersTransfer extends Cmd {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(NamesrvClient client) {
            Reply<TransferLeadershipResponse> reply = client.transferLeadership(id, options());
            emit(
                    reply.meta(),
                    List.of("transfer started from " + reply.value().getPreviousLeaderId() + " to " + id),
                    reply.value());
            return EXIT_OK;
        }
    }
}
