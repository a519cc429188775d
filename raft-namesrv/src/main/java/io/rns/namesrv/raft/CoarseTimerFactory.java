package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.util.NamedThreadFactory;
import com.alipay.sofa.jraft.util.SPI;
import com.alipay.sofa.jraft.util.timer.DefaultRaftTimerFactory;
import com.alipay.sofa.jraft.util.timer.HashedWheelTimer;
import com.alipay.sofa.jraft.util.timer.Timer;

import java.util.concurrent.TimeUnit;

/**
 * jraft's timers (election, vote, step-down, snapshot) with a {@value #TICK_MS} ms wheel tick instead of jraft's 1 ms.
 * Each of the four timers is a thread that wakes at every tick; at 1 ms that is 4,000 wake-ups a second per node, which
 * a CPU profile of a node under small registrations measured at 6–10 % of its CPU (docs/benchmarks.md, issue 16). The
 * timers they drive run every 100s of ms (election timeout 1000 ms, step-down check every half of it, snapshots every
 * 300 s), so a 10 ms granularity changes them by at most 1 %. Heartbeats and replication do not use these timers.
 * Chosen over jraft's own factory through its SPI ({@code META-INF/services}, higher priority). For A/B measurements
 * the JVM property {@value #TICK_PROPERTY} sets another tick ({@code 1} = jraft's own).
 *
 * <p>The election timer also fires {@value #ELECTION_CHECKS} times per election period ({@link SubdividedTimer}: a
 * follower still waits for a whole election timeout of silence, but notices it sooner after it ran out); the JVM
 * property {@value #ELECTION_CHECKS_PROPERTY} sets another count ({@code 1} = jraft's own).
 */
@SPI(priority = 1)
public final class CoarseTimerFactory extends DefaultRaftTimerFactory {
    static final long TICK_MS = 10;
    static final String TICK_PROPERTY = "io.rns.jraft.timer-tick-ms";
    static final int ELECTION_CHECKS = 2;
    static final String ELECTION_CHECKS_PROPERTY = "io.rns.jraft.election-checks";

    @Override
    public Timer createTimer(String name) {
        return new HashedWheelTimer(new NamedThreadFactory(name, true), tickMs(), TimeUnit.MILLISECONDS, 2048);
    }

    @Override
    public Timer getElectionTimer(boolean shared, String name) {
        return new SubdividedTimer(super.getElectionTimer(shared, name), electionChecks());
    }

    static int electionChecks() {
        int checks = Integer.getInteger(ELECTION_CHECKS_PROPERTY, ELECTION_CHECKS);
        if (checks < 1 || checks > 10) {
            throw new IllegalArgumentException(ELECTION_CHECKS_PROPERTY + " must be 1..10, not " + checks);
        }
        return checks;
    }

    static long tickMs() {
        long tick = Long.getLong(TICK_PROPERTY, TICK_MS);
        if (tick < 1 || tick > 100) {
            throw new IllegalArgumentException(TICK_PROPERTY + " must be 1..100 ms, not " + tick);
        }
        return tick;
    }
}
