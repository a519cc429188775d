package io.rns.chaos.checker;

import io.rns.chaos.history.Operation;

/**
 * One operation as the search sees it: already paired, FAIL ops dropped, indeterminate ops with {@code ret = +inf}.
 *
 * @param id            dense id within its key (0..n-1), assigned by the checker
 * @param indeterminate INFO or pending; {@code output} is then {@code null} and {@code ret} is {@link Operation#INFINITY}
 * @param source        the recorded operation (for reports)
 */
public record CheckOp(int id, int process, String f, String input, String output, long call, long ret,
        boolean indeterminate, Operation source) {

    public static CheckOp of(int id, Operation o) {
        return new CheckOp(id, o.process(), o.f(), o.input(), o.output(), o.call(), o.ret(), o.isIndeterminate(), o);
    }

    public CheckOp withId(int newId) {
        return new CheckOp(newId, process, f, input, output, call, ret, indeterminate, source);
    }

    /** True if the two ops' real-time intervals overlap (neither returned before the other was invoked). */
    public boolean concurrentWith(CheckOp o) {
        return !(ret < o.call || o.ret < call);
    }

    @Override
    public String toString() {
        return source != null ? source.toString()
                : "p" + process + " " + f + (input == null ? "" : " in=" + input)
                        + (indeterminate ? " info" : " ok" + (output == null ? "" : " out=" + output)) + " [" + call
                        + ", " + (ret == Operation.INFINITY ? "inf" : ret) + "]";
    }
}
