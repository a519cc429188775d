package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;
import io.rns.chaos.history.SetValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

/**
 * Seeded generator of linearizable histories: simulated concurrent clients run ops against a real (simulated) atomic
 * object; each op takes effect at a random instant between its invocation and its completion (its linearization
 * point), so the recorded history is linearizable by construction. Some ops fail (no effect) or time out
 * (indeterminate: took effect at its point or never; the client continues under a fresh process id).
 */
final class RandomHistories {

    /** One simulated op before it is turned into history events. */
    static final class SimOp {
        int process;
        String key;
        String f;
        String input;
        String output;
        long call;
        long lin;
        long ret;
        Op.Type type;
        boolean applied;
    }

    record Params(int keys, int clients, int opsPerKey, double infoRate, double failRate, int maxDuration, int maxGap) {
    }

    private final Random rnd;
    private final Params params;
    private final boolean setModel;
    private int nextProcess;
    private int nextValue;

    RandomHistories(long seed, Params params, boolean setModel) {
        this.rnd = new Random(seed);
        this.params = params;
        this.setModel = setModel;
    }

    List<SimOp> generate() {
        List<SimOp> all = new ArrayList<>();
        for (int k = 0; k < params.keys(); k++) {
            all.addAll(generateKey("key" + k));
        }
        return all;
    }

    private List<SimOp> generateKey(String key) {
        int clients = params.clients();
        int[] process = new int[clients];
        long[] free = new long[clients];
        for (int c = 0; c < clients; c++) {
            process[c] = nextProcess++;
            free[c] = rnd.nextInt(params.maxGap() + 1);
        }
        List<SimOp> ops = new ArrayList<>();
        List<String> brokers = new ArrayList<>(); // set model: brokers whose register was invoked
        for (int i = 0; i < params.opsPerKey(); i++) {
            int c = rnd.nextInt(clients);
            SimOp o = new SimOp();
            o.process = process[c];
            o.key = key;
            o.call = free[c] + 1 + rnd.nextInt(params.maxGap() + 1);
            o.lin = o.call + rnd.nextInt(params.maxDuration() + 1);
            o.ret = o.lin + rnd.nextInt(params.maxDuration() + 1);
            double f = rnd.nextDouble();
            if (!setModel) {
                o.f = f < 0.45 ? "write" : "read";
                o.input = o.f.equals("write") ? key + "-v" + nextValue++ : null;
            } else if (f < 0.3 || brokers.isEmpty()) {
                o.f = "register";
                o.input = key + "-b" + nextValue++;
                brokers.add(o.input);
            } else if (f < 0.5) {
                o.f = "unregister";
                o.input = brokers.get(rnd.nextInt(brokers.size()));
            } else {
                o.f = "read";
            }
            double t = rnd.nextDouble();
            if (t < params.failRate()) {
                o.type = Op.Type.FAIL;
                o.applied = false;
            } else if (t < params.failRate() + params.infoRate()) {
                o.type = Op.Type.INFO;
                o.applied = rnd.nextBoolean();
                process[c] = nextProcess++; // never reuse a process after INFO
            } else {
                o.type = Op.Type.OK;
                o.applied = true;
            }
            free[c] = o.ret;
            ops.add(o);
        }
        // apply atomically in linearization-point order
        List<SimOp> byLin = new ArrayList<>(ops);
        byLin.sort(Comparator.comparingLong(o -> o.lin));
        String reg = null;
        TreeSet<String> set = new TreeSet<>();
        for (SimOp o : byLin) {
            if (!o.applied) {
                continue;
            }
            switch (o.f) {
                case "write" -> reg = o.input;
                case "register" -> set.add(o.input);
                case "unregister" -> set.remove(o.input);
                case "read" -> o.output = setModel ? SetValue.encode(set) : reg;
                default -> throw new IllegalStateException(o.f);
            }
        }
        return ops;
    }

