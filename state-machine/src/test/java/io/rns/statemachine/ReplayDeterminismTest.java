package io.rns.statemachine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayDeterminismTest {
    @TempDir
    Path tmp;

    private static long seed() {
        long seed = Long.getLong("rns.test.seed", System.nanoTime());
        System.out.println("ReplayDeterminismTest seed=" + seed + " (rerun with -Drns.test.seed=" + seed + ")");
        return seed;
    }

    @Test
    void sameLogSameImageSameStoreBytesRegardlessOfBatching() {
        long seed = seed();
        String ctx = "seed=" + seed;
        List<LogEntry> log = RandomLog.generate(seed, 2000);
        Random rnd = new Random(seed ^ 0x5DEECE66DL);

        try (RouteStateMachine one = RouteStateMachine.open(tmp.resolve("one"));
                RouteStateMachine many = RouteStateMachine.open(tmp.resolve("many"))) {
            List<ApplyResult> oneResults = one.applyBatch(log);
            // the second machine sees records as a follower does: decoded from the entry bytes
            List<LogEntry> decoded = log.stream().map(
                    e -> new LogEntry(e.index(), LogRecords.decode(ByteBuffer.wrap(LogRecords.encode(e.record())))))
                    .toList();
            List<ApplyResult> manyResults = new ArrayList<>();
            for (int i = 0; i < log.size();) {
                int size = 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 80);
                List<LogEntry> batch = decoded.subList(i, Math.min(log.size(), i + size));
                manyResults.addAll(many.applyBatch(batch));
                i += batch.size();
            }
            assertEquals(oneResults, manyResults, ctx);
            assertEquals(log.get(log.size() - 1).index(), one.appliedIndex(), ctx);
            assertEquals(one.image(), many.image(), ctx);
            assertEquals(one.image().hashCode(), many.image().hashCode(), ctx);
            assertEquals(Records.storeContents(one), Records.storeContents(many), ctx);
            assertEquals(one.storeDigest(), many.storeDigest(), ctx);

            // the log exercised the interesting paths
            Set<RejectReason> reasons = EnumSet.noneOf(RejectReason.class);
            oneResults.forEach(r -> {
                if (r instanceof ApplyResult.Rejected rj) {
                    reasons.add(rj.reason());
                }
            });
            assertEquals(EnumSet.allOf(RejectReason.class), reasons, ctx);
            assertTrue(oneResults.stream().filter(r -> r instanceof ApplyResult.Applied).count() > 1000, ctx);
            assertTrue(one.image().topicCount() > 0 && one.image().brokerCount() > 0, ctx + " " + one.image());
        }
    }

    @Test
    void reopenRebuildsTheSameImageAndReplaySkipsEverything() {
        long seed = seed();
        String ctx = "seed=" + seed;
        List<LogEntry> log = RandomLog.generate(seed, 1000);
        Path dir = tmp.resolve("store");
        RouteImage before;
        List<?> storeBefore;
        String digestBefore;
        try (RouteStateMachine sm = RouteStateMachine.open(dir)) {
            sm.applyBatch(log.subList(0, 600));
            sm.applyBatch(log.subList(600, log.size()));
            before = sm.image();
            storeBefore = Records.storeContents(sm);
            digestBefore = sm.storeDigest();
        }
        try (RouteStateMachine sm = RouteStateMachine.open(dir)) {
            // the image rebuilt from the store equals the incrementally built one
            assertEquals(before, sm.image(), ctx);
            RouteImage reopened = sm.image();
            List<Integer> published = new ArrayList<>();
            sm.addImageListener(img -> published.add(1));
            List<ApplyResult> again = sm.applyBatch(log);
            for (int i = 0; i < log.size(); i++) {
                assertEquals(new ApplyResult.Skipped(log.get(i).index()), again.get(i), ctx);
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(new ApplyResult.Skipped(log.get(i).index()), sm.apply(log.get(i)), ctx);
            }
            assertSame(reopened, sm.image(), ctx);
            assertTrue(published.isEmpty(), ctx);
            assertEquals(storeBefore, Records.storeContents(sm), ctx);
            assertEquals(digestBefore, sm.storeDigest(), ctx);

            // a batch that straddles the applied index: old entries skipped, new ones applied
            long last = sm.appliedIndex();
            List<LogEntry> straddle = List.of(log.get(log.size() - 1),
                    new LogEntry(last + 1, Records.putKv("ns", "new", "1")));
            List<ApplyResult> res = sm.applyBatch(straddle);
            assertEquals(new ApplyResult.Skipped(last), res.get(0), ctx);
            assertTrue(res.get(1) instanceof ApplyResult.Applied, ctx);
            assertEquals(last + 1, sm.appliedIndex(), ctx);
        }
    }
}
