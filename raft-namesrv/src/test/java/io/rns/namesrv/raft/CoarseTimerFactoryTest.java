package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.util.timer.Timer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoarseTimerFactoryTest {
    @Test
    void jraftPicksTheCoarseTimersThroughItsSpi() {
        assertInstanceOf(CoarseTimerFactory.class, JRaftUtils.raftTimerFactory());
    }

    @Test
    void aTimerStillFiresNoEarlierThanAsked() throws Exception {
        Timer timer = JRaftUtils.raftTimerFactory().getElectionTimer(false, "test-election-timer");
        try {
            CountDownLatch fired = new CountDownLatch(1);
            long[] firedAfterNs = new long[1];
            long start = System.nanoTime();
            timer.newTimeout(t -> {
                firedAfterNs[0] = System.nanoTime() - start;
                fired.countDown();
            }, 50, TimeUnit.MILLISECONDS);
            assertTrue(fired.await(10, TimeUnit.SECONDS), "the timeout never fired");
            assertTrue(firedAfterNs[0] >= TimeUnit.MILLISECONDS.toNanos(50), "fired early: " + firedAfterNs[0] + " ns");
        } finally {
            timer.stop();
        }
    }
}
