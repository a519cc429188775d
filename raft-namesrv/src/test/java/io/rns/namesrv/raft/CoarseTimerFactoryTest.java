package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.util.timer.Timeout;
import com.alipay.sofa.jraft.util.timer.Timer;
import com.alipay.sofa.jraft.util.timer.TimerTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoarseTimerFactoryTest {
    @Test
    void jraftPicksTheCoarseTimersThroughItsSpi() {
        assertInstanceOf(CoarseTimerFactory.class, JRaftUtils.raftTimerFactory());
    }

    @Test
    void aTimerStillFiresNoEarlierThanAsked() throws Exception {
        Timer timer = JRaftUtils.raftTimerFactory().getVoteTimer(false, "test-vote-timer");
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

    @Test
    void theElectionTimerLooksForALostLeaderSeveralTimesPerPeriod() {
        Timer timer = JRaftUtils.raftTimerFactory().getElectionTimer(false, "test-election-timer");
        try {
            assertInstanceOf(SubdividedTimer.class, timer);
        } finally {
            timer.stop();
        }
    }

    @Test
    void aSubdividedTimerAsksForAFractionOfEachDelayAndStopsItsTimer() {
        List<Long> askedNs = new ArrayList<>();
        boolean[] stopped = {false};
        Timer recording = new Timer() {
            @Override
            public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
                askedNs.add(unit.toNanos(delay));
                return null;
            }

            @Override
            public Set<Timeout> stop() {
                stopped[0] = true;
                return Set.of();
            }
        };
        Timer quarter = new SubdividedTimer(recording, 4);
        quarter.newTimeout(t -> {
        }, 1_250, TimeUnit.MILLISECONDS);
        quarter.newTimeout(t -> {
        }, 1, TimeUnit.NANOSECONDS);
        quarter.stop();
        assertEquals(List.of(TimeUnit.MILLISECONDS.toNanos(1_250) / 4, 1L), askedNs);
        assertTrue(stopped[0], "the wrapped timer was not stopped");
        assertThrows(IllegalArgumentException.class, () -> new SubdividedTimer(recording, 0));
    }
}
