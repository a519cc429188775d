package io.rns.compat.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RNS NameServers of a scenario: a local 3-node RNS cluster started with scripts/cluster.sh, whose nodes are
 * started by scripts/rns-node on server/target/lib (every node also serves the RocketMQ remoting protocol). Ports: client 977i+K, raft 978i+K, RocketMQ 987i+K for a free, seeded offset K.
 */
final class RnsNameServers implements NameServers {
    private static final Pattern LEADER = Pattern.compile("node=(\\S+) role=LEADER");

    private final ScenarioEnv it;
    private final Path dir;
    private final Path cliLog;
    private final List<String> rocketmqAddrs;
    private final List<String> endpoints;
    private volatile boolean closed;

    private RnsNameServers(ScenarioEnv it, Path dir, List<String> rocketmqAddrs, List<String> endpoints) {
        this.it = it;
        this.dir = dir;
        this.cliLog = dir.resolve("cluster-cli.log");
        this.rocketmqAddrs = rocketmqAddrs;
        this.endpoints = endpoints;
    }

    /**
     * @param flags more options of {@code scripts/cluster.sh start}: {@code --tls} (TLS only on the client and RocketMQ
     *              ports, mutual TLS between the Raft ports; dev certificates in DIR/tls), {@code --auth} (auth.enabled; accounts in DIR/auth); cluster.env
     *              tells scripts/rns about either
     */
    static RnsNameServers start(ScenarioEnv it, String... flags) throws Exception {
        Path jar = it.root.resolve("server/target/lib/server-0.1.0-SNAPSHOT.jar");
        Path cli = it.root.resolve("cli/target/cli-0.1.0-SNAPSHOT.jar");
        for (Path p : List.of(jar, cli)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(
                        p + " is missing: build it first (the reactor does: ./mvnw verify builds"
                                + " server and cli before rocketmq-compat-it)");
            }
        }
        // cluster.sh accepts offsets 0..1000; 0 (the defaults) is left to people running clusters by hand
        int k = it.freePorts(1, 1001, 1, 9771, 9772, 9773, 9781, 9782, 9783, 9791, 9792, 9793, 9871, 9872, 9873);
        Path dir = it.workDir.resolve("rns-cluster" + String.join("", flags).replace("--", "-"));
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("bash", it.root.resolve("scripts/cluster.sh").toString(), "start",
                "-n", "3", "--dir", dir.toString(), "--port-offset", Integer.toString(k)));
        cmd.addAll(List.of(flags));
        ScenarioEnv.log("starting a 3-node RNS cluster: %s", String.join(" ", cmd.subList(1, cmd.size())));
        int rc = ScenarioEnv.run(cmd, dir.resolve("cluster-cli.log"), Duration.ofSeconds(300),
                // a generous leader wait: CI and dev machines here have 2 cores shared with other work
                Map.of("RNS_NODE_HEAP", "256m", "RNS_START_WAIT_SECS", "180"));
        if (rc != 0) {
            throw new IllegalStateException("scripts/cluster.sh start failed (exit " + rc + "):\n"
                    + ScenarioEnv.tail(dir.resolve("cluster-cli.log"), 40));
        }
        Map<String, String> env = readEnv(dir.resolve("cluster.env"));
        List<String> rmq = split(env.get("RNS_ROCKETMQ_ADDRS"), "RNS_ROCKETMQ_ADDRS");
        List<String> eps = split(env.get("RNS_ENDPOINTS"), "RNS_ENDPOINTS");
        if (rmq.size() != 3 || eps.size() != 3) {
            throw new IllegalStateException("cluster.env lists " + rmq + " / " + eps + ", expected 3 nodes each");
        }
        RnsNameServers c = new RnsNameServers(it, dir, rmq, eps);
        // should the test JVM end without its @AfterAll, still stop the nodes (by their pid files)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!c.closed) {
                c.close();
            }
        }, "rns-cluster-stop"));
        ScenarioEnv.log("RNS cluster up: RocketMQ addrs %s, RNS endpoints %s, dir %s", c.addrList(), eps, dir);
        return c;
    }

    private static List<String> split(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("cluster.env has no " + what);
        }
        return new ArrayList<>(Arrays.stream(v.split("[;,]")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static Map<String, String> readEnv(Path f) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#") || !line.contains("=")) {
                continue;
            }
            String k = line.substring(0, line.indexOf('=')).trim();
            if (k.startsWith("export ")) {
                k = k.substring(7).trim();
            }
            String v = line.substring(line.indexOf('=') + 1).trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            m.put(k, v);
        }
        return m;
    }

    @Override
    public List<String> addrs() {
        return rocketmqAddrs;
    }

    /** Asks every node with `scripts/rns status` until one reports role=LEADER; returns its index (n1 = 0). */
    @Override
    public int leader() throws Exception {
        for (int attempt = 0; attempt < 30; attempt++) {
            for (String ep : endpoints) {
                Path out = dir.resolve("rns-status.out");
                Files.deleteIfExists(out);
                int rc = ScenarioEnv.run(
                        List.of("bash", it.root.resolve("scripts/rns").toString(), "--endpoints", ep, "status"), out,
                        Duration.ofSeconds(60), Map.of("RNS_CLUSTER_DIR", dir.toString()));
                String text = Files.readString(out, StandardCharsets.UTF_8);
                Files.writeString(cliLog, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                Matcher m = LEADER.matcher(text);
                if (rc == 0 && m.find()) {
                    String node = m.group(1);
                    int idx = Integer.parseInt(node.replaceAll("\\D", "")) - 1;
                    ScenarioEnv.log("RNS leader: %s (asked %s)", node, ep);
                    return idx;
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("no node reported role=LEADER; see " + cliLog);
    }

    @Override
    public void kill(int i) throws Exception {
        cluster("kill", Integer.toString(i + 1));
    }

    @Override
    public void restart(int i) throws Exception {
        cluster("restart", Integer.toString(i + 1));
    }

    private void cluster(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", it.root.resolve("scripts/cluster.sh").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--dir", dir.toString()));
        ScenarioEnv.log("$ scripts/cluster.sh %s --dir %s", String.join(" ", args), dir);
        int rc = ScenarioEnv.run(cmd, cliLog, Duration.ofSeconds(120), Map.of());
        if (rc != 0) {
            throw new IllegalStateException("scripts/cluster.sh " + String.join(" ", args) + " failed (exit " + rc
                    + "):\n" + ScenarioEnv.tail(cliLog, 30));
        }
    }

    /** The cluster's directory: n<i>/logs, cluster.env, tls/. */
    Path dir() {
        return dir;
    }

    @Override
    public String describe() {
        return "RNS cluster in " + dir + " (node logs in n<i>/logs, cluster.sh output in " + cliLog + ")";
    }

    @Override
    public void close() {
        closed = true;
        try {
            cluster("stop");
        } catch (Exception e) {
            ScenarioEnv.log("stopping the RNS cluster failed: %s", e);
        }
    }
}
