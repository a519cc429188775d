package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Test helper: builds histories from operations given as intervals (times in arbitrary units). */
final class HistoryBuilder {

    private final List<Op> events = new ArrayList<>();
    private String key = "k";

    static HistoryBuilder on(String key) {
        HistoryBuilder h = new HistoryBuilder();
        h.key = key;
        return h;
    }

    static HistoryBuilder history() {
        return new HistoryBuilder();
    }

    HistoryBuilder key(String k) {
        key = k;
        return this;
    }

    /** OK op: {@code value} is the input for writes, the output for reads. */
    HistoryBuilder ok(int p, String f, String value, long call, long ret) {
        boolean read = "read".equals(f);
        events.add(Op.invoke(p, f, key, read ? null : value, call));
        events.add(Op.ok(p, f, key, value, ret));
        return this;
    }

    HistoryBuilder read(int p, String value, long call, long ret) {
        return ok(p, "read", value, call, ret);
    }

    HistoryBuilder reg(int p, String broker, long call, long ret) {
        return ok(p, "register", broker, call, ret);
    }

    HistoryBuilder unreg(int p, String broker, long call, long ret) {
        return ok(p, "unregister", broker, call, ret);
    }

    HistoryBuilder write(int p, String value, long call, long ret) {
        return ok(p, "write", value, call, ret);
    }

    /** Indeterminate op (timed out at {@code call + 1}). */
    HistoryBuilder info(int p, String f, String value, long call) {
        events.add(Op.invoke(p, f, key, "read".equals(f) ? null : value, call));
        events.add(Op.info(p, f, key, "read".equals(f) ? null : value, call + 1).withError("timeout"));
        return this;
    }

    HistoryBuilder fail(int p, String f, String value, long call, long ret) {
        events.add(Op.invoke(p, f, key, value, call));
        events.add(Op.fail(p, f, key, value, ret).withError("not leader"));
        return this;
    }

    /** Invocation without completion (history ended). */
    HistoryBuilder pending(int p, String f, String value, long call) {
        events.add(Op.invoke(p, f, key, value, call));
        return this;
    }

    HistoryBuilder add(Op op) {
        events.add(op);
        return this;
    }

    History build() {
        List<Op> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Op::time)); // stable: per-process order is kept on equal times
        return History.of(sorted);
    }

    static CheckResult register(History h) {
        return LinearizabilityChecker.check(h, new RegisterModel(), CheckOptions.defaults());
    }

    static CheckResult set(History h) {
        return LinearizabilityChecker.check(h, new SetMembershipModel(), CheckOptions.defaults());
    }

    CheckResult checkRegister() {
        return register(build());
    }

    CheckResult checkSet() {
        return set(build());
    }
}
