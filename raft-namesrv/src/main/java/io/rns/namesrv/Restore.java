package io.rns.namesrv;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.raft.RaftSeed;
import io.rns.statemachine.BackupFile;
import io.rns.statemachine.RouteStateMachine;
import io.rns.statemachine.SnapshotException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Restores a backup ({@code rns snapshot save}) into a new member's data dir: the state-machine store first (checked
 * completely before anything is written), then the Raft log and snapshot for the configured members. Every member of
 * the new cluster is restored from the same file with the same {@code members}; then they are started as usual.
 */
public final class Restore {
    private Restore() {
    }

    /**
     * @return what the backup said about itself
     * @throws SnapshotException for a bad backup, a data dir that already holds a store or a Raft log, or a LEADERLESS
     *                           configuration; the data dir is left as it was
     */
    public static BackupFile.Info restore(Path backup, NamesrvConfig config) throws IOException, InterruptedException {
        if (config.mode() != NamesrvConfig.Mode.RAFT) {
            throw new SnapshotException("restore seeds a RAFT member; this configuration is " + config.mode());
        }
        Path state = config.stateDir();
        Path raft = RaftSeed.raftDir(config);
        RaftSeed.requireEmpty(config);
        boolean hadDataDir = Files.exists(config.dataDir());
        BackupFile.Info info = RouteStateMachine.restoreBackup(backup, state);
        try {
            RaftSeed.seed(config);
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                delete(raft);
                delete(state);
                if (!hadDataDir) {
                    delete(config.dataDir());
                }
            } catch (IOException | UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return info;
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
