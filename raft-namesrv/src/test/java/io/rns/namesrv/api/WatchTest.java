package io.rns.namesrv.api;

import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.NodeStack;
import io.rns.namesrv.config.ConfigKeys;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.watch.WatchHub;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.WatchEvent;
import io.rns.rpc.v1.WatchRequest;
import io.rns.rpc.v1.WatchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watch polls through the dispatcher over an in-memory engine: reset, delta, coalescing of what a client cannot see,
 * the scan for a broker group whose addresses changed, resuming below the history, limits and bad requests.
 */
class WatchTest {
    @TempDir
    Path dir;

    InMemoryConsensus consensus;
    NamesrvConfig config;
    RequestDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        start(16 << 20);
    }

    private void start(int maxFrameBytes) {
        start(maxFrameBytes, 4, ConfigKeys.WATCH_HISTORY_BYTES.defaultValue());
    }

    private void start(int maxFrameBytes, int historyChanges, int historyBytes) {
        if (consensus != null) {
            consensus.close();
        }
        config = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 1001, 1002), new Member("n2", "127.0.0.1", 1003, 1004)))
                .dataDir(dir).set(ConfigKeys.WATCH_HISTORY_CHANGES, historyChanges)
                .set(ConfigKeys.WATCH_HISTORY_BYTES, historyBytes).set(ConfigKeys.WATCH_MAX_PER_CONNECTION, 2)
                .set(ConfigKeys.WATCH_COALESCE_MS, 0).set(ConfigKeys.MAX_FRAME_BYTES, maxFrameBytes).build();
        consensus = new InMemoryConsensus(dir.resolve("sm-" + maxFrameBytes));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        NodeStack node = new NodeStack(config, consensus, clock, System::nanoTime, Consistency.LINEARIZABLE, (k, e) -> {
        });
        node.liveness.onLeaderStart(1);
        dispatcher = node.dispatcher;
    }

    @AfterEach
    void tearDown() {
        consensus.close();
    }

    /** A connection whose close the test triggers. */
    private static final class Conn implements InboundContext {
        final long id;
        final List<Runnable> onClose = new ArrayList<>();
        volatile boolean open = true;

        Conn(long id) {
            this.id = id;
        }

        public String remoteAddress() {
            return "127.0.0.1:" + (40000 + id);
        }

        public long connectionId() {
            return id;
        }

        public long deadlineNanos() {
            return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        }

        public boolean isConnectionOpen() {
            return open;
        }

        public synchronized void onConnectionClose(Runnable r) {
            onClose.add(r);
        }

        synchronized void close() {
            open = false;
            onClose.forEach(Runnable::run);
        }
    }

    private final Conn conn = new Conn(7);

    private ResponseEnvelope call(RequestEnvelope.Builder req) {
        return dispatcher.handle(req.build(), conn).join();
    }

    private CompletableFuture<ResponseEnvelope> watch(Conn c, WatchRequest.Builder w) {
        return dispatcher.handle(RequestEnvelope.newBuilder().setWatch(w).build(), c);
    }

    /** Starts a watch (no from_revision). */
    private static final long START = -1;

    private static WatchRequest.Builder topics(long from, String... topics) {
        WatchRequest.Builder w = WatchRequest.newBuilder().addAllTopics(List.of(topics)).setMaxWaitMs(10_000);
        return from == START ? w : w.setFromRevision(from);
    }

    private void ok(ResponseEnvelope r) {
        assertEquals(ErrorCode.OK, r.getHeader().getCode(), r.getHeader().getMessage());
    }

    private WatchResponse done(CompletableFuture<ResponseEnvelope> f) throws Exception {
        ResponseEnvelope r = f.get(10, TimeUnit.SECONDS);
        ok(r);
        return r.getWatch();
    }

    private static RegisterBrokerRequest.Builder broker(String name, long id, String addr, String... topics) {
        return RequestDispatcherTest.broker(name, addr, topics).setBrokerId(id);
    }

    @Test
    void firstPollIsAResetThenChangesArriveAsEventsInOrder() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1", "t2"))));
        WatchResponse first = done(watch(conn, topics(START, "t1", "nope")));
        assertTrue(first.getReset());
        assertEquals(1, first.getEventsCount(), "only t1 exists");
        assertEquals("t1", first.getEvents(0).getTopic());
        assertEquals(List.of("b1"),
                first.getEvents(0).getRoute().getBrokerDatasList().stream().map(b -> b.getBrokerName()).toList());
        long r0 = first.getRevision();
        assertEquals(consensus.appliedIndex(), r0);

        CompletableFuture<ResponseEnvelope> poll = watch(conn, topics(r0, "t1"));
        Thread.sleep(100);
        assertFalse(poll.isDone(), "nothing changed yet: the poll is held");
        ok(call(RequestDispatcherTest.register(broker("b2", 0, "127.0.0.1:10912", "t1"))));
        WatchResponse next = done(poll);
        assertFalse(next.getReset());
        assertEquals(1, next.getEventsCount());
        WatchEvent e = next.getEvents(0);
        assertEquals("t1", e.getTopic());
        assertEquals(2, e.getRoute().getQueueDatasCount(), "b1 and b2 serve t1 now");
        assertTrue(e.getRevision() > r0);
        assertEquals(consensus.appliedIndex(), next.getRevision());
    }

    @Test
    void onAnEmptyNodeTheResetIsAtRevisionZeroAndResumingFromZeroWaitsForTheFirstChange() throws Exception {
        WatchResponse first = done(watch(conn, topics(START, "t1")));
        assertTrue(first.getReset());
        assertEquals(0, first.getRevision());
        CompletableFuture<ResponseEnvelope> poll = watch(conn, topics(0, "t1"));
        Thread.sleep(100);
        assertFalse(poll.isDone(), "revision 0 is a revision like any other: no second reset, the poll is held");
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1"))));
        WatchResponse next = done(poll);
        assertFalse(next.getReset());
        assertEquals(List.of("t1"), next.getEventsList().stream().map(WatchEvent::getTopic).toList());
    }

    @Test
    void aChangeNoClientCanSeeIsNoEventAndAnEmptyAnswerStillMovesTheRevision() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1"))));
        long r0 = done(watch(conn, topics(START, "t1"))).getRevision();
        // another topic changes: not selected
        ok(call(RequestDispatcherTest.register(broker("b9", 0, "127.0.0.1:10919", "other"))));
        WatchResponse r = done(watch(conn, topics(r0, "t1").setMaxWaitMs(200)));
        assertEquals(0, r.getEventsCount(), r.toString());
        assertTrue(r.getRevision() > r0, "the watcher has seen up to the newest revision: " + r);
    }

    @Test
    void aSlaveJoiningChangesTheRouteOfEveryTopicOnItsBrokerName() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1", "t2"))));
        long r0 = done(watch(conn, WatchRequest.newBuilder().setCluster("c1"))).getRevision();
        CompletableFuture<ResponseEnvelope> poll = watch(conn,
                WatchRequest.newBuilder().setCluster("c1").setFromRevision(r0).setMaxWaitMs(10_000));
        ok(call(RequestDispatcherTest.register(broker("b1", 1, "127.0.0.1:10921"))));
        WatchResponse r = done(poll);
        assertEquals(List.of("t1", "t2"), r.getEventsList().stream().map(WatchEvent::getTopic).sorted().toList());
        for (WatchEvent e : r.getEventsList()) {
            assertEquals(2, e.getRoute().getBrokerDatas(0).getBrokerAddrsCount(), "master and slave: " + e);
        }
    }

    @Test
    void aDeletedTopicIsAnEventWithoutRoute() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1"))));
        long r0 = done(watch(conn, WatchRequest.newBuilder().setAll(true))).getRevision();
        ok(call(RequestEnvelope.newBuilder().setDeleteTopic(DeleteTopicRequest.newBuilder().setTopic("t1"))));
        WatchResponse r = done(watch(conn, WatchRequest.newBuilder().setAll(true).setFromRevision(r0)));
        assertEquals(1, r.getEventsCount());
        assertTrue(r.getEvents(0).getDeleted());
        assertFalse(r.getEvents(0).hasRoute());
    }

    @Test
    void aWatcherBelowTheHistoryGetsAReset() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t0"))));
        long r0 = done(watch(conn, topics(START, "t0"))).getRevision();
        for (int i = 1; i <= 6; i++) { // 6 changes, 4 kept (watch.history-changes=4)
            ok(call(RequestDispatcherTest.register(broker("b" + (i + 1), 0, "127.0.0.1:1100" + i, "t0"))));
        }
        // a first poll waits until the hub has diffed everything applied before its read barrier
        assertEquals(consensus.appliedIndex(), done(watch(conn, topics(START, "t0"))).getRevision());
        WatchResponse r = done(watch(conn, topics(r0, "t0")));
        assertTrue(r.getReset(), r.toString());
        assertTrue(r.getHistoryFloor() > r0, r.toString());
        assertEquals(7, r.getEvents(0).getRoute().getQueueDatasCount());
        // from the floor on, it resumes without a reset
        WatchResponse again = done(watch(conn, topics(r.getHistoryFloor(), "t0")));
        assertFalse(again.getReset(), again.toString());
        assertTrue(again.getEventsCount() >= 1);
    }

    @Test
    void theHistoryIsBoundedByTheSizeOfTheRoutesItHolds() throws Exception {
        // found by SetWorkloadTest: every change holds its topic's whole route, so 2,164 changes to topics of ~300
        // brokers each took ~350 MB and a 256 MB node died of OutOfMemoryError while the count bound (20,000) was far
        start(16 << 20, 20_000, 1 << 16);
        ok(call(RequestDispatcherTest.register(broker("b0", 0, "127.0.0.1:10000", "big"))));
        long r0 = done(watch(conn, topics(START, "big"))).getRevision();
        int brokers = 150; // route sizes 1..150 brokers: ~0.7 MB of routes in all, far over 64 KiB
        for (int i = 1; i < brokers; i++) {
            ok(call(RequestDispatcherTest.register(broker("b" + i, 0, "127.0.0.1:" + (10000 + i), "big"))));
        }
        WatchResponse now = done(watch(conn, topics(START, "big")));
        assertEquals(brokers, now.getEvents(0).getRoute().getBrokerDatasCount());
        WatchHub.Stats stats = consensus.watchHub(config).stats();
        long bytes = stats.historyBytes();
        int kept = stats.historySize();
        assertTrue(bytes <= 1 << 16 && bytes > 0, "history bytes " + bytes);
        assertTrue(kept < brokers - 1 && kept >= 1, "kept " + kept + " of " + (brokers - 1) + " changes");
        WatchResponse r = done(watch(conn, topics(r0, "big")));
        assertTrue(r.getReset(), "a watcher below the trimmed history gets a reset: " + r);
        assertEquals(brokers, r.getEvents(0).getRoute().getBrokerDatasCount());
        WatchResponse again = done(watch(conn, topics(r.getHistoryFloor(), "big")));
        assertFalse(again.getReset(), "from the floor on it resumes: " + again);
    }

    @Test
    void oneChangeAnswersEveryWaitingPollAndTheHubKeepsGoing() throws Exception {
        // found by the chaos watch scenario (seed 675423976): answering one of several waiting polls while iterating
        // them threw ConcurrentModificationException on the hub's thread, the first poll's answer was lost and the
        // hub never processed a change again
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1"))));
        long r0 = done(watch(conn, topics(START, "t1"))).getRevision();
        Conn other = new Conn(8);
        List<CompletableFuture<ResponseEnvelope>> waiting = List.of(watch(conn, topics(r0, "t1")),
                watch(conn, topics(r0, "t1")), watch(other, topics(r0, "t1")), watch(other, topics(r0, "t1")));
        Thread.sleep(100);
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "nothing changed yet: every poll is held");
        ok(call(RequestDispatcherTest.register(broker("b2", 0, "127.0.0.1:10912", "t1"))));
        long r1 = -1;
        for (CompletableFuture<ResponseEnvelope> f : waiting) {
            WatchResponse w = done(f);
            assertEquals(1, w.getEventsCount(), w.toString());
            r1 = w.getRevision();
        }
        CompletableFuture<ResponseEnvelope> next = watch(conn, topics(r1, "t1"));
        ok(call(RequestDispatcherTest.register(broker("b3", 0, "127.0.0.1:10913", "t1"))));
        assertEquals(3, done(next).getEvents(0).getRoute().getQueueDatasCount(), "the hub still diffs changes");
    }

    @Test
    void aConnectionHoldsAtMostItsLimitAndItsPollsGoWhenItCloses() throws Exception {
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", "t1"))));
        long r0 = done(watch(conn, topics(START, "t1"))).getRevision();
        CompletableFuture<ResponseEnvelope> a = watch(conn, topics(r0, "t1"));
        CompletableFuture<ResponseEnvelope> b = watch(conn, topics(r0, "t1"));
        ResponseEnvelope third = watch(conn, topics(r0, "t1")).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.TOO_MANY_WATCHES, third.getHeader().getCode());
        assertTrue(third.getHeader().getRetriable());
        assertTrue(third.getHeader().getMessage().contains("watch.max-per-connection=2"),
                third.getHeader().getMessage());
        // another connection is not affected
        Conn other = new Conn(8);
        CompletableFuture<ResponseEnvelope> c = watch(other, topics(r0, "t1"));
        conn.close();
        assertEquals(ErrorCode.SHUTTING_DOWN, a.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertEquals(ErrorCode.SHUTTING_DOWN, b.get(5, TimeUnit.SECONDS).getHeader().getCode());
        assertFalse(c.isDone());
        ok(call(RequestDispatcherTest.register(broker("b2", 0, "127.0.0.1:10912", "t1"))));
        assertEquals(1, done(c).getEventsCount());
    }

    @Test
    void aResetLargerThanAFrameIsRefusedNamingTheLimit() throws Exception {
        start(8192);
        String[] many = new String[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = "topic-" + i;
        }
        ok(call(RequestDispatcherTest.register(broker("b1", 0, "127.0.0.1:10911", many))));
        ResponseEnvelope r = watch(conn, WatchRequest.newBuilder().setAll(true)).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_ARGUMENT, r.getHeader().getCode());
        assertTrue(r.getHeader().getMessage().contains("rpc.max-frame-bytes=8192"), r.getHeader().getMessage());
        // a narrower watch is answered
        ok(watch(conn, topics(START, "topic-7")).get(5, TimeUnit.SECONDS));
    }

    @Test
    void malformedWatchesAreRefusedNamingTheProblem() throws Exception {
        ResponseEnvelope none = watch(conn, WatchRequest.newBuilder()).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_ARGUMENT, none.getHeader().getCode());
        assertTrue(none.getHeader().getMessage().contains("exactly one of topics, cluster or all"));
        ResponseEnvelope two = watch(conn, WatchRequest.newBuilder().setAll(true).setCluster("c1")).get(5,
                TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_ARGUMENT, two.getHeader().getCode());
        ResponseEnvelope badTopic = watch(conn, topics(START, "bad topic")).get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.INVALID_ARGUMENT, badTopic.getHeader().getCode());
        assertTrue(badTopic.getHeader().getMessage().contains("watch.topics"), badTopic.getHeader().getMessage());
    }
}
