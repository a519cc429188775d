package io.rns.cli;

import io.rns.cli.output.Output;
import io.rns.client.CallOptions;
import io.rns.client.ClusterMode;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.transport.ClientTls;
import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.Consistency;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A command that talks to the cluster: resolves the global options, builds a {@link NamesrvClient} for one run,
 * maps a {@link NamesrvException} to an error line and an exit code.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions local;

    @Spec
    CommandSpec spec;

    Settings settings;
    Output output;
    PrintWriter err;

    /** Effective global settings: after-command values over before-command values over the environment. */
    record Settings(List<String> endpoints, String node, Consistency consistency, long timeoutMs, boolean json,
            ClusterMode mode, ClientTls tls, String credentials) {

        /** Without the secret. */
        @Override
        public String toString() {
            return "Settings[endpoints=" + endpoints + ", node=" + node + ", mode=" + mode + ", account="
                    + (credentials == null ? "none" : credentials.substring(0, credentials.indexOf(':'))) + "]";
        }
    }

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try {
            settings = resolve();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        output = new Output(out, err, settings.json());
        NamesrvClient.Builder builder = NamesrvClient.builder().endpoints(settings.endpoints()).mode(settings.mode())
                .requestTimeout(Duration.ofMillis(Math.min(3000, settings.timeoutMs())))
                .overallTimeout(Duration.ofMillis(settings.timeoutMs())).retryPolicy(RetryPolicy.DEFAULT) // still bounded by --timeout-ms
                .clientId("rns-cli")
                .rpcOptions(RpcClientOptions.builder()
                        .connectTimeout(Duration.ofMillis(Math.min(1000, settings.timeoutMs()))).tls(settings.tls())
                        .build());
        if (settings.credentials() != null) {
            int colon = settings.credentials().indexOf(':');
            builder.credentials(settings.credentials().substring(0, colon),
                    settings.credentials().substring(colon + 1));
        }
        // only an explicit --consistency is explicit: otherwise the mode's default (leaderless: STALE) applies
        if (settings.consistency() != null)
            builder.defaultConsistency(settings.consistency());
        try (NamesrvClient client = builder.build()) {
            run(client);
            return RnsCli.EXIT_OK;
        } catch (NamesrvException e) {
            return fail(e);
        } catch (Failure e) {
            err.println(e.getMessage());
            err.flush();
            return e.exitCode;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The command itself: returning is success (exit 0); a {@link NamesrvException} prints the error and exits with
     * its code, a {@link Failure} prints its message and exits with its code, an {@link IllegalArgumentException} is a
     * usage error (exit 1).
     */
    abstract void run(NamesrvClient client);

    /** A command's failure that is not the server's: the line to print on stderr and the exit code. */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** The per-call options of {@code --node} and {@code --consistency}. */
    CallOptions options() {
        CallOptions o = CallOptions.DEFAULT;
        if (settings.node() != null)
            o = o.withNode(settings.node());
        if (settings.consistency() != null)
            o = o.withConsistency(settings.consistency());
        return o;
    }

    /** Prints the error and returns its exit code. */
    int fail(NamesrvException e) {
        output.error(e);
        if (e.kind() == NamesrvException.Kind.CONNECTION_CLOSED && settings.tls() == null) {
            err.println("rns: hint: a node with tls.mode=enforcing closes plaintext connections at once; if the nodes "
                    + "run TLS, give --tls-ca FILE (or set RNS_TLS_CA)");
            err.flush();
        }
        return exitCodeOf(e);
    }

    static int exitCodeOf(NamesrvException e) {
        return switch (e.kind()) {
            case SERVER, PROTOCOL_ERROR -> RnsCli.EXIT_SERVER_ERROR;
            case TIMEOUT, CONNECT_FAILED, CONNECTION_CLOSED -> RnsCli.EXIT_UNREACHABLE;
        };
    }

    private Settings resolve() {
        List<GlobalOptions> given = new ArrayList<>(); // the innermost command's first
        RnsCli root = null;
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            GlobalOptions g = null;
            Object user = s.userObject();
            if (user instanceof ClientCommand c)
                g = c.local;
            else if (user instanceof CommandGroup k)
                g = k.local;
            else if (user instanceof RnsCli r) {
                g = r.globals;
                root = r;
            }
            if (g != null)
                given.add(g);
        }
        String endpoints = first(given, g -> g.endpoints);
        String node = first(given, g -> g.node);
        Consistency consistency = first(given, g -> g.consistency);
        Long timeoutMs = first(given, g -> g.timeoutMs);
        Boolean json = first(given, g -> g.json);
        ClusterMode mode = first(given, g -> g.mode);
        if (mode == null && root != null) {
            String fromEnv = root.env.get("RNS_MODE");
            if (fromEnv != null && !fromEnv.isBlank()) {
                try {
                    mode = GlobalOptions.parseMode(fromEnv);
                } catch (TypeConversionException e) {
                    throw new IllegalArgumentException("$RNS_MODE: " + e.getMessage());
                }
            }
        }
        if (mode == null)
            mode = ClusterMode.AUTO;
        if (endpoints == null && root != null) {
            String fromEnv = root.env.get("RNS_ENDPOINTS");
            if (fromEnv != null && !fromEnv.isBlank())
                endpoints = fromEnv;
        }
        if (endpoints == null)
            endpoints = GlobalOptions.DEFAULT_ENDPOINTS;
        List<String> list = Arrays.stream(endpoints.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .collect(Collectors.toList());
        if (list.isEmpty())
            throw new IllegalArgumentException("--endpoints: no endpoint given");
        for (String e : list) {
            if (!Endpoints.isValid(e))
                throw new IllegalArgumentException("--endpoints: '" + e + "' is not host:port");
        }
        if (node != null && !Endpoints.isValid(node)) {
            throw new IllegalArgumentException("--node: '" + node + "' is not host:port");
        }
        long t = timeoutMs == null ? 10_000 : timeoutMs;
        if (t <= 0 || t > Integer.MAX_VALUE)
            throw new IllegalArgumentException("--timeout-ms must be > 0: " + t);
        return new Settings(list, node, consistency, t, Boolean.TRUE.equals(json), mode, tls(given, root),
                credentials(first(given, g -> g.authFile), root));
    }

    /** ACCOUNT:SECRET from --auth-file, else $RNS_AUTH; null = none. */
    private static String credentials(Path file, RnsCli root) {
        String v;
        String from;
        if (file != null) {
            try {
                v = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--auth-file " + file + ": cannot read it: " + e.getMessage());
            }
            from = "--auth-file " + file;
        } else {
            v = root == null ? null : root.env.get("RNS_AUTH");
            from = "$RNS_AUTH";
        }
        if (v == null || v.isBlank()) {
            return null;
        }
        int colon = v.indexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException(from + ": expected ACCOUNT:SECRET");
        }
        return v;
    }

    /** --tls, --tls-ca, --tls-cert, --tls-key over $RNS_TLS_CA, $RNS_TLS_CERT, $RNS_TLS_KEY; null = plaintext. */
    private static ClientTls tls(List<GlobalOptions> given, RnsCli root) {
        Path ca = firstOrEnv(given, g -> g.tlsCa, root, "RNS_TLS_CA");
        Path cert = firstOrEnv(given, g -> g.tlsCert, root, "RNS_TLS_CERT");
        Path key = firstOrEnv(given, g -> g.tlsKey, root, "RNS_TLS_KEY");
        boolean on = Boolean.TRUE.equals(first(given, g -> g.tls)) || ca != null || cert != null;
        if (!on) {
            return null;
        }
        try {
            return new ClientTls(ca, cert, key, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-*: " + e.getMessage());
        }
    }

    private static Path firstOrEnv(List<GlobalOptions> given, Function<GlobalOptions, Path> option, RnsCli root,
            String env) {
        Path p = first(given, option);
        if (p == null && root != null) {
            String fromEnv = root.env.get(env);
            if (fromEnv != null && !fromEnv.isBlank()) {
                p = Path.of(fromEnv.trim());
            }
        }
        return p;
    }

    /** The value of the first of {@code given} that has the option set, or null. */
    private static <T> T first(List<GlobalOptions> given, Function<GlobalOptions, T> option) {
        for (GlobalOptions g : given) {
            T v = option.apply(g);
            if (v != null)
                return v;
        }
        return null;
    }
}
