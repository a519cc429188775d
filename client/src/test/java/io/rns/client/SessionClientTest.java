package io.rns.client;

import io.rns.rpc.testing.Closer;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.RequestEnvelope.BodyCase;
import io.rns.rpc.v1.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client side of exactly-once writes: session lanes, sequence numbers kept across retries, expiry, fallback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionClientTest {
    private static final RetryPolicy FAST = FakeNode.FAST_RETRIES;
    @RegisterExtension
    final Closer closeables = new Closer();

    private FakeNode leader(String id) {
        FakeNode n = new FakeNode(id);
        n.role = Role.LEADER;
        closeables.add(n);
        return n;
    }

    private NamesrvClient client(String... endpoints) {
        NamesrvClient c = NamesrvClient.builder().endpoints(endpoints).mode(ClusterMode.RAFT).retryPolicy(FAST)
                .randomSeed(42).requestTimeout(Duration.ofMillis(300)).overallTimeout(Duration.ofSeconds(5)).build();
        closeables.add(c);
        return c;
    }

    private static List<RequestEnvelope> writes(FakeNode n) {
        return n.received.stream().filter(r -> r.getBodyCase() == BodyCase.KV_PUT).toList();
    }

    @Test
    void sequentialWritesShareOneSessionWithIncreasingSequenceNumbers() {
        FakeNode n = leader("n1");
        NamesrvClient c = client(n.endpoint);
        for (int i = 0; i < 3; i++) {
            c.kvPut("ns", "k" + i, "v");
        }
        assertEquals(1, n.sessionsOpened.get());
        assertEquals(1, c.sessionsOpened());
        List<RequestEnvelope> w = writes(n);
        assertEquals(List.of(1000L, 1000L, 1000L), w.stream().map(RequestEnvelope::getSessionId).toList());
        assertEquals(List.of(1L, 2L, 3L), w.stream().map(RequestEnvelope::getSessionSeq).toList());
    }

    @Test
    void aRetryOnAnotherNodeCarriesTheSameSessionAndSequence() {
        FakeNode a = leader("n1");
        FakeNode b = leader("n2");
        AtomicInteger calls = new AtomicInteger();
        // the first write attempt anywhere times out (the node never answers it); the retry succeeds
        a.script = r -> r.getBodyCase() == BodyCase.KV_PUT && calls.getAndIncrement() == 0 ? hang() : null;
        b.script = r -> r.getBodyCase() == BodyCase.KV_PUT && calls.getAndIncrement() == 0 ? hang() : null;
        NamesrvClient c = client(a.endpoint, b.endpoint);
        c.kvPut("ns", "k", "v");
        List<RequestEnvelope> all = new java.util.ArrayList<>(writes(a));
        all.addAll(writes(b));
        assertEquals(2, all.size(), "one timed-out attempt and one retry: " + all);
        assertEquals(1, all.stream().map(r -> r.getSessionId() + "/" + r.getSessionSeq()).distinct().count(),
                "both attempts are the same request of the same session: " + all);
        assertEquals(1, all.get(0).getSessionSeq());
    }

    /** A response that never comes: the script blocks its worker until the client gave up on the attempt. */
    private static io.rns.rpc.v1.ResponseEnvelope hang() {
        try {
            Thread.sleep(600);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    @Test
    void anExpiredSessionIsReplacedAndTheWriteGoesThroughWhenNothingWasApplied() {
        FakeNode n = leader("n1");
        n.script = r -> r.getBodyCase() == BodyCase.KV_PUT && r.getSessionId() == 1000
                ? n.error(ErrorCode.SESSION_EXPIRED, false, "session 1000 expired")
                : null;
        NamesrvClient c = client(n.endpoint);
        c.kvPut("ns", "k", "v");
        assertEquals(2, c.sessionsOpened());
        List<RequestEnvelope> w = writes(n);
        assertEquals(1001, w.get(w.size() - 1).getSessionId());
        assertEquals(1, w.get(w.size() - 1).getSessionSeq());
    }

    @Test
    void anExpiredSessionAfterAnUnknownOutcomeIsReportedNotRetried() {
        FakeNode n = leader("n1");
        AtomicInteger puts = new AtomicInteger();
        n.script = r -> {
            if (r.getBodyCase() != BodyCase.KV_PUT) {
                return null;
            }
            return puts.getAndIncrement() == 0 ? n.error(ErrorCode.OUTCOME_UNKNOWN, true, "leader stepped down")
                    : n.error(ErrorCode.SESSION_EXPIRED, false, "session 1000 expired");
        };
        NamesrvClient c = client(n.endpoint);
        NamesrvException e = assertThrows(NamesrvException.class, () -> c.kvPut("ns", "k", "v"));
        assertEquals(ErrorCode.SESSION_EXPIRED, e.code());
        assertTrue(e.outcomeUnknown(), "the first attempt may have been applied before the session expired");
        assertEquals(1, c.sessionsOpened(), "no silent second application in a new session");
    }

    @Test
    void aClusterWithoutSessionsGetsPlainWrites() {
        FakeNode n = leader("n1");
        n.script = r -> r.getBodyCase() == BodyCase.OPEN_SESSION
                ? n.error(ErrorCode.UNSUPPORTED_REQUEST, false, "unknown request type (field [27])")
                : null;
        NamesrvClient c = client(n.endpoint);
        c.kvPut("ns", "k", "v");
        c.kvPut("ns", "k", "w");
        assertEquals(1, n.sessionsOpened.get(), "asked once, then sessions are off for this client");
        assertTrue(writes(n).stream().allMatch(r -> r.getSessionId() == 0 && r.getSessionSeq() == 0));
    }

    @Test
    void concurrentWritesUseSeparateLanesAndReadsCarryNoSession() throws Exception {
        FakeNode n = leader("n1");
        CountDownLatch bothArrived = new CountDownLatch(2);
        n.script = r -> {
            if (r.getBodyCase() == BodyCase.KV_PUT) {
                bothArrived.countDown();
                try {
                    bothArrived.await(5, TimeUnit.SECONDS); // hold each until the other is in flight too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        };
        NamesrvClient c = NamesrvClient.builder().endpoints(n.endpoint).mode(ClusterMode.RAFT).retryPolicy(FAST)
                .randomSeed(42).requestTimeout(Duration.ofSeconds(3)).overallTimeout(Duration.ofSeconds(5)).build();
        closeables.add(c);
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> c.kvPut("ns", "a", "1"));
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> c.kvPut("ns", "b", "2"));
        one.get(10, TimeUnit.SECONDS);
        two.get(10, TimeUnit.SECONDS);
        assertEquals(2, c.sessionsOpened(), "two writes in flight at once: two lanes");
        assertEquals(2, writes(n).stream().map(RequestEnvelope::getSessionId).distinct().count());
        c.kvGet("ns", "a");
        assertTrue(n.received.stream().filter(r -> r.getBodyCase() == BodyCase.KV_GET)
                .allMatch(r -> r.getSessionId() == 0));
    }
}
