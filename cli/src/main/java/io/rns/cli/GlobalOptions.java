package io.rns.cli;

import io.rns.client.ClusterMode;
import io.rns.rpc.v1.Consistency;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

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

    @Option(names = "--tls", description = "Connect with TLS (nodes with tls.mode=permissive or enforcing), trusting "
            + "the JVM's CAs unless --tls-ca is given. Default: on if $RNS_TLS_CA or --tls-ca is set.")
    Boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificates the nodes' certificates must chain to (implies --tls). Default: "
            + "$RNS_TLS_CA. The node's certificate must name the host in --endpoints.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate, for nodes with tls.client-auth=require. Default: $RNS_TLS_CERT.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 key of --tls-cert. Default: $RNS_TLS_KEY.")
    Path tlsKey;

    @Option(names = "--auth-file", paramLabel = "FILE", description = "A file holding ACCOUNT:SECRET, for nodes with auth.enabled=true (a file, so the secret is not "
            + "in the process list). Default: $RNS_AUTH (ACCOUNT:SECRET itself), else none (the anonymous account).")
    Path authFile;

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
        return named(value, "mode", ClusterMode.AUTO, ClusterMode.RAFT, ClusterMode.LEADERLESS);
    }

    /** Case-insensitive level names. */
    public static final class ConsistencyConverter implements ITypeConverter<Consistency> {
        @Override
        public Consistency convert(String value) {
            return named(value, "consistency level", Consistency.LINEARIZABLE, Consistency.LEASE,
                    Consistency.SEQUENTIAL, Consistency.STALE);
        }
    }

    /** The one of {@code allowed} that {@code value} names in any case; else the error lists them in lower case. */
    @SafeVarargs
    private static <E extends Enum<E>> E named(String value, String what, E... allowed) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (E e : allowed) {
            if (e.name().equals(name))
                return e;
        }
        throw new TypeConversionException("'" + value + "' is not a " + what + " ("
                + Arrays.stream(allowed).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ")");
    }
}
