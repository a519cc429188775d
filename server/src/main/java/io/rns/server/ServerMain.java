package io.rns.server;

import io.rns.namesrv.NamesrvNode;
import io.rns.namesrv.config.ConfigKeys;
import io.rns.namesrv.config.ConfigLoader;
import io.rns.namesrv.config.NamesrvConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one RNS node: {@code ServerMain --config conf/rns.properties} plus optional {@code -Drns.<key>=value}. Exit
 * codes: 0 after a normal shutdown (SIGTERM), 1 if the node failed to start, 2 for an invalid configuration, 3 when the
 * replica halted on an apply, snapshot or Raft error and {@code node.exit-on-halt} is on (the default), so that a
 * supervisor restarts it instead of leaving a node up that can only serve stale reads.
 */
@Command(name = "rns-server", mixinStandardHelpOptions = true, description = "Runs one RNS node (Raft-replicated RocketMQ-style NameServer).")
public final class ServerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    @Option(names = "--config", description = "properties file (every key is documented in conf/rns.properties); "
            + "-Drns.<key>=value overrides it")
    Path config;

    @Option(names = "--list-config", description = "print every configuration key with its default, unit and meaning, then exit")
    boolean listConfig;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (listConfig) {
            spec.commandLine().getOut().print(ConfigKeys.listing());
            spec.commandLine().getOut().flush();
            return 0;
        }
        NamesrvConfig cfg;
        try {
            cfg = ConfigLoader.load(config, ConfigLoader.systemOverrides(System.getProperties()));
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.err.println("rns-server: invalid configuration: " + e.getMessage());
            return 2;
        }
        log.info("effective configuration:");
        cfg.describe().forEach((k, v) -> log.info("  {} = {}", k, v));
        NamesrvNode node = new NamesrvNode(cfg);
        if (cfg.operations().exitOnHalt()) {
            node.onHalt(reason -> exitHalted(cfg.nodeId(), reason));
        } else {
            node.onHalt(reason -> log.error(
                    "node {} HALTED and stays up (node.exit-on-halt=false): {}; it answers"
                            + " reads STALE at most and /ready says halted until an operator restarts it",
                    cfg.nodeId(), reason));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "rns-shutdown"));
        try {
            node.start();
        } catch (Exception | LinkageError e) { // LinkageError: a broken classpath must not leave a half-started JVM
            log.error("node {} failed to start: {}", cfg.nodeId(), e.toString(), e);
            System.err.println("rns-server: failed to start: " + e);
            node.close();
            return 1;
        }
        stopped.await();
        return 0;
    }

    /**
     * Exits with {@link NamesrvConfig.Operations#EXIT_HALTED} after logging why; the shutdown hook closes the node.
     * A close that hangs on the halted replica cannot keep the process up: it is halted hard after a grace period.
     */
    private static void exitHalted(String nodeId, String reason) {
        int code = NamesrvConfig.Operations.EXIT_HALTED;
        log.error(
                "node {} HALTED: {}. Exiting with code {} (node.exit-on-halt=true) so its supervisor restarts it;"
                        + " if it halts again on restart, the log entry or store named above needs an operator",
                nodeId, reason, code);
        System.err.println("rns-server: node " + nodeId + " halted: " + reason + "; exiting with code " + code);
        Thread hard = new Thread(() -> {
            try {
                Thread.sleep(HALT_EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(code);
        }, "rns-halt-exit");
        hard.setDaemon(true);
        hard.start();
        new Thread(() -> System.exit(code), "rns-halt-exit-graceful").start();
    }

    private static final long HALT_EXIT_GRACE_MS = 15_000;
}
