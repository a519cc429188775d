package io.rns.cli;

import io.rns.cli.output.Json;
import io.rns.cli.output.Lines;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RouteWatcher;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.WatchEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** {@code rns watch}: prints route changes as they happen (watch polls through a {@link RouteWatcher}). */
@Command(name = "watch", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
        "Prints route changes as they happen: first the current routes (a reset), then one change per topic and revision.",
        "Text: 'reset revision=<r> topics=<n>' then each route; 'change revision=<r> topic=<t>' then the route, or",
        "'change revision=<r> topic=<t> deleted'. --json: one JSON object per line. Node switches and retries go to stderr."})
final class WatchCommand extends ClientCommand {
    @Option(names = "--topic", paramLabel = "TOPIC", description = "A topic to watch (repeatable).")
    List<String> topics;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Watch every topic with a queue in this cluster.")
    String cluster;

    @Option(names = "--all", description = "Watch every topic (the default when nothing else is named).")
    boolean all;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N changes (0 = no limit; the reset does not count).")
    int count;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class, description = "Stop after this long (0s = until interrupted).")
    Duration duration;

    @Override
    void run(NamesrvClient client) {
        RouteWatcher.Scope scope = scope();
        if (count < 0) {
            throw new IllegalArgumentException("--count must be >= 0: " + count);
        }
        PrintWriter out = output.out();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger changes = new AtomicInteger();
        AtomicReference<NamesrvException> fatal = new AtomicReference<>();
        RouteWatcher.Listener listener = new RouteWatcher.Listener() {
            @Override
            public void onReset(Map<String, TopicRoute> routes, long revision) {
                synchronized (out) {
                    if (output.json()) {
                        new TreeMap<>(routes).forEach((t, r) -> out.println(event(revision, t, r, true)));
                        out.println(
                                "{\"reset\":true,\"revision\":\"" + revision + "\",\"topics\":" + routes.size() + "}");
                    } else {
                        out.println("reset revision=" + revision + " topics=" + routes.size());
                        new TreeMap<>(routes).values().forEach(r -> Lines.route(r).forEach(l -> out.println("  " + l)));
                    }
                    out.flush();
                }
            }

            @Override
            public void onChange(String topic, TopicRoute route, long revision) {
                synchronized (out) {
                    if (output.json()) {
                        out.println(event(revision, topic, route, false));
                    } else if (route == null) {
                        out.println("change revision=" + revision + " topic=" + topic + " deleted");
                    } else {
                        out.println("change revision=" + revision + " topic=" + topic);
                        Lines.route(route).forEach(l -> out.println("  " + l));
                    }
                    out.flush();
                }
                if (count > 0 && changes.incrementAndGet() >= count) {
                    done.countDown();
                }
            }

            @Override
            public void onProblem(NamesrvException e, boolean isFatal) {
                synchronized (err) {
                    err.println(
                            "rns watch: " + (isFatal ? "stopped: " : "retrying on the next node: ") + e.getMessage());
                    err.flush();
                }
                if (isFatal) {
                    fatal.set(e);
                    done.countDown();
                }
            }
        };
        try (RouteWatcher w = client.watch(scope, listener, settings.consistency(), Duration.ofSeconds(20))) {
            boolean bounded = !duration.isZero();
            if (bounded) {
                done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                done.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    private RouteWatcher.Scope scope() {
        boolean named = topics != null && !topics.isEmpty();
        int kinds = (named ? 1 : 0) + (cluster != null ? 1 : 0) + (all ? 1 : 0);
        if (kinds > 1) {
            throw new IllegalArgumentException("give one of --topic, --cluster or --all");
        }
        if (named) {
            return RouteWatcher.Scope.topics(topics.toArray(String[]::new));
        }
        return cluster != null ? RouteWatcher.Scope.cluster(cluster) : RouteWatcher.Scope.all();
    }

    private static String event(long revision, String topic, TopicRoute route, boolean reset) {
        WatchEvent.Builder e = WatchEvent.newBuilder().setRevision(revision).setTopic(topic).setDeleted(route == null);
        if (route != null) {
            e.setRoute(route);
        }
        String body = Json.message(e);
        return reset ? "{\"inReset\":true," + body.substring(1) : body;
    }
}
