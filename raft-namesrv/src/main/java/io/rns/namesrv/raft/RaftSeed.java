package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.option.BootstrapOptions;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.statemachine.RouteStateMachine;
import io.rns.statemachine.SnapshotException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Seeds the Raft part of a new member's data dir from a restored state-machine store (etcdutl's "snapshot restore"):
 * jraft's bootstrap writes a Raft snapshot of the store at its applied index N (term 1) and the configured members as
 * the configuration entry at N + 1. Every member seeded from the same backup with the same members holds the same log,
 * so the new cluster elects a leader at once and continues at N + 2; no entry at or below N is ever replayed onto the
 * restored store.
 */
public final class RaftSeed {
    private RaftSeed() {
    }

    /** The Raft part of a node's data dir. */
    public static Path raftDir(NamesrvConfig config) {
        return JraftNode.raftDir(config);
    }

    /** @throws SnapshotException if the Raft part of the data dir exists and is not empty */
    public static void requireEmpty(NamesrvConfig config) throws IOException {
        Path raft = raftDir(config);
        if (Files.isDirectory(raft)) {
            try (var list = Files.list(raft)) {
                if (list.findAny().isEmpty()) {
                    return;
                }
            }
        } else if (!Files.exists(raft)) {
            return;
        }
        throw new SnapshotException("refusing to restore into " + config.dataDir() + ": " + raft
                + " is not empty (restore seeds a new member; move the old data dir away first)");
    }

    /**
     * Seeds {@code <data dir>/raft} for the store already restored at {@link NamesrvConfig#stateDir()}.
     *
     * @throws SnapshotException if the Raft directory is not empty or jraft refuses (its log says why)
     */
    public static void seed(NamesrvConfig config) throws IOException, InterruptedException {
        requireEmpty(config);
        Path raft = raftDir(config);
        Files.createDirectories(raft);
        try (RouteStateMachine sm = RouteStateMachine.open(config.stateDir())) {
            RouteFsm fsm = new RouteFsm(config.nodeId(), sm);
            BootstrapOptions o = new BootstrapOptions();
            o.setGroupId(JraftNode.GROUP_ID);
            o.setGroupConf(JraftNode.initialConf(config));
            o.setLastLogIndex(sm.appliedIndex());
            o.setFsm(fsm);
            o.setLogUri(JraftNode.logDir(config).toString());
            o.setRaftMetaUri(JraftNode.metaDir(config).toString());
            o.setSnapshotUri(JraftNode.snapshotDir(config).toString());
            o.setEnableMetrics(false);
            boolean ok = JRaftUtils.bootstrap(o); // shuts its node down, and with it the fsm (onShutdown)
            if (!ok) {
                throw new SnapshotException("jraft refused to seed " + raft + " at applied index " + sm.appliedIndex()
                        + " (see the log above)");
            }
        }
    }
}
