package io.rns.server.admin;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rns-admin}: offline tools. Exit codes: 0 done / all checks passed, 1 usage error, 2 a refused or failed
 * operation (a bad backup, a non-empty target, a data dir that fails a check; the message names the problem).
 */
@Command(name = "rns-admin", mixinStandardHelpOptions = true, version = "rns-admin 0.1.0", description = {
        "Offline tools on backups and on a stopped node's data dir.",
        "Take a backup from a running cluster with: rns snapshot save FILE"}, subcommands = {SnapshotAdmin.class,
                InspectCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class AdminMain implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 1;
    public static final int EXIT_FAILED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool with these arguments (tests call this), returning the exit code. */
    public static int run(String... args) {
        return new CommandLine(new AdminMain()).setParameterExceptionHandler((ex, given) -> {
            CommandLine cl = ex.getCommandLine();
            cl.getErr().println("rns-admin: " + ex.getMessage());
            cl.usage(cl.getErr());
            return EXIT_USAGE;
        }).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (snapshot, inspect, verify)");
    }
}
