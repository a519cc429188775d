package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.util.timer.Timeout;
import com.alipay.sofa.jraft.util.timer.Timer;
import com.alipay.sofa.jraft.util.timer.TimerTask;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A jraft timer whose every delay is divided by {@code parts}: jraft's election timer, made to look for a lost leader
 * several times per election timeout.
 *
 * <p>jraft's election timer is a repeating timer with period {@code ET + random(0, maxElectionDelay)} that is
 * <em>not</em> reset by heartbeats: at each firing a follower starts a (pre-)vote only if it has not heard from its
 * leader for {@code ET}. So a follower notices a dead leader up to one whole period after the {@code ET} of silence
 * ran out — on average half a period, which made the median SIGKILL failover 1.4–1.9 election timeouts
 * (docs/benchmarks.md). Dividing the period by {@code parts} leaves the condition alone (still {@code ET} of silence,
 * checked by jraft; voters check it too, so leader leases stay as safe as before) and shortens only the wait after it,
 * to at most {@code (ET + maxElectionDelay) / parts}; the randomisation that keeps two followers from standing at the
 * same instant stays, scaled down with the period. A firing while the leader is current is one volatile read in jraft.
 */
final class SubdividedTimer implements Timer {
    private final Timer timer;
    private final int parts;

    SubdividedTimer(Timer timer, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, not " + parts);
        }
        this.timer = timer;
        this.parts = parts;
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        return timer.newTimeout(task, Math.max(1, unit.toNanos(delay) / parts), TimeUnit.NANOSECONDS);
    }

    @Override
    public Set<Timeout> stop() {
        return timer.stop();
    }
}
