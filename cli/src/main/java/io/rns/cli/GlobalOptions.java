package io.rns.cli;

import io.rns.client.ClusterMode;
import io.rns.rpc.v1.Consistency;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * Options accepted before and after every command. A value given after the command wins over one given before it.
 * Fields stay {@code null} when not given so that the two places can be merged.
 */
public final class GlobalOptions {
    static final String DEFAULT_ENDPOINTS = "127.0.0.1:9771,127.0.0.1:9772,127.0.0.1:9773";

    @Option(names = "--endpoints", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Nodes to talk to (comma-separated). Default: $RNS_ENDPOINTS, else "
            + DEFAULT_ENDPOINTS + ".")
    String endpoints;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "Ask only this node: one attempt, no failover, no redirect to the leader.")
    String node;

    @Option(names = "--consistency", paramLabel = "LEVEL", converter = ConsistencyConverter.class, description = "Read level: linearizable, lease, sequential or stale (any case). Default: linearizable; "
            + "stale in leaderless mode (which refuses the others).")
    Consistency consistency;

    @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class, description = "Cluster mode: auto (default: learned from the first node status answer), raft or leaderless "
            + "(any case). Default: $RNS_MODE, else auto. Leaderless: reads default to stale and stick to one "
            + "node; writes go to every node (success if one succeeded; per-node outcomes are printed).")
    ClusterMode mode;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Overall deadline of the command in ms, retries included (default 10000; one attempt gets at most 3000).")
    Long timeoutMs;

    @Option(names = "--json", description = "Print results as JSON on stdout (one object per line, with a \"meta\" member); "
            + "the meta line then goes to stderr.")
    Boolean json;

    /** Case-insensitive mode names. */
    public static final class ModeConverter implements ITypeConverter<ClusterMode> {
        @Override
        public ClusterMode convert(String value) {
            return parseMode(value);
        }
    }

    static ClusterMode parseMode(String value) {
        switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "AUTO" :
                return ClusterMode.AUTO;
            case "RAFT" :
                return ClusterMode.RAFT;
            case "LEADERLESS" :
                return ClusterMode.LEADERLESS;
            default :
                throw new TypeConversionException("'" + value + "' is not a mode (auto, raft, leaderless)");
        }
    }

    /** Case-insensitive level names. */
    public static final class ConsistencyConverter implements ITypeConverter<Consistency> {
        @Override
        public Consistency convert(String value) {
            switch (value.trim().toUpperCase(Locale.ROOT)) {
                case "LINEARIZABLE" :
                    return Consistency.LINEARIZABLE;
                case "LEASE" :
                    return Consistency.LEASE;
                case "SEQUENTIAL" :
                    return Consistency.SEQUENTIAL;
                case "STALE" :
                    return Consistency.STALE;
                default :
                    throw new TypeConversionException(
                            "'" + value + "' is not a consistency level (linearizable, lease, sequential, stale)");
            }
        }
    }
}
