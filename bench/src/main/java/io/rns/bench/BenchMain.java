package io.rns.bench;

import io.rns.bench.context.BenchContext;
import io.rns.bench.context.BenchOptions;
import io.rns.bench.report.Results;
import io.rns.bench.scenario.DetectionScenario;
import io.rns.bench.scenario.FailoverScenario;
import io.rns.bench.scenario.ReadsScenario;
import io.rns.bench.scenario.RegistrationsScenario;
import io.rns.bench.scenario.ScaleScenario;
import io.rns.bench.scenario.Scenario;
import io.rns.bench.scenario.WatchScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Side-by-side benchmarks of RNS and the stock RocketMQ 5.5.0 NameServer (scripts/bench.sh runs this). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs benchmark scenarios against the stock RocketMQ 5.5.0 NameServer and an RNS cluster it "
        + "starts itself (all on 127.0.0.1, free ports), and writes results.json, results.md and SVG plots.")
public final class BenchMain implements Callable<Integer> {
    public static final List<Scenario> ALL = List.of(new ReadsScenario(), new RegistrationsScenario(),
            new FailoverScenario(), new DetectionScenario(), new ScaleScenario(), new WatchScenario());

    @Option(names = "--scenario", split = ",", paramLabel = "NAME", description = "scenario(s) to run, in the given order: reads, registrations, failover, detection, scale "
            + "(default: all, in that order)")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--smoke", description = "a few seconds per scenario (CI): it must run, not measure")
    boolean smoke;

    @Option(names = "--duration", paramLabel = "S", description = "measured seconds per load cell (default 4; smoke 1; max 20)")
    Double duration;

    @Option(names = "--warmup", paramLabel = "S", description = "warm-up seconds per load cell (default 1)")
    Double warmup;

    @Option(names = "--repeat", paramLabel = "N", description = "run each load cell of reads and registrations N times, targets interleaved; report the median and the spread (default 1)")
    Integer repeat;

    @Option(names = "--clients", split = ",", paramLabel = "N", description = "client counts for route reads (default 1,4,16,64)")
    List<Integer> clients;

    @Option(names = "--scale-topics", split = ",", paramLabel = "N", description = "route-table sizes (default 10000,100000; add 1000000 if time and memory allow)")
    List<Integer> scaleTopics;

    @Option(names = "--failover-trials", paramLabel = "N", description = "SIGKILL trials (default 5; smoke 1)")
    Integer failoverTrials;

    @Option(names = "--detect-timeout-ms", paramLabel = "MS", description = "broker timeout for both servers in the detection scenario (default: each server's own default; smoke 2000)")
    Long detectTimeoutMs;

    @Option(names = "--out", paramLabel = "DIR", description = "results directory (default bench/target/bench-results/<timestamp>)")
    Path out;

    @Option(names = "--root", paramLabel = "DIR", description = "repository root (default: current directory)")
    Path root = Path.of(".");

    @Option(names = "--stock-classpath", paramLabel = "FILE", description = "file with the stock NameServer classpath (default ROOT/bench/target/classpath.txt)")
    Path stockClasspath;

    @Option(names = "--rns-config", paramLabel = "KEY=VALUE", description = "an extra rns.properties setting for every RNS node of the run (repeatable), e.g. to compare two settings of one build")
    Map<String, String> rnsConfig;

    @Option(names = "--native-at-least-once", description = "native clients write without client sessions (to measure what exactly-once costs on the write path)")
    boolean nativeAtLeastOnce;

