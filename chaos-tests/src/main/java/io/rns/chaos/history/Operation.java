package io.rns.chaos.history;

/**
 * An invocation paired with its completion. {@code completion} is {@code null} when the history ended before the op
 * completed (treated exactly like {@code INFO}).
 */
public record Operation(Op invoke, Op completion) {

    /** Return time of operations whose effect is indeterminate. */
    public static final long INFINITY = Long.MAX_VALUE;

    public Operation {
        if (invoke == null || invoke.type() != Op.Type.INVOKE) {
            throw new IllegalArgumentException("not an invocation: " + invoke);
        }
        if (completion != null && !completion.type().isCompletion()) {
            throw new IllegalArgumentException("not a completion: " + completion);
        }
    }

    public int process() {
        return invoke.process();
    }

    public String f() {
        return invoke.f();
    }

    public String key() {
        return invoke.key();
    }

    /** OK, FAIL or INFO (a pending op is INFO). */
    public Op.Type status() {
        return completion == null ? Op.Type.INFO : completion.type();
    }

    public boolean isOk() {
        return status() == Op.Type.OK;
    }

    public boolean isIndeterminate() {
        return status() == Op.Type.INFO;
    }

    public boolean isPending() {
        return completion == null;
    }

    /** The invocation's value (write / register input). */
    public String input() {
        return invoke.value();
    }

    /** The OK completion's value (read output); {@code null} if not OK. */
    public String output() {
        return isOk() ? completion.value() : null;
    }

    public long call() {
        return invoke.time();
    }

    /** Completion time for OK / FAIL; {@link #INFINITY} for INFO and pending ops. */
    public long ret() {
        return isIndeterminate() ? INFINITY : Math.max(completion.time(), invoke.time());
    }

    /** Server metadata of the completion, or {@code null}. */
    public ServerMeta meta() {
        return completion == null ? null : completion.meta();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append('p').append(process()).append(' ').append(f());
        if (key() != null) {
            sb.append(' ').append(key());
        }
        if (input() != null) {
            sb.append(" in=\"").append(input()).append('"');
        }
        sb.append(' ').append(isPending() ? "pending" : status().name().toLowerCase());
        if (isOk() && output() != null) {
            sb.append(" out=\"").append(output()).append('"');
        } else if (isOk() && "read".equals(f())) {
            sb.append(" out=nil");
        }
        sb.append(String.format(" [%.3f, %s]ms", call() / 1e6,
                ret() == INFINITY ? "inf" : String.format("%.3f", ret() / 1e6)));
        ServerMeta m = meta();
        if (m != null) {
            sb.append(" served=").append(m.served()).append(" by=").append(m.nodeId()).append(" applied=")
                    .append(m.appliedIndex());
        }
        return sb.toString();
    }
}
