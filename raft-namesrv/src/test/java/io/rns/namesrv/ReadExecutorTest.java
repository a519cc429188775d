package io.rns.namesrv;

import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, bounded resources: the node's read executor (where read answers are built) holds at most
 * rpc.worker-queue-capacity waiting tasks, and a read it refuses is answered OVERLOADED, not dropped or queued without
 * bound.
 */
class ReadExecutorTest {
    @TempDir
    Path dir;

    @Test
    void theReadExecutorIsBoundedAndAReadItRefusesIsAnsweredOverloaded() throws Exception {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .dataDir(dir).workerQueueCapacity(1).build();
        ThreadPoolExecutor reads = NamesrvNode.readExecutor(c);
        CountDownLatch hold = new CountDownLatch(1);
        InMemoryConsensus consensus = new InMemoryConsensus(dir.resolve("sm"));
        try {
            for (int i = 0; i < reads.getMaximumPoolSize(); i++) {
                reads.execute(() -> {
                    try {
                        hold.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            reads.execute(() -> {
            }); // the one queue slot
            assertThrows(RejectedExecutionException.class, () -> reads.execute(() -> {
            }), "a full read executor refuses instead of queueing");

            NodeStack node = new NodeStack(c, consensus, Clock.systemUTC(), System::nanoTime, Consistency.LINEARIZABLE,
                    (k, e) -> {
                    }, reads);
            ResponseEnvelope r = node.dispatcher.handle(RequestEnvelope.newBuilder()
                    .setKvGet(KvGetRequest.newBuilder().setNamespace("ns").setKey("k")).build(),
                    TestContexts.from("127.0.0.1:5000")).get(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.OVERLOADED, r.getHeader().getCode(), r.getHeader().getMessage());
            assertTrue(r.getHeader().getRetriable(), "OVERLOADED is retriable");
        } finally {
            hold.countDown();
            reads.shutdown();
            consensus.close();
        }
    }
}
