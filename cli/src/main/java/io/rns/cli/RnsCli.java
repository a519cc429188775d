package io.rns.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code rns} command-line tool. Exit codes: 0 success; 1 usage error (bad option or argument); 2 a node
 * answered with an error (or broke the protocol); 3 no node could be reached (connect failure, closed connection,
 * timeout).
 */
@Command(name = "rns", mixinStandardHelpOptions = true, version = "rns 0.1.0", exitCodeOnInvalidInput = 1, description = "Talks to an RNS (Raft NameServer) cluster.", subcommands = {
        StatusCommand.class, BrokerCommands.Register.class, BrokerCommands.Unregister.class, TopicCommands.Route.class,
        TopicCommands.ClusterInfo.class, TopicCommands.Topics.class, TopicCommands.DeleteTopic.class,
        KvCommands.Kv.class, BrokerCommands.Heartbeat.class, BrokerCommands.Brokers.class, PeerCommands.Peers.class,
        SnapshotCommands.Snapshot.class, ShadowCommand.class, ImportKvCommand.class, WatchCommand.class,
        CommandLine.HelpCommand.class}, footerHeading = "%nOutput:%n", footer = {
                "After each result a meta line: served=<LEVEL> node=<id> role=<ROLE> term=<n> applied=<n> endpoint=<host:port>",
                "(served=NONE for writes). Errors: 'error: <CODE>: <message> [leader=<hint>]' on stderr.",
                "Leaderless mode (--mode, or learned): a write goes to every node and succeeds if one did; before the meta",
                "line one line per node: 'node <host:port> ok [...] <meta line>' or 'node <host:port> error <CODE>: <message>'.",
                "%nExit codes: 0 ok, 1 usage error, 2 a node answered with an error, 3 no node reachable (connect/closed/timeout)."})
public final class RnsCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 1;
    public static final int EXIT_SERVER_ERROR = 2;
    public static final int EXIT_UNREACHABLE = 3;

    @Mixin
    GlobalOptions globals;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

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
}
