package io.rns.namesrv.cluster;

import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RouteWatcher;
import io.rns.namesrv.config.LivenessConfig;
import io.rns.rpc.v1.DataVersion;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.TopicRoute;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link RouteWatcher} on three real nodes: it starts on a follower, the node it watches through is stopped and
 * restarted in the middle of a stream of route changes, and it never sees a route twice or out of order, needs no
 * second reset (the next node's history covers the switch) and ends at the last acknowledged one.
 */
@Tag("cluster")
class WatchClusterTest extends ClusterTestBase {
    /** What the watcher was told, in order. */
    private record Seen(String kind, String topic, int value, long revision) {
    }

    private static int value(TopicRoute r) {
        return r == null ? -1 : r.getQueueDatas(0).getReadQueueNums();
    }

    private static RegisterBrokerRequest registration(int k) {
        return RegisterBrokerRequest.newBuilder().setCluster("c1").setBrokerName("b1").setBrokerId(0)
                .setBrokerAddr("127.0.0.1:10911").setDataVersion(DataVersion.newBuilder().setTimestamp(1).setCounter(k))
                .addTopics(TopicConfig.newBuilder().setTopic("t1").setReadQueueNums(k).setWriteQueueNums(k).setPerm(6))
                .build();
    }

    @Test
    void aWatcherSeesEveryChangeOnceInOrderAcrossTheLossOfItsNode() throws Exception {
        long seed = Long.getLong("rns.test.seed", System.nanoTime());
        System.out.println("WatchClusterTest seed=" + seed);
        Random random = new Random(seed);
        cluster = new MiniCluster(3, dir, 1000, 0)
                .liveness(new LivenessConfig(300_000, 1_000, 300_000, 3_000, 100, 5.0, 10, 0.5))
                .customize((i, b) -> b.set(io.rns.namesrv.config.ConfigKeys.WATCH_COALESCE_MS, 0)).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        NamesrvClient writer = client(cluster.clientAddresses(), Duration.ofSeconds(3), Duration.ofSeconds(20), seed);
        writer.registerBroker(registration(1)).value();

        int follower = cluster.followers().get(random.nextInt(cluster.followers().size()));
        List<String> endpoints = new ArrayList<>(cluster.clientAddresses());
        Collections.swap(endpoints, 0, follower);
        // the watcher starts where the client's router stands and moves through the list on failure
        NamesrvClient watchingAll = closeLater(NamesrvClient.builder().endpoints(endpoints)
                .requestTimeout(Duration.ofSeconds(3)).overallTimeout(Duration.ofSeconds(20)).randomSeed(seed).build());
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        RouteWatcher w = closeLater(watchingAll.watch(RouteWatcher.Scope.topics("t1"), new RouteWatcher.Listener() {
            public void onReset(Map<String, TopicRoute> routes, long revision) {
                seen.add(new Seen("reset", "t1", value(routes.get("t1")), revision));
            }

            public void onChange(String topic, TopicRoute route, long revision) {
                seen.add(new Seen("change", topic, value(route), revision));
            }

            public void onProblem(NamesrvException e, boolean fatal) {
                problems.add((fatal ? "FATAL " : "") + e.getMessage());
            }
        }, null, Duration.ofSeconds(2)));
        MiniCluster.await(Duration.ofSeconds(10), "the watcher's first answer", () -> w.revision() > 0);

        int last = 1;
        int stopped = -1;
        for (int k = 2; k <= 40; k++) {
            writer.registerBroker(registration(k)).value();
            last = k;
            if (k == 15) {
                String at = w.endpoint();
                stopped = cluster.clientAddresses().indexOf(at);
                cluster.stop(stopped); // the node the watcher polls: it must move on
            }
            if (k == 30) {
                cluster.start(stopped);
            }
            Thread.sleep(random.nextInt(30));
        }
        int expected = last;
        MiniCluster.await(Duration.ofSeconds(20), "the watcher's view reaches the last write",
                () -> value(w.routes().get("t1")) == expected);

        List<Seen> story = List.copyOf(seen);
        System.out.println("WatchClusterTest story=" + story + " problems=" + problems);
        assertEquals("reset", story.get(0).kind(), story.toString());
        assertTrue(leader >= 0 && stopped >= 0);
        long prevRevision = 0;
        int prevValue = 0;
        for (Seen s : story) {
            assertTrue(s.revision() > prevRevision, "revisions only go forward: " + story);
            if (s.kind().equals("change")) {
                assertTrue(s.value() > prevValue, "each change once, in order: " + story);
            }
            prevRevision = s.revision();
            prevValue = s.value();
        }
        assertEquals(1, story.stream().filter(s -> s.kind().equals("reset")).count(),
                "the history covered the node switch: no second reset " + story);
        assertTrue(problems.size() >= 1, "the stopped node was noticed: " + problems);
        assertTrue(problems.stream().noneMatch(p -> p.contains("anomaly") || p.startsWith("FATAL")),
                "no node answered what a correct node does not: " + problems);
        assertEquals(expected, story.get(story.size() - 1).value());
    }
}
