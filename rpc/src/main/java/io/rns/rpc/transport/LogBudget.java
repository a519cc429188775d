package io.rns.rpc.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A bound on how many lines a second one kind of log line may take, so a flood of hostile requests cannot fill the
 * disk through the log: {@link #admit()} says whether this line may be written; the ones refused are counted, and
 * {@link #takeSuppressed()} hands the count to the next line written.
 */
public final class LogBudget {
    private final int linesPerSecond;
    private final LongSupplier nanoClock;
    private final AtomicLong windowStart;
    private final AtomicLong linesInWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public LogBudget(int linesPerSecond, LongSupplier nanoClock) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("linesPerSecond must be >= 1, got " + linesPerSecond);
        }
        this.linesPerSecond = linesPerSecond;
        this.nanoClock = nanoClock;
        this.windowStart = new AtomicLong(nanoClock.getAsLong());
    }

    /** Whether one more line may be written now; if not, it is counted as suppressed. */
    public boolean admit() {
        long now = nanoClock.getAsLong();
        long start = windowStart.get();
        if (now - start >= TimeUnit.SECONDS.toNanos(1) && windowStart.compareAndSet(start, now)) {
            linesInWindow.set(0);
        }
        if (linesInWindow.incrementAndGet() <= linesPerSecond) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** The lines suppressed since the last call, as a suffix for the line being written ("" if none). */
    public String takeSuppressed() {
        long n = suppressed.getAndSet(0);
        return n == 0 ? "" : " (" + n + " more not logged, at most " + linesPerSecond + " lines a second)";
    }
}
