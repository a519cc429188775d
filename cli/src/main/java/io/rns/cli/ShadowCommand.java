package io.rns.cli;

import io.rns.cli.rocketmq.NamesrvReader;
import io.rns.cli.rocketmq.NamesrvReader.Target;
import io.rns.cli.shadow.DifferenceLog;
import io.rns.cli.shadow.NodeView;
import io.rns.cli.shadow.Poller;
import io.rns.cli.shadow.Report;
import io.rns.cli.shadow.Side;
import io.rns.rpc.v1.Consistency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rns shadow}: polls the stock NameServers and the RNS nodes' RocketMQ ports side by side and reports every
 * difference and how long it lasted (the migration playbook's evidence).
 */
@Command(name = "shadow", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
        "Compare stock RocketMQ NameServers with RNS, continuously: brokers, clusters, the route of every topic, KV entries.",
        "Every node is asked over the RocketMQ protocol (RNS: its RocketMQ port), all nodes at once each poll. Per key,",
        "the legacy nodes are first compared among themselves (LEGACY_DIVERGENCE: stock nodes never talk to each other),",
        "the RNS nodes among themselves (RNS_DIVERGENCE), then the two sides (LEGACY_ONLY, RNS_ONLY, DIFFERS).",
        "A poll is clean when every node answered and nothing but LEGACY_DIVERGENCE is open.",
        "Exit codes: 0 the last poll was clean, 1 usage error, 4 the last poll was not clean."}, footer = {
                "%nStdout, per poll: 'poll N TIME: ...: clean|not clean', then '+ KIND key: node,node: value | ...' per new",
                "difference, '- KIND key resolved after S s' per resolved one, '! node unreachable: why' per unread node.",
                "The summary files are rewritten after every poll (an interrupted run leaves the last one)."})
final class ShadowCommand implements Callable<Integer> {
    static final int EXIT_NOT_CLEAN = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--legacy", required = true, paramLabel = "HOST:PORT[;HOST:PORT...]", description = "The stock NameServers (';' or ',' separated), as brokers' namesrvAddr lists them.")
    String legacy;

    @Option(names = "--rns", required = true, paramLabel = "HOST:PORT[;HOST:PORT...]", description = "The RNS nodes' RocketMQ ports (rocketmq.port, default 9876).")
    String rns;

    @Option(names = "--rns-consistency", paramLabel = "LEVEL", defaultValue = "LINEARIZABLE", description = "Read level asked of the RNS nodes (ext field rnsConsistency): LINEARIZABLE (default), LEASE, SEQUENTIAL or STALE (any case).")
    String rnsConsistency;

    @Option(names = "--kv-namespace", paramLabel = "NS", description = "A KV namespace to compare (repeatable; default ORDER_TOPIC_CONFIG). The protocol has no list of namespaces, so name them.")
    List<String> kvNamespaces = new ArrayList<>(List.of("ORDER_TOPIC_CONFIG"));

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class, description = "Time between polls (e.g. 500ms, 10s, 1m; default 10s).")
    Duration interval;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class, description = "Stop after this long (default 5m).")
    Duration duration;

    @Option(names = "--once", description = "One poll, then the summary.")
    boolean once;

    @Option(names = "--until-clean", paramLabel = "N", defaultValue = "0", description = "Stop early after N clean polls in a row (0: never).")
    int untilClean;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "3000", description = "Deadline of each request (default 3000).")
    long timeoutMs;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Write the summary as JSON here.")
    Path jsonOut;

    @Option(names = "--markdown-out", paramLabel = "FILE", description = "Write the summary as Markdown here.")
    Path markdownOut;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> legacyAddrs = addrs(legacy, "--legacy");
        List<String> rnsAddrs = addrs(rns, "--rns");
        for (String a : rnsAddrs) {
            if (legacyAddrs.contains(a))
                throw new ParameterException(spec.commandLine(), "'" + a + "' is in both --legacy and --rns");
        }
        validate();
        List<Poller.Node> nodes = new ArrayList<>();
        legacyAddrs.forEach(a -> nodes.add(new Poller.Node(new Target(a, Map.of()), Side.LEGACY)));
        Map<String, String> ext = Map.of("rnsConsistency", rnsLevel().name());
        rnsAddrs.forEach(a -> nodes.add(new Poller.Node(new Target(a, ext), Side.RNS)));
        DifferenceLog log = new DifferenceLog(clock.instant());
        Instant deadline = log.started().plus(duration);
        try (NamesrvReader reader = new NamesrvReader(timeoutMs);
                Poller poller = new Poller(reader, nodes, kvNamespaces)) {
            while (true) {
                long startedNs = System.nanoTime();
                List<NodeView> views = poller.poll();
                DifferenceLog.Poll p = log.record(clock.instant(), views);
                Report.pollLines(p, nodes.size()).forEach(out::println);
                out.flush();
                writeSummary(log, legacyAddrs, rnsAddrs);
                if (once || (untilClean > 0 && log.consecutiveClean() >= untilClean))
                    break;
                long sleepMs = interval.toMillis() - (System.nanoTime() - startedNs) / 1_000_000;
                if (clock.instant().plusMillis(Math.max(0, sleepMs)).isAfter(deadline))
                    break;
                if (sleepMs > 0)
                    Thread.sleep(sleepMs);
            }
        }
        boolean clean = log.last().clean();
        long blocking = log.open().stream().filter(t -> t.kind().blocksMigration()).count();
        out.println("shadow: " + log.polls() + " polls, " + log.cleanPolls() + " clean; last poll "
                + (clean ? "clean"
                        : "NOT clean: " + blocking + " differences block the migration, "
                                + log.last().unreachable().size() + " nodes unreachable"));
        out.flush();
        return clean ? RnsCli.EXIT_OK : EXIT_NOT_CLEAN;
    }

    private void validate() {
        rnsLevel();
        if (interval.isZero() || interval.isNegative())
            throw new ParameterException(spec.commandLine(), "--interval must be positive");
        if (untilClean < 0)
            throw new ParameterException(spec.commandLine(), "--until-clean must be >= 0");
        if (timeoutMs <= 0)
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be positive");
    }

    /** The level named by --rns-consistency (any case), through the same converter as --consistency. */
    private Consistency rnsLevel() {
        try {
            return new GlobalOptions.ConsistencyConverter().convert(rnsConsistency);
        } catch (TypeConversionException e) {
            throw new ParameterException(spec.commandLine(),
                    "--rns-consistency must be LINEARIZABLE, LEASE, SEQUENTIAL or STALE, not '" + rnsConsistency + "'");
        }
    }

    private List<String> addrs(String list, String option) {
        try {
            return Addresses.parse(list, option);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void writeSummary(DifferenceLog log, List<String> legacyAddrs, List<String> rnsAddrs) {
        Instant now = clock.instant();
        if (jsonOut != null)
            replace(jsonOut, Report.json(log, legacyAddrs, rnsAddrs, now));
        if (markdownOut != null)
            replace(markdownOut, Report.markdown(log, legacyAddrs, rnsAddrs, now));
    }

    private static void replace(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
