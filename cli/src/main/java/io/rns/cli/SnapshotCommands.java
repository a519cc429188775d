package io.rns.cli;

import io.rns.client.NamesrvClient;
import io.rns.client.SavedSnapshot;
import io.rns.rpc.v1.SaveSnapshotResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** {@code rns snapshot save FILE}: a backup of a running cluster (restore it with {@code rns-admin}). */
final class SnapshotCommands {
    private SnapshotCommands() {
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Backups of a running cluster (raft mode only). Check, inspect and restore them with rns-admin "
                    + "(rns-admin snapshot status FILE, rns-admin snapshot restore FILE --config ...)."}, subcommands = {
                            SnapshotSave.class})
    static final class Snapshot extends CommandGroup {
        @Override
        String missingCommandMessage() {
            return "missing snapshot command (save)";
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Save a consistent backup of the whole state (brokers, topics, KV, client sessions) into FILE, which must "
                    + "not exist. One node (--node, or any) runs a read barrier at --consistency (default "
                    + "LINEARIZABLE: the backup holds every write acknowledged before the command started), copies "
                    + "its store at one applied index and sends it in chunks; FILE appears only once complete and its "
                    + "SHA-256 checked.",
            "Prints: snapshot saved FILE bytes=<n> applied_index=<i> sha256=<hex> node=<id>"})
    static final class SnapshotSave extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "the backup file to create")
        Path file;

        @Override
        void run(NamesrvClient client) {
            SavedSnapshot s;
            try {
                s = client.saveSnapshot(file, options());
            } catch (UncheckedIOException e) {
                throw new Failure(RnsCli.EXIT_USAGE, "rns: " + e.getMessage());
            } catch (IllegalStateException e) {
                throw new Failure(RnsCli.EXIT_SERVER_ERROR, "rns: backup refused: " + e.getMessage());
            }
            output.emit(s.meta(),
                    List.of("snapshot saved " + s.file() + " bytes=" + s.bytes() + " applied_index=" + s.appliedIndex()
                            + " sha256=" + s.sha256() + " node=" + s.meta().nodeId()),
                    SaveSnapshotResponse.newBuilder().setTotalBytes(s.bytes()).setAppliedIndex(s.appliedIndex())
                            .setSha256(s.sha256()));
        }
    }
}
