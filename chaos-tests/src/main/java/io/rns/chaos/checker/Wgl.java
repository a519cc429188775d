package io.rns.chaos.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Wing &amp; Gong / Lowe search for one key. Events (invocation and return of every op) form a doubly linked list in
 * time order (invocations before returns on equal times, i.e. equal times count as concurrent). The search walks the
 * list from the front: at an invocation it tries to linearize the op now (model step legal and the pair
 * (linearized set, new state) not seen before), lifting the op's two events out of the list; at a return it has failed
 * to linearize that op before it returned, so it backtracks (pops the last linearized op and re-inserts its events).
 * Indeterminate ops return at +infinity, after every OK return; reaching one means every OK op is linearized and the
 * remaining indeterminate ops may simply never have taken effect: success.
 */
final class Wgl<S> {

    private static final class Node {
        final CheckOp op; // null for sentinels
        final boolean isCall;
        Node match; // call -> its return
        Node prev;
        Node next;

        Node(CheckOp op, boolean isCall) {
            this.op = op;
            this.isCall = isCall;
        }
    }

    private record Memo(BitSet linearized, Object state, int hash) {
        static Memo of(BitSet l, Object s) {
            return new Memo(l, s, l.hashCode() * 31 + (s == null ? 0 : s.hashCode()));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && m.hash == hash && m.linearized.equals(linearized)
                    && Objects.equals(m.state, state);
        }
    }

    private record Frame<S>(Node call, S stateBefore) {
    }

    private final Model<S> model;
    private final List<CheckOp> ops;
    private final long deadlineNanos;
    private final long maxCache;

    Wgl(Model<S> model, List<CheckOp> ops, long deadlineNanos, long maxCache) {
        this.model = model;
        this.ops = ops;
        this.deadlineNanos = deadlineNanos;
        this.maxCache = maxCache;
    }

    /** Outcome of the search: verdict, effort, and (INVALID) the witness parts. */
    record Outcome(Verdict verdict, long cacheEntries, Witness witness, String reason) {
    }

    Outcome run() {
        int n = ops.size();
        Node head = new Node(null, false);
        Node tail = new Node(null, false);
        List<Node> events = new ArrayList<>(2 * n);
        for (CheckOp op : ops) {
            Node c = new Node(op, true);
            Node r = new Node(op, false);
            c.match = r;
            events.add(c);
            events.add(r);
        }
        events.sort(Comparator.<Node>comparingLong(e -> e.isCall ? e.op.call() : e.op.ret())
                .thenComparing(e -> e.isCall ? 0 : 1).thenComparingInt(e -> e.op.id()));
        Node prev = head;
        for (Node e : events) {
            prev.next = e;
            e.prev = prev;
            prev = e;
        }
        prev.next = tail;
        tail.prev = prev;

        S state = model.init();
        BitSet linearized = new BitSet(n);
        Set<Memo> cache = new HashSet<>();
        List<Frame<S>> stack = new ArrayList<>();
        // witness tracking: deepest prefix at which an op's return was reached
        int bestDepth = -1;
        List<CheckOp> bestPrefix = List.of();
        S bestState = state;
        CheckOp bestFailed = null;

        long iterations = 0;
        Node entry = head.next;
        while (head.next != tail) {
            if ((++iterations & 0x3ff) == 0 && System.nanoTime() - deadlineNanos > 0) {
                return new Outcome(Verdict.UNKNOWN, cache.size(), null,
                        "deadline exceeded after " + iterations + " steps");
            }
            if (entry.isCall) {
                CheckOp op = entry.op;
                Optional<S> next = model.step(state, op.f(), op.input(), op.output(), op.indeterminate());
                if (next.isPresent()) {
                    S s2 = next.get();
                    linearized.set(op.id());
                    Memo probe = Memo.of(linearized, s2);
                    if (!cache.contains(probe)) {
                        if (cache.size() >= maxCache) {
                            return new Outcome(Verdict.UNKNOWN, cache.size(), null,
                                    "memo cache cap of " + maxCache + " states reached");
                        }
                        cache.add(new Memo((BitSet) linearized.clone(), s2, probe.hash()));
                        stack.add(new Frame<>(entry, state));
                        state = s2;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                    linearized.clear(op.id());
                }
                entry = entry.next;
            } else {
                CheckOp op = entry.op;
                if (op.indeterminate()) {
                    return new Outcome(Verdict.VALID, cache.size(), null, null);
                }
                if (stack.size() > bestDepth) {
                    bestDepth = stack.size();
                    bestPrefix = new ArrayList<>(stack.size());
                    for (Frame<S> f : stack) {
                        bestPrefix.add(f.call().op);
                    }
                    bestState = state;
                    bestFailed = op;
                }
                if (stack.isEmpty()) {
                    return new Outcome(Verdict.INVALID, cache.size(), witness(bestPrefix, bestState, bestFailed), null);
                }
                Frame<S> top = stack.remove(stack.size() - 1);
                state = top.stateBefore();
                linearized.clear(top.call().op.id());
                unlift(top.call());
                entry = top.call().next;
            }
        }
        return new Outcome(Verdict.VALID, cache.size(), null, null);
    }

    private Witness witness(List<CheckOp> prefix, S state, CheckOp failed) {
        List<CheckOp> concurrent = new ArrayList<>();
        for (CheckOp o : ops) {
            if (o != failed && o.concurrentWith(failed)) {
                concurrent.add(o);
            }
        }
        concurrent.sort(Comparator.comparingLong(CheckOp::call));
        return new Witness(List.copyOf(prefix), model.describe(state), failed, List.copyOf(concurrent));
    }

    private static void lift(Node call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Node r = call.match;
        r.prev.next = r.next;
        r.next.prev = r.prev;
    }

    private static void unlift(Node call) {
        Node r = call.match;
        r.prev.next = r;
        r.next.prev = r;
        call.prev.next = call;
        call.next.prev = call;
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
