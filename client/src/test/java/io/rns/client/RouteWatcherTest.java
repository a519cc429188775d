package io.rns.client;

import io.rns.rpc.testing.Closer;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.WatchEvent;
import io.rns.rpc.v1.WatchResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RouteWatcher against scripted nodes: it starts with no revision, resumes from the one it saw, moves to the next node
 * when one refuses, and tells (instead of applying) an answer no correct node gives.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RouteWatcherTest {
    @RegisterExtension
    final Closer closeables = new Closer();

    private static TopicRoute route(int queues) {
        return TopicRoute.newBuilder().setTopic("t")
                .addQueueDatas(QueueData.newBuilder().setBrokerName("b").setReadQueueNums(queues)).build();
    }

    private static WatchEvent event(long revision, int queues) {
        return WatchEvent.newBuilder().setRevision(revision).setTopic("t").setRoute(route(queues)).build();
    }

    /** What the listener was told, as text. */
    private static final class Story implements RouteWatcher.Listener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        public void onReset(Map<String, TopicRoute> routes, long revision) {
            lines.add("reset@" + revision + "=" + routes.get("t").getQueueDatas(0).getReadQueueNums());
        }

        public void onChange(String topic, TopicRoute route, long revision) {
            lines.add("change@" + revision + "=" + route.getQueueDatas(0).getReadQueueNums());
        }

        public void onProblem(NamesrvException e, boolean fatal) {
            lines.add("problem " + e.kind() + (fatal ? " fatal" : "") + ": " + e.getMessage());
        }
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void resumesOnTheNextNodeAndTellsAnswersNoCorrectNodeGives() throws Exception {
        FakeNode a = closeables.add(new FakeNode("n1"));
        FakeNode b = closeables.add(new FakeNode("n2"));
        List<String> asked = new CopyOnWriteArrayList<>();
        // whichever node the client starts on answers the reset, then refuses; the other carries on
        AtomicReference<String> first = new AtomicReference<>();
        for (FakeNode n : List.of(a, b)) {
            n.script = r -> {
                if (r.getBodyCase() != RequestEnvelope.BodyCase.WATCH) {
                    return null;
                }
                boolean start = !r.getWatch().hasFromRevision();
                long from = r.getWatch().getFromRevision();
                asked.add((n == a ? "n1 " : "n2 ") + (start ? "start" : from));
                if (start) {
                    first.compareAndSet(null, n.nodeId);
                    return n.ok(r)
                            .setWatch(WatchResponse.newBuilder().setReset(true).setRevision(5).addEvents(event(5, 1)))
                            .build();
                }
                if (n.nodeId.equals(first.get())) {
                    return n.error(ErrorCode.SHUTTING_DOWN, true, "going away");
                }
                WatchResponse.Builder w = WatchResponse.newBuilder();
                if (from == 5) { // one good change, one already seen, then an answer that goes back
                    w.setRevision(7).addEvents(event(7, 2)).addEvents(event(4, 9));
                } else if (from == 7 && asked.stream().filter(x -> x.endsWith(" 7")).count() == 1) {
                    w.setRevision(3);
                } else {
                    sleep();
                    w.setRevision(from);
                }
                return n.ok(r).setWatch(w).build();
            };
        }
        NamesrvClient client = closeables.add(NamesrvClient.builder().endpoints(a.endpoint, b.endpoint)
                .mode(ClusterMode.RAFT).randomSeed(1).exactlyOnce(false).build());
        Story story = new Story();
        RouteWatcher w = closeables
                .add(client.watch(RouteWatcher.Scope.topics("t"), story, null, Duration.ofMillis(500)));
        await("the anomalies", () -> story.lines.stream().filter(l -> l.contains("anomaly")).count() >= 2);
        assertEquals(List.of("reset@5=1", "change@7=2"),
                story.lines.stream().filter(l -> !l.startsWith("problem")).toList());
        assertTrue(story.lines.stream().anyMatch(l -> l.startsWith("problem SERVER") && l.contains("SHUTTING_DOWN")),
                story.lines.toString());
        assertTrue(
                story.lines.stream().anyMatch(
                        l -> l.contains("PROTOCOL_ERROR") && l.contains("sent t at revision 4, not after the 5")),
                story.lines.toString());
        assertTrue(
                story.lines.stream()
                        .anyMatch(l -> l.contains("PROTOCOL_ERROR") && l.contains("answered revision 3, below the 7")),
                story.lines.toString());
        assertEquals(7, w.revision(), "nothing that went back was applied");
        assertEquals(2, w.routes().get("t").getQueueDatas(0).getReadQueueNums());
        String one = first.get().equals("n1") ? "n1 " : "n2 ";
        String other = one.equals("n1 ") ? "n2 " : "n1 ";
        assertEquals(List.of(one + "start", one + "5", other + "5"), asked.subList(0, 3),
                "resumed from 5 on the next node");
        assertFalse(story.lines.stream().anyMatch(l -> l.contains("fatal")));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
