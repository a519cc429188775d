package io.rns.chaos.checker;

import io.rns.chaos.history.SetValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Route membership per topic: the state is the sorted set of broker addresses serving the topic (initially empty).
 * {@code register(b)} adds b (idempotent), {@code unregister(b)} removes b (idempotent), {@code read} must return the
 * whole set ({@link SetValue} encoding; {@code null} = topic absent = empty set). Inputs of register/unregister are
 * single broker addresses. The state is the canonical {@link SetValue} string, which is cheap to memoize.
 *
 * <p><b>Pruning</b> of an indeterminate op x on broker b ("reads after x" means OK reads with {@code r.ret >= x.call},
 * the only reads that can be linearized after x):
 * <ul>
 *   <li>{@code register(b)}: pruned iff no read after it contains b;</li>
 *   <li>{@code unregister(b)}: pruned iff every read after it contains b.</li>
 * </ul>
 * Soundness: (1) a linearization of the pruned history is one of the original (x "never took effect"). (2) take a
 * linearization of the original containing x and drop x. Only b's membership changes, and only from x up to the next
 * register/unregister of b in the order (after which both orders agree on b). If x changed b's membership, every read in
 * that stretch is after x and returned a set in which b's membership is x's result (b present after register, absent
 * after unregister); the pruning condition says no read after x does that, so the stretch has no reads and the shorter
 * order is legal. If x did not change membership, dropping it changes nothing. Note that the weaker rule "every read
 * <em>invoked</em> after an unregister contains b" is unsound: a read invoked before the unregister but returning after
 * it may have observed it (see the tests).
 */
public final class SetMembershipModel implements Model<String> {

    public static final String READ = "read";
    public static final String REGISTER = "register";
    public static final String UNREGISTER = "unregister";

    @Override
    public String name() {
        return "set-membership";
    }

    @Override
    public String init() {
        return "";
    }

    @Override
    public Optional<String> step(String s, String f, String input, String output, boolean indeterminate) {
        switch (f) {
            case REGISTER:
            case UNREGISTER: {
                SortedSet<String> cur = SetValue.decode(s);
                boolean has = cur.contains(input);
                boolean reg = REGISTER.equals(f);
                if (has == reg) {
                    return Optional.of(s);
                }
                TreeSet<String> next = new TreeSet<>(cur);
                if (reg) {
                    next.add(input);
                } else {
                    next.remove(input);
                }
                return Optional.of(SetValue.encode(next));
            }
            case READ:
                // outputs are canonicalized by prepare()
                return s.equals(output) ? Optional.of(s) : Optional.empty();
            default:
                throw new IllegalArgumentException("set model: unknown f " + f);
        }
    }

    @Override
    public boolean supports(String f) {
        return READ.equals(f) || REGISTER.equals(f) || UNREGISTER.equals(f);
    }

    @Override
    public boolean isReadOnly(String f) {
        return READ.equals(f);
    }

    /** Canonicalizes read outputs and prunes indeterminate register/unregister ops as described above. */
    @Override
    public List<CheckOp> prepare(List<CheckOp> ops) {
        List<CheckOp> canon = new ArrayList<>(ops.size());
        List<CheckOp> reads = new ArrayList<>();
        List<SortedSet<String>> readSets = new ArrayList<>();
        for (CheckOp o : ops) {
            if (READ.equals(o.f()) && !o.indeterminate()) {
                SortedSet<String> set = SetValue.decode(o.output());
                o = new CheckOp(o.id(), o.process(), o.f(), o.input(), SetValue.encode(set), o.call(), o.ret(), false,
                        o.source());
                reads.add(o);
                readSets.add(set);
            } else if (!READ.equals(o.f())) {
                if (o.input() == null || o.input().isEmpty() || o.input().indexOf(',') >= 0) {
                    throw new IllegalArgumentException("set model: " + o.f() + " needs one broker address: " + o);
                }
            }
            canon.add(o);
        }
        List<CheckOp> out = new ArrayList<>(canon.size());
        for (CheckOp o : canon) {
            if (o.indeterminate() && !READ.equals(o.f())) {
                boolean reg = REGISTER.equals(o.f());
                boolean needed = false;
                for (int i = 0; i < reads.size() && !needed; i++) {
                    // a read after o whose b-membership equals o's result could have observed o
                    needed = reads.get(i).ret() >= o.call() && readSets.get(i).contains(o.input()) == reg;
                }
                if (!needed) {
                    continue;
                }
            }
            out.add(o);
        }
        return out;
    }

    @Override
    public String describe(String s) {
        return "{" + s + "}";
    }
}