    static History toHistory(List<SimOp> ops) {
        record Ev(long time, int seq, Op op) {
        }
        List<Ev> evs = new ArrayList<>();
        int seq = 0;
        for (SimOp o : ops) {
            boolean read = o.f.equals("read");
            evs.add(new Ev(o.call, seq++, Op.invoke(o.process, o.f, o.key, read ? null : o.input, o.call)));
            Op done = switch (o.type) {
                case OK -> Op.ok(o.process, o.f, o.key, read ? o.output : o.input, o.ret);
                case FAIL -> Op.fail(o.process, o.f, o.key, o.input, o.ret).withError("rejected");
                default -> Op.info(o.process, o.f, o.key, o.input, o.ret).withError("timeout");
            };
            evs.add(new Ev(o.ret, seq++, done));
        }
        evs.sort(Comparator.comparingLong(Ev::time).thenComparingInt(Ev::seq));
        return History.of(evs.stream().map(Ev::op).toList());
    }

    // ------------------------------------------------------------------ anomaly injection

    /**
     * Register: makes one OK read return a value that was certainly overwritten before the read began (an OK write w1
     * followed in real time by an OK write w2 that completed before the read was invoked; values are unique), or, if
     * no such triple exists, nil after an OK write completed before it (a lost write). Returns false if neither exists.
     */
    static boolean injectRegisterStaleRead(List<SimOp> ops, Random rnd) {
        List<SimOp[]> candidates = new ArrayList<>();
        List<SimOp[]> lost = new ArrayList<>();
        for (SimOp r : ops) {
            if (!r.f.equals("read") || r.type != Op.Type.OK) {
                continue;
            }
            for (SimOp w1 : ops) {
                if (!w1.key.equals(r.key) || !w1.f.equals("write") || w1.type != Op.Type.OK || w1.ret >= r.call) {
                    continue;
                }
                lost.add(new SimOp[]{r, w1});
                for (SimOp w2 : ops) {
                    if (w2.key.equals(r.key) && w2.f.equals("write") && w2.type == Op.Type.OK && w1.ret < w2.call
                            && w2.ret < r.call) {
                        candidates.add(new SimOp[]{r, w1});
                        break;
                    }
                }
            }
        }
        if (!candidates.isEmpty()) {
            SimOp[] c = candidates.get(rnd.nextInt(candidates.size()));
            c[0].output = c[1].input;
            return true;
        }
        if (!lost.isEmpty()) {
            lost.get(rnd.nextInt(lost.size()))[0].output = null;
            return true;
        }
        return false;
    }

    /**
     * Set: either adds to an OK read a broker that was certainly gone (its only register completed before an OK
     * unregister that completed before the read began) or removes from it a broker that was certainly present (its OK
     * register completed before the read began and no unregister of it was invoked before the read returned).
     */
    static boolean injectSetStaleRead(List<SimOp> ops, Random rnd) {
        List<Object[]> candidates = new ArrayList<>();
        for (SimOp r : ops) {
            if (!r.f.equals("read") || r.type != Op.Type.OK) {
                continue;
            }
            for (SimOp reg : ops) {
                if (!reg.key.equals(r.key) || !reg.f.equals("register") || reg.type != Op.Type.OK) {
                    continue;
                }
                String b = reg.input;
                boolean unregBeforeReadReturn = false;
                SimOp gone = null;
                for (SimOp u : ops) {
                    if (u.f.equals("unregister") && Objects.equals(u.input, b)) {
                        unregBeforeReadReturn |= u.call <= r.ret;
                        if (u.type == Op.Type.OK && reg.ret < u.call && u.ret < r.call) {
                            gone = u;
                        }
                    }
                }
                if (gone != null) {
                    candidates.add(new Object[]{r, b, true});
                } else if (reg.ret < r.call && !unregBeforeReadReturn) {
                    candidates.add(new Object[]{r, b, false});
                }
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        Object[] c = candidates.get(rnd.nextInt(candidates.size()));
        SimOp r = (SimOp) c[0];
        TreeSet<String> out = new TreeSet<>(SetValue.decode(r.output));
        if ((Boolean) c[2]) {
            out.add((String) c[1]);
        } else {
            out.remove((String) c[1]);
        }
        r.output = SetValue.encode(out);
        return true;
    }
}