    @Option(names = "--machine", paramLabel = "TEXT", description = "free-text note about the machine, stored in the results")
    String machineNote;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path r = root.toAbsolutePath().normalize();
        Path cpFile = stockClasspath != null ? stockClasspath : r.resolve("bench/target/classpath.txt");
        if (!Files.isRegularFile(cpFile)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "stock NameServer classpath file " + cpFile
                    + " is missing (build the bench module: ./mvnw -B -ntp -q -pl bench -am -DskipTests package)");
        }
        Path o = out != null ? out
                : r.resolve("bench/target/bench-results/"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        BenchOptions opts = BenchOptions.defaults(r, o.toAbsolutePath(), Files.readString(cpFile).trim());
        if (smoke)
            opts = opts.asSmoke();
        if (duration != null) {
            if (duration <= 0 || duration > 20)
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--duration must be in (0, 20] seconds, got " + duration);
            opts = opts.withMeasure(duration);
        }
        if (warmup != null) {
            opts = new BenchOptions(opts.root(), opts.out(), opts.smoke(), opts.measureS(), warmup, opts.readClients(),
                    opts.regClients(), opts.smallRegClients(), opts.failoverTrials(), opts.detectTimeoutMs(),
                    opts.scaleTopics(), opts.maxSingleBrokerTopics(), opts.rnsNodes(), opts.rnsHeap(), opts.stockHeap(),
                    opts.stockClasspath(), opts.rnsConfig(), opts.repeat());
        }
        if (clients != null)
            opts = opts.withReadClients(clients);
        if (repeat != null) {
            if (repeat < 1 || repeat > 20)
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--repeat must be in [1, 20], got " + repeat);
            opts = opts.withRepeat(repeat);
        }
        if (scaleTopics != null)
            opts = opts.withScaleTopics(scaleTopics);
        if (failoverTrials != null)
            opts = opts.withFailoverTrials(failoverTrials);
        if (detectTimeoutMs != null)
            opts = opts.withDetectTimeoutMs(detectTimeoutMs);
        if (rnsConfig != null)
            opts = opts.withRnsConfig(rnsConfig);
        List<Scenario> selected = select(scenarios);
        Results results = run(opts, selected, machineNote, String.join(" ", commandLine()), !nativeAtLeastOnce);
        System.out.println("results: " + opts.out());
        boolean failed = results.scenarios.stream().anyMatch(s -> s.status == Results.Status.FAILED);
        return failed ? 1 : 0;
    }

    private List<String> commandLine() {
        // the launcher's main class and arguments (ProcessHandle.info().arguments() is empty on some kernels)
        String cmd = System.getProperty("sun.java.command", "");
        return List.of(cmd.isEmpty() ? "io.rns.bench.BenchMain" : cmd);
    }

    static List<Scenario> select(List<String> names) {
        if (names == null || names.isEmpty() || names.contains("all"))
            return ALL;
        List<Scenario> s = new ArrayList<>();
        for (String n : names) {
            Scenario sc = ALL.stream().filter(x -> x.name().equals(n)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + n + "' (known: "
                            + ALL.stream().map(Scenario::name).toList() + ", all)"));
            s.add(sc);
        }
        return s;
    }

    /** Runs the scenarios; a failing scenario is recorded as FAILED with its error and the run goes on. */
    public static Results run(BenchOptions opts, List<Scenario> selected, String machineNote, String command)
            throws IOException {
        return run(opts, selected, machineNote, command, true);
    }

    /** As above; {@code nativeExactlyOnce}: native clients write in client sessions (false: at least once). */
    public static Results run(BenchOptions opts, List<Scenario> selected, String machineNote, String command,
            boolean nativeExactlyOnce) throws IOException {
        boolean nativeAtLeastOnce = !nativeExactlyOnce;
        Files.createDirectories(opts.out());
        Results results = new Results();
        results.meta.put("started", LocalDateTime.now().toString());
        results.meta.put("command", command);
        results.meta.put("mode", opts.smoke() ? "SMOKE (numbers meaningless)" : "full");
        results.meta.put("machine", machine());
        if (machineNote != null)
            results.meta.put("machine note", machineNote);
        results.meta.put("stock",
                "Apache RocketMQ NameServer 5.5.0 (rocketmq-namesrv from Maven Central), own JVM, -Xmx"
                        + opts.stockHeap());
        results.meta.put("rns",
                opts.rnsNodes() + "-node Raft cluster, one JVM per node, -Xmx" + opts.rnsHeap()
                        + ", raft.sync=true, election timeout " + BenchContext.ELECTION_TIMEOUT_MS + " ms"
                        + (opts.rnsConfig().isEmpty() ? "" : ", --rns-config " + new TreeMap<>(opts.rnsConfig()))
                        + (nativeAtLeastOnce ? ", native clients without sessions (--native-at-least-once)"
                                : ", native clients in client sessions (exactly-once)"));
        results.meta.put("measured window per cell (s)", opts.measureS());
        results.meta.put("warm-up per cell (s)", opts.warmupS());
        results.meta.put("scenarios", selected.stream().map(Scenario::name).toList());
        Map<String, String> notRun = new LinkedHashMap<>();
        for (Scenario s : ALL)
            if (!selected.contains(s))
                notRun.put(s.name(), "not selected");
        if (!notRun.isEmpty())
            results.meta.put("not run", notRun);
        try (BenchContext ctx = new BenchContext(opts, !nativeAtLeastOnce)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ctx::close, "bench-cleanup"));
            for (Scenario s : selected) {
                Results.Scenario sr = results.scenario(s.name());
                sr.note("What it measures: " + s.description() + ".");
                long t0 = System.nanoTime();
                BenchContext.log("=== scenario " + s.name());
                try {
                    s.run(ctx, sr);
                } catch (Exception | Error e) {
                    sr.status = Results.Status.FAILED;
                    sr.error = e.toString();
                    BenchContext.log("scenario " + s.name() + " FAILED: " + e);
                    e.printStackTrace(System.out);
                }
                sr.seconds = (System.nanoTime() - t0) / 1e9;
                results.write(opts.out());
            }
        }
        results.meta.put("finished", LocalDateTime.now().toString());
        results.write(opts.out());
        return results;
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        long memMb = -1;
        try {
            memMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + memMb + " MiB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }
}
