package io.rns.chaos.hosts;

import java.nio.file.Path;

/**
 * What every backend knows about one node host: its id, address, ports (by index), run directory, data directory
 * and config file, and whether the harness paused it. Starting, stopping and signalling are the backend's.
 */
abstract class NodeHost implements Host {
    static final int RAFT_PORT_BASE = 9780;
    static final int CLIENT_PORT_BASE = 9770;

    final String id;
    final String ip;
    final int index;
    final Path dir;
    final Path dataDir;
    final Path config;
    /** Guarded by the backend's lock. */
    boolean paused;

    NodeHost(String id, String ip, int index, Path dir, Path dataDir, Path config) {
        this.id = id;
        this.ip = ip;
        this.index = index;
        this.dir = dir;
        this.dataDir = dataDir;
        this.config = config;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String ip() {
        return ip;
    }

    @Override
    public String clientAddress() {
        return ip + ":" + (CLIENT_PORT_BASE + index);
    }

    @Override
    public String raftAddress() {
        return ip + ":" + (RAFT_PORT_BASE + index);
    }

    @Override
    public Path logFile() {
        return dir.resolve("logs").resolve("rns.log");
    }

    @Override
    public Path stdoutFile() {
        return dir.resolve("stdout.log");
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }
}
