package io.rns.chaos.hosts;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One RNS node "machine" of a {@link Hosts} backend: a fixed id and IP, and at most one node JVM at a time, which
 * always runs on the same config and data dir (so {@link #kill9()} + {@link #start()} is a crash and restart).
 * All methods are bounded in time and thread-safe.
 */
public interface Host {
    /** Node id, {@code n1}, {@code n2}, ... (the RNS {@code node.id}). */
    String id();

    /** The host's IP address, as used in {@code members}. */
    String ip();

    /** {@code ip:clientPort}: where the harness's client reaches this node. */
    String clientAddress();

    /** {@code ip:raftPort}. */
    String raftAddress();

    /** Launches the node JVM (no-op if it is running). Returns at once; poll the node's status to see it serve. */
    void start();

    /** SIGKILL, then waits (bounded) until the process is gone. No-op if not running. */
    void kill9();

    /** SIGCONT if paused, SIGTERM, waits up to a bound for a graceful exit, then SIGKILL. No-op if not running. */
    void stop();

    /** SIGSTOP (no-op if not running or already paused). */
    void pause();

    /** SIGCONT (no-op if not paused). */
    void resume();

    boolean isRunning();

    /** Whether the last signal this host sent was SIGSTOP (and the process is still alive). */
    boolean isPaused();

    /** Pid of the current node JVM, if running. */
    OptionalLong pid();

    /** The node's main log file (logback, appended across restarts). */
    Path logFile();

    /** The node JVM's stdout+stderr (appended across restarts). */
    Path stdoutFile();

    /** The node's data dir (Raft log, metadata, snapshots, RocksDB); kept across restarts, deleted at close. */
    Path dataDir();
}
