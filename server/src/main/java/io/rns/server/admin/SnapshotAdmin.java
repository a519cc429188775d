package io.rns.server.admin;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.rns.namesrv.Restore;
import io.rns.namesrv.config.ConfigKeys;
import io.rns.namesrv.config.ConfigLoader;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.statemachine.BackupFile;
import io.rns.statemachine.SnapshotException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code rns-admin snapshot status|restore}: backups made by {@code rns snapshot save}. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Backups made by 'rns snapshot save'.", subcommands = {
        SnapshotAdmin.Status.class, SnapshotAdmin.RestoreCommand.class})
final class SnapshotAdmin implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing snapshot command (status, restore)");
    }

    static JsonObject describe(BackupFile.Info i) {
        JsonObject o = new JsonObject();
        o.addProperty("applied_index", i.appliedIndex());
        o.addProperty("term", i.term());
        o.addProperty("source_node", i.sourceNode());
        o.addProperty("created_at", Instant.ofEpochMilli(i.createdAtMs()).toString());
        o.addProperty("entries", i.entries());
        o.addProperty("bytes", i.bytes());
        o.addProperty("sha256", i.sha256());
        return o;
    }

    static String pretty(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
            "Check a backup completely (format, versions, every entry, SHA-256) and print what it holds as JSON.",
            "Exit 2 with the problem named if it is truncated, corrupt, of another version or not a backup."})
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                JsonObject o = describe(BackupFile.verify(file));
                o.addProperty("file", file.toString());
                o.addProperty("ok", true);
                out.println(pretty(o));
                out.flush();
                return AdminMain.EXIT_OK;
            } catch (SnapshotException e) {
                return Failures.report(spec, e);
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = {
            "Seed a NEW member's data dir from a backup (etcdutl snapshot restore). Run it once per member of the new "
                    + "cluster, each with its own node configuration (node.id, members, data.dir); every member "
                    + "must list the same members. Then start the members as usual: they elect a leader and serve "
                    + "the backup's state, continuing after its applied index.",
            "The backup is checked completely before anything is written; a data dir that already holds a store "
                    + "or a Raft log is refused; on any failure nothing is left behind. Brokers in the backup keep "
                    + "their registrations and must heartbeat the new cluster within their lease, as after a "
                    + "leader change; client sessions are kept."})
    static final class RestoreCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "a backup made by 'rns snapshot save'")
        Path file;

        @Option(names = "--config", required = true, description = "the new member's configuration file (as for rns-node)")
        Path config;

        @Option(names = "--data-dir", description = "overrides data.dir of --config")
        Path dataDir;

        @Option(names = "-D", paramLabel = "KEY=VALUE", description = "overrides a configuration key, as -Drns.KEY=VALUE does for the node")
        Map<String, String> overrides = new HashMap<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> o = new HashMap<>(ConfigLoader.systemOverrides(System.getProperties()));
            o.putAll(overrides);
            if (dataDir != null) {
                o.put(ConfigKeys.DATA_DIR.name(), dataDir.toString());
            }
            NamesrvConfig cfg;
            try {
                cfg = ConfigLoader.load(config, o);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "invalid configuration: " + e.getMessage());
            }
            try {
                BackupFile.Info info = Restore.restore(file, cfg);
                JsonObject j = describe(info);
                j.addProperty("restored_into", cfg.dataDir().toAbsolutePath().toString());
                j.addProperty("node_id", cfg.nodeId());
                j.addProperty("members", cfg.members().stream().map(m -> m.id() + "@" + m.raftAddress())
                        .reduce((a, b) -> a + "," + b).orElse(""));
                out.println(pretty(j));
                out.flush();
                return AdminMain.EXIT_OK;
            } catch (SnapshotException e) {
                return Failures.report(spec, e);
            }
        }
    }
}
