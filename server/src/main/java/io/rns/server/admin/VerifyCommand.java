package io.rns.server.admin;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.raft.RaftDataReader;
import io.rns.statemachine.RouteStateMachine;
import io.rns.statemachine.SnapshotException;
import io.rns.statemachine.StateMachineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code rns-admin verify DATA_DIR}: the checksums of a stopped node's files. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check a stopped RAFT node's data dir: the state store's RocksDB block checksums and that it loads; every "
                + "Raft snapshot's manifest, file sizes and CRC32C; every Raft log entry (readable, checksum when "
                + "recorded, decodable record); and that the log continues the store (no missing entries between "
                + "the store's applied index and the log).",
        "Prints one line per check; exit 0 if all pass, 2 naming the first failure of each part otherwise."})
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATA_DIR")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(dataDir)) {
            return Failures.report(spec, new IllegalArgumentException("data dir " + dataDir + " does not exist"));
        }
        List<String> failures = new ArrayList<>();
        long applied = -1;
        try (RouteStateMachine sm = RouteStateMachine.openReadOnly(NamesrvConfig.stateDirIn(dataDir))) {
            sm.verifyStoreChecksums();
            applied = sm.appliedIndex();
            out.println("ok   state store: checksums pass, loads at applied index " + applied);
        } catch (StateMachineException e) {
            failures.add("state store: " + e.getMessage());
        }
        try (RaftDataReader reader = RaftDataReader.open(dataDir)) {
            RaftDataReader.Meta meta = reader.meta();
            out.println("ok   raft meta: term " + meta.term());
            long newestSnapshot = 0;
            for (RaftDataReader.Snapshot s : reader.snapshots()) {
                try {
                    long idx = RouteStateMachine.verifySnapshot(s.dir());
                    if (idx != s.lastIncludedIndex()) {
                        throw new SnapshotException(
                                "holds applied index " + idx + " but jraft's meta says " + s.lastIncludedIndex());
                    }
                    newestSnapshot = Math.max(newestSnapshot, idx);
                    out.println("ok   raft snapshot " + s.dir().getFileName() + ": manifest and CRC32C of every "
                            + "file pass (index " + idx + ", term " + s.lastIncludedTerm() + ")");
                } catch (SnapshotException e) {
                    failures.add("raft snapshot " + s.dir().getFileName() + ": " + e.getMessage());
                }
            }
            long first = reader.firstLogIndex();
            long last = reader.lastLogIndex();
            long checked = 0;
            try {
                for (long i = first; i <= last && last > 0; i++) {
                    reader.entry(i);
                    checked++;
                }
                out.println(
                        "ok   raft log: " + checked + " entries " + first + ".." + last + " readable and decodable");
            } catch (IllegalStateException e) {
                failures.add("raft log: " + e.getMessage());
            }
            long covered = Math.max(applied, newestSnapshot);
            if (applied >= 0 && last > 0 && covered < first - 1) {
                failures.add("raft log starts at " + first + " but the store and snapshots reach only index " + covered
                        + ": entries " + (covered + 1) + ".." + (first - 1) + " are missing");
            } else if (applied >= 0) {
                out.println("ok   continuity: the store (applied " + applied + ") and the log (" + first + ".." + last
                        + ") leave no gap");
            }
        } catch (IllegalStateException e) {
            failures.add("raft: " + e.getMessage());
        }
        out.flush();
        if (failures.isEmpty()) {
            out.println("verify: all checks passed");
            out.flush();
            return AdminMain.EXIT_OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        failures.forEach(f -> err.println("FAIL " + f));
        err.flush();
        return AdminMain.EXIT_FAILED;
    }
}
