package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.Operation;
import io.rns.rpc.transport.DaemonThreads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Checks a history for linearizability against a {@link Model}, independently per key (linearizability is local), in
 * parallel, within a deadline.
 *
 * <p>Preparation per key: FAIL ops are dropped (definitely no effect); indeterminate (INFO / pending) ops get return
 * time +infinity; indeterminate read-only ops are dropped (no effect, no information); then {@link Model#prepare}
 * prunes indeterminate ops no read could have observed. Then the {@link Wgl} search runs.
 *
 * <pre>{@code
 * CheckResult r = new LinearizabilityChecker<>(new SetMembershipModel(), CheckOptions.withDeadline(Duration.ofMinutes(2)))
 *         .check(history);
 * if (r.verdict() == Verdict.INVALID) fail(r.summary());
 * }</pre>
 */
public final class LinearizabilityChecker<S> {

    private final Model<S> model;
    private final CheckOptions options;

    public LinearizabilityChecker(Model<S> model, CheckOptions options) {
        this.model = model;
        this.options = options;
    }

    public LinearizabilityChecker(Model<S> model) {
        this(model, CheckOptions.defaults());
    }

    public static <S> CheckResult check(History history, Model<S> model, CheckOptions options) {
        return new LinearizabilityChecker<>(model, options).check(history);
    }

    /** @throws IllegalArgumentException if the history contains a function the model does not support */
    public CheckResult check(History history) {
        long start = System.nanoTime();
        long deadline = start + options.deadline().toNanos();
        History.Pairing pairing = history.pair();
        for (Operation o : pairing.operations()) {
            if (!model.supports(o.f())) {
                throw new IllegalArgumentException(model.name() + " model does not support f=" + o.f() + ": " + o);
            }
        }
        Map<String, List<Operation>> byKey = History.byKey(pairing.operations());
        List<Map.Entry<String, List<Operation>>> order = new ArrayList<>(byKey.entrySet());
        order.sort(Comparator.comparingInt((Map.Entry<String, List<Operation>> e) -> -e.getValue().size()));
        Map<String, KeyResult> results = new TreeMap<>();
        int threads = Math.max(1, Math.min(options.parallelism(), order.size()));
        if (threads == 1) {
            for (Map.Entry<String, List<Operation>> e : order) {
                results.put(e.getKey(), checkKey(e.getKey(), e.getValue(), deadline));
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("wgl-checker"));
            try {
                List<Future<KeyResult>> futures = new ArrayList<>();
                for (Map.Entry<String, List<Operation>> e : order) {
                    futures.add(pool.submit(() -> checkKey(e.getKey(), e.getValue(), deadline)));
                }
                for (Future<KeyResult> f : futures) {
                    KeyResult k = f.get();
                    results.put(k.key(), k);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("checker failed", e.getCause());
            } finally {
                pool.shutdownNow();
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Verdict overall = Verdict.VALID;
        for (KeyResult k : results.values()) {
            overall = Verdict.combine(overall, k.verdict());
        }
        return new CheckResult(model.name(), overall, results, pairing.warnings(), Wgl.since(start));
    }

    /** Checks the operations of one key (all assumed to belong to the same object). */
    public KeyResult checkKey(String key, List<Operation> operations, long deadlineNanos) {
        long start = System.nanoTime();
        List<CheckOp> ops = new ArrayList<>();
        for (Operation o : operations) {
            if (o.status() == Op.Type.FAIL) {
                continue;
            }
            if (o.isIndeterminate() && model.isReadOnly(o.f())) {
                continue;
            }
            ops.add(CheckOp.of(ops.size(), o));
        }
        int before = ops.size();
        List<CheckOp> prepared = model.prepare(ops);
        List<CheckOp> dense = new ArrayList<>(prepared.size());
        int indeterminate = 0;
        for (CheckOp o : prepared) {
            dense.add(o.withId(dense.size()));
            if (o.indeterminate()) {
                indeterminate++;
            }
        }
        int pruned = before - dense.size();
        if (System.nanoTime() - deadlineNanos > 0) {
            return new KeyResult(key, Verdict.UNKNOWN, dense.size(), pruned, indeterminate, 0, Wgl.since(start), null,
                    "deadline exceeded before the key was checked");
        }
        Wgl.Outcome out = new Wgl<>(model, dense, deadlineNanos, options.maxCacheEntries()).run();
        return new KeyResult(key, out.verdict(), dense.size(), pruned, indeterminate, out.cacheEntries(),
                Wgl.since(start), out.witness(), out.reason());
    }

    /** Convenience for a single key with the options' deadline. */
    public KeyResult checkKey(String key, List<Operation> operations) {
        return checkKey(key, operations, System.nanoTime() + options.deadline().toNanos());
    }

    public Model<S> model() {
        return model;
    }
}
