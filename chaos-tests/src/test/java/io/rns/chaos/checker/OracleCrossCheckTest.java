package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.Operation;
import io.rns.chaos.history.SetValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares the WGL checker (memoization, pruning, JIT linearization) with a brute-force oracle (every real-time
 * respecting order of the OK ops plus any subset of the indeterminate ones, no pruning) on small random — mostly
 * non-linearizable — histories. Both verdicts must agree.
 */
class OracleCrossCheckTest {

    private static final long SEED = Long.getLong("chaos.checker.seed", 20240601L);

    private static <S> boolean bruteForce(Model<S> model, List<Operation> ops) {
        List<Operation> live = new ArrayList<>();
        for (Operation o : ops) {
            if (o.status() != Op.Type.FAIL && !(o.isIndeterminate() && model.isReadOnly(o.f()))) {
                live.add(o);
            }
        }
        return search(model, live, new boolean[live.size()], model.init());
    }

    private static <S> boolean search(Model<S> model, List<Operation> ops, boolean[] done, S state) {
        boolean allOkDone = true;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && ops.get(i).isOk()) {
                allOkDone = false;
            }
        }
        if (allOkDone) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i]) {
                continue;
            }
            Operation o = ops.get(i);
            boolean minimal = true; // every op that returned before o was invoked is already placed
            for (int j = 0; j < ops.size() && minimal; j++) {
                minimal = done[j] || j == i || !(ops.get(j).ret() < o.call());
            }
            if (!minimal) {
                continue;
            }
            String out = model instanceof SetMembershipModel && o.isOk() && "read".equals(o.f())
                    ? SetValue.canonical(o.output())
                    : o.output();
            Optional<S> next = model.step(state, o.f(), o.input(), out, o.isIndeterminate());
            if (next.isPresent()) {
                done[i] = true;
                boolean ok = search(model, ops, done, next.get());
                done[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    private static History randomHistory(Random r, boolean set) {
        int n = 3 + r.nextInt(5);
        List<Op> evs = new ArrayList<>();
        List<String> values = new ArrayList<>();
        values.add(null);
        for (int i = 0; i < n; i++) {
            long call = r.nextInt(20);
            long ret = call + r.nextInt(8);
            String f;
            String in = null;
            double x = r.nextDouble();
            if (!set) {
                f = x < 0.5 ? "write" : "read";
                if (f.equals("write")) {
                    in = r.nextInt(4) == 0 && values.size() > 1 ? values.get(1) : "v" + i; // occasional duplicates
                    values.add(in);
                }
            } else {
                f = x < 0.35 ? "register" : x < 0.55 ? "unregister" : "read";
                if (!f.equals("read")) {
                    in = "b" + r.nextInt(3);
                }
            }
            int t = r.nextInt(10);
            Op.Type type = t < 6 ? Op.Type.OK : t < 8 ? Op.Type.INFO : Op.Type.FAIL;
            String out = in;
            if (f.equals("read")) {
                if (set) {
                    TreeSet<String> s = new TreeSet<>();
                    for (int b = 0; b < 3; b++) {
                        if (r.nextBoolean()) {
                            s.add("b" + b);
                        }
                    }
                    out = SetValue.encode(s);
                } else {
                    out = values.get(r.nextInt(values.size()));
                }
                if (type != Op.Type.OK) {
                    out = null;
                }
            }
            evs.add(new Op(i, Op.Type.INVOKE, f, "k", f.equals("read") ? null : in, null, call, null, null));
            evs.add(new Op(i, type, f, "k", out, null, ret, null, null));
        }
        List<Op> sorted = new ArrayList<>(evs);
        sorted.sort((a, b) -> Long.compare(a.time(), b.time()));
        return History.of(sorted);
    }

    private static void crossCheck(boolean set) {
        System.out.println((set ? "set" : "register") + " oracle cross-check seed " + SEED);
        Random r = new Random(SEED + (set ? 17 : 0));
        Model<?> model = set ? new SetMembershipModel() : new RegisterModel();
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 1500; i++) {
            History h = randomHistory(r, set);
            boolean expected = bruteForce(model, h.pair().operations());
            CheckResult res = LinearizabilityChecker.check(h, model, CheckOptions.defaults().parallelism(1));
            assertEquals(expected ? Verdict.VALID : Verdict.INVALID, res.verdict(),
                    "history #" + i + " (seed " + SEED + "):\n"
                            + h.pair().operations().stream().map(Operation::toString).reduce("", (a, b) -> a + b + "\n")
                            + res.summary());
            if (expected) {
                valid++;
            } else {
                invalid++;
            }
        }
        System.out.println("  agreed on " + valid + " valid and " + invalid + " invalid histories");
        assertTrue(valid > 100 && invalid > 100, valid + " valid / " + invalid + " invalid: generator too skewed");
    }

    @Test
    void registerAgreesWithBruteForce() {
        crossCheck(false);
    }

    @Test
    void setAgreesWithBruteForce() {
        crossCheck(true);
    }
}
