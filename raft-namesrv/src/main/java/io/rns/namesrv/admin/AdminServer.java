package io.rns.namesrv.admin;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.rns.namesrv.auth.Authenticator;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.LogBudget;
import io.rns.rpc.transport.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's HTTP admin listener ({@code admin.listen-port}, on the member's host, never a wildcard address): GET
 * {@code /} (the live status page, {@link StatusPage}), {@code /metrics} (Prometheus text format 0.0.4),
 * {@code /live}, {@code /ready} (200 or 503, JSON with the reason) and {@code /status} (this node's status as JSON,
 * the same answer as {@code rns status}). Anything else is refused (404 for an unknown path, 405 for a method other
 * than GET or HEAD) and logged. With TLS on ({@code tls.mode}), HTTPS with the node's certificate; with auth on, only
 * accounts allowed to read ({@link AdminGate}; refusals 401/403, logged). Two handler threads and a bounded queue: a
 * flood of requests cannot take more threads or memory from the node (beyond the queue, requests are refused).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** The content type Prometheus expects for the text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    /** What the listener serves; each is called per request. */
    public record Sources(Supplier<String> metrics, Supplier<Probe> readiness, Supplier<Probe> liveness,
            Supplier<String> statusJson, Function<String, String> statusPage) {
    }

    private final String nodeId;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Sources sources;
    private final AdminGate gate;
    private final LogBudget refusals = new LogBudget(10, System::nanoTime);
    private final LongAdder requests = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** Requests answered, refused (404, 405) and failed (500) since start. */
    public record Stats(long requests, long refused, long failed) {
    }

    public Stats stats() {
        return new Stats(requests.sum(), refused.sum(), failed.sum());
    }

    private AdminServer(String nodeId, HttpServer server, ThreadPoolExecutor executor, Sources sources,
            AdminGate gate) {
        this.nodeId = nodeId;
        this.gate = gate;
        this.server = server;
        this.executor = executor;
        this.sources = sources;
    }

    /**
     * Binds {@code host:port} and serves.
     *
     * @throws IOException if the address cannot be bound
     */
    public static AdminServer start(String nodeId, String host, int port, Sources sources) throws IOException {
        return start(nodeId, host, port, sources, TlsSettings.DISABLED, Authenticator.DISABLED);
    }

    /**
     * Binds {@code host:port} and serves: HTTPS with the node's certificate when {@code tls} is enabled (client
     * certificates as {@code tls.client-auth} says), and only to accounts allowed to read when {@code auth} is
     * ({@link AdminGate}).
     *
     * @throws IOException              if the address cannot be bound
     * @throws IllegalArgumentException naming a TLS file that could not be used
     */
    public static AdminServer start(String nodeId, String host, int port, Sources sources, TlsSettings tls,
            Authenticator auth) throws IOException {
        InetSocketAddress at = new InetSocketAddress(host, port);
        HttpServer http;
        if (tls.enabled()) {
            HttpsServer https = HttpsServer.create(at, 32);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.newJdkServerContext()) {
                @Override
                public void configure(HttpsParameters p) {
                    SSLParameters params = getSSLContext().getDefaultSSLParameters();
                    params.setNeedClientAuth(tls.clientAuth() == TlsSettings.ClientCerts.REQUIRE);
                    if (tls.clientAuth() == TlsSettings.ClientCerts.OPTIONAL) {
                        params.setWantClientAuth(true);
                    }
                    p.setSSLParameters(params);
                }
            });
            http = https;
        } else {
            http = HttpServer.create(at, 32);
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(64), DaemonThreads.numbered("rns-admin-" + nodeId));
        AdminServer s = new AdminServer(nodeId, http, executor, sources, new AdminGate(auth));
        http.setExecutor(executor);
        http.createContext("/", s::handle);
        http.start();
        log.info("node {}: admin listener on {}://{}:{}/ (status page, /metrics, /live, /ready, /status){}", nodeId,
                tls.enabled() ? "https" : "http", host, http.getAddress().getPort(),
                auth.enabled() ? "; all but /live and /ready need an account allowed to read" : "");
        return s;
    }

    public InetSocketAddress localAddress() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) {
        requests.increment();
        try {
            route(ex);
        } catch (IOException e) {
            log.debug("node {}: admin request {} {}: {}", nodeId, ex.getRequestMethod(), ex.getRequestURI(),
                    e.toString()); // the client went away
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("node {}: admin request {} {} failed: {}", nodeId, ex.getRequestMethod(), ex.getRequestURI(),
                    e.toString());
            try {
                send(ex, 500, JSON, json(Map.of("error", e.toString())));
            } catch (IOException | RuntimeException again) {
                // the answer had begun already: the client sees a cut response
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            refuse(ex, 405, "method " + method + " not allowed on " + path + " (GET or HEAD only)");
            return;
        }
        AdminGate.Refusal no = gate.check(path, ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRemoteAddress().getAddress().getHostAddress());
        if (no != null) {
            if (no.status() == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"rns\", charset=\"UTF-8\"");
            }
            refuse(ex, no.status(), "account " + no.account() + ": " + no.why());
            return;
        }
        switch (path) {
            case "/" -> send(ex, 200, HTML, sources.statusPage().apply(queryParam(ex, "topic")));
            case "/metrics" -> send(ex, 200, PROMETHEUS_TEXT, sources.metrics().get());
            case "/live" -> probe(ex, sources.liveness().get());
            case "/ready" -> probe(ex, sources.readiness().get());
            case "/status" -> send(ex, 200, JSON, sources.statusJson().get());
            default -> refuse(ex, 404, "no such path " + path + " (served: /, /metrics, /live, /ready, /status)");
        }
    }

    /** The first value of query parameter {@code name}, decoded; "" if absent or malformed. */
    static String queryParam(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return "";
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return "";
                }
            }
        }
        return "";
    }

    private void probe(HttpExchange ex, Probe r) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("node", nodeId);
        o.addProperty("ok", r.ok());
        o.addProperty("reason", r.reason());
        send(ex, r.ok() ? 200 : 503, JSON, o + "\n");
    }

    private void refuse(HttpExchange ex, int status, String why) throws IOException {
        refused.increment();
        if (refusals.admit()) {
            log.warn("node {}: admin listener refused {} {} from {}: {}{}", nodeId, ex.getRequestMethod(),
                    ex.getRequestURI(), ex.getRemoteAddress(), why, refusals.takeSuppressed());
        }
        send(ex, status, JSON, json(Map.of("error", why)));
    }

    private static String json(Map<String, String> fields) {
        JsonObject o = new JsonObject();
        fields.forEach(o::addProperty);
        return o + "\n";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
