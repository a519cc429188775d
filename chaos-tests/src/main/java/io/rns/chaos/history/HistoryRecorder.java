package io.rns.chaos.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe recorder used by workload workers. Times are {@code System.nanoTime() - start} taken under the same lock
 * that appends, so the list order is the time order.
 *
 * <pre>{@code
 * int p = rec.newProcess();
 * rec.invoke(p, "register", topic, broker, endpoint);
 * try { Reply r = client.register(...); rec.ok(p, "register", topic, broker, ServerMeta.of(r.meta())); }
 * catch (definitely-not-applied e) { rec.fail(p, ...); }
 * catch (timeout / unknown outcome e) { rec.info(p, ...); p = rec.newProcess(); }   // never reuse p after INFO
 * }</pre>
 */
public final class HistoryRecorder {

    private final long start;
    private final AtomicInteger nextProcess = new AtomicInteger();
    private final List<Op> ops = new ArrayList<>();

    public HistoryRecorder() {
        this(System.nanoTime());
    }

    /** @param startNanos the run's start, a {@code System.nanoTime()} value */
    public HistoryRecorder(long startNanos) {
        this.start = startNanos;
    }

    /** A fresh, never used process id. */
    public int newProcess() {
        return nextProcess.getAndIncrement();
    }

    public long startNanos() {
        return start;
    }

    /** Appends {@code op} with its time replaced by now (relative to the start); returns the recorded op. */
    public synchronized Op record(Op op) {
        Op stamped = op.withTime(System.nanoTime() - start);
        ops.add(stamped);
        return stamped;
    }

    public Op invoke(int process, String f, String key, String value, String node) {
        return record(new Op(process, Op.Type.INVOKE, f, key, value, node, 0, null, null));
    }

    public Op ok(int process, String f, String key, String value, ServerMeta meta) {
        return record(new Op(process, Op.Type.OK, f, key, value, null, 0, meta, null));
    }

    public Op fail(int process, String f, String key, String value, String error) {
        return record(new Op(process, Op.Type.FAIL, f, key, value, null, 0, null, error));
    }

    public Op info(int process, String f, String key, String value, String error) {
        return record(new Op(process, Op.Type.INFO, f, key, value, null, 0, null, error));
    }

    /** A nemesis / annotation event (process {@link Op#NEMESIS}); ignored by the checkers. */
    public Op nemesis(String f, String value) {
        return record(new Op(Op.NEMESIS, Op.Type.INFO, f, null, value, null, 0, null, null));
    }

    public synchronized History snapshot() {
        return History.of(ops);
    }
}
