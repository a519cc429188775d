package io.rns.chaos.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read/write register per key. State: the value, {@code null} = absent (the initial state). {@code write} sets the
 * input value (a {@code null} input deletes); {@code read} must return exactly the state.
 *
 * <p><b>Pruning</b>: an indeterminate {@code write(v)} w is removed when no OK read that could be linearized after w
 * (i.e. whose return is not before w's invocation: {@code r.ret >= w.call}) returned {@code v}. Soundness, both ways:
 * (1) if the pruned history has a linearization, so has the original one: w is indeterminate, so "never took effect"
 * is allowed and the same linearization serves. (2) if the original has a linearization containing w, drop w from it:
 * the states differ only between w and the next write in the order; any read there was linearized after w (so
 * {@code r.ret >= w.call}) and, being legal, returned {@code v}; none exists by the pruning condition, so the stretch has
 * no reads and the shortened order is still legal and still respects real time. Removing several such writes is done
 * one at a time; the condition depends only on OK reads, which are never removed. Values need not be unique.
 */
public final class RegisterModel implements Model<RegisterModel.State> {

    public static final String READ = "read";
    public static final String WRITE = "write";

    /** Boxed so that {@code null} (absent) can be a memoizable state. */
    public record State(String value) {
        @Override
        public String toString() {
            return value == null ? "nil" : '"' + value + '"';
        }
    }

    private static final State EMPTY = new State(null);

    @Override
    public String name() {
        return "register";
    }

    @Override
    public State init() {
        return EMPTY;
    }

    @Override
    public Optional<State> step(State s, String f, String input, String output, boolean indeterminate) {
        switch (f) {
            case WRITE:
                return Optional.of(Objects.equals(input, s.value) ? s : new State(input));
            case READ:
                return Objects.equals(output, s.value) ? Optional.of(s) : Optional.empty();
            default:
                throw new IllegalArgumentException("register model: unknown f " + f);
        }
    }

    @Override
    public boolean supports(String f) {
        return READ.equals(f) || WRITE.equals(f);
    }

    @Override
    public boolean isReadOnly(String f) {
        return READ.equals(f);
    }

    @Override
    public List<CheckOp> prepare(List<CheckOp> ops) {
        List<CheckOp> reads = new ArrayList<>();
        for (CheckOp o : ops) {
            if (!o.indeterminate() && READ.equals(o.f())) {
                reads.add(o);
            }
        }
        List<CheckOp> out = new ArrayList<>(ops.size());
        for (CheckOp o : ops) {
            if (o.indeterminate() && WRITE.equals(o.f()) && !observed(o, reads)) {
                continue;
            }
            out.add(o);
        }
        return out;
    }

    private static boolean observed(CheckOp w, List<CheckOp> reads) {
        for (CheckOp r : reads) {
            if (r.ret() >= w.call() && Objects.equals(r.output(), w.input())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe(State s) {
        return s.toString();
    }
}
