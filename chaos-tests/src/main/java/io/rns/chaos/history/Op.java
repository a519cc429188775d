package io.rns.chaos.history;

import java.util.Objects;

/**
 * One history event. An operation is an {@link Type#INVOKE} followed (same {@code process}) by one completion
 * ({@link Type#OK}, {@link Type#FAIL} or {@link Type#INFO}).
 *
 * <p>Values are strings: a register value ({@code null} = absent), one broker address (register / unregister input) or
 * a set of broker addresses encoded with {@link SetValue} (route read output). Inputs are taken from the invocation,
 * outputs from the {@code OK} completion (a read's invocation carries {@code null}; its completion the value observed).
 *
 * @param process  logical client process; {@code >= 0} for clients, negative ({@link #NEMESIS}) for nemesis/annotation
 *                 events, which checkers ignore
 * @param type     event type
 * @param f        function: {@code read}, {@code write}, {@code register}, {@code unregister}, ... (the model decides)
 * @param key      the object the op touches (a topic); linearizability is checked per key
 * @param value    input (invoke) or output (OK completion), see above; may be {@code null}
 * @param node     endpoint / node the request was sent to; may be {@code null}
 * @param time     {@code System.nanoTime()} minus the run's start, in nanoseconds
 * @param meta     server-reported metadata (completions); may be {@code null}
 * @param error    error text for FAIL / INFO (for reports); may be {@code null}
 */
public record Op(int process, Type type, String f, String key, String value, String node, long time, ServerMeta meta,
        String error) {

    /** Process id used for nemesis and other non-client events. */
    public static final int NEMESIS = -1;

    public enum Type {
        INVOKE, OK, FAIL, INFO;

        public boolean isCompletion() {
            return this != INVOKE;
        }
    }

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
    }

    public static Op invoke(int process, String f, String key, String value, long time) {
        return new Op(process, Type.INVOKE, f, key, value, null, time, null, null);
    }

    public static Op ok(int process, String f, String key, String value, long time) {
        return new Op(process, Type.OK, f, key, value, null, time, null, null);
    }

    public static Op fail(int process, String f, String key, String value, long time) {
        return new Op(process, Type.FAIL, f, key, value, null, time, null, null);
    }

    public static Op info(int process, String f, String key, String value, long time) {
        return new Op(process, Type.INFO, f, key, value, null, time, null, null);
    }

    public Op withNode(String n) {
        return new Op(process, type, f, key, value, n, time, meta, error);
    }

    public Op withMeta(ServerMeta m) {
        return new Op(process, type, f, key, value, node, time, m, error);
    }

    public Op withError(String e) {
        return new Op(process, type, f, key, value, node, time, meta, e);
    }

    public Op withValue(String v) {
        return new Op(process, type, f, key, v, node, time, meta, error);
    }

    public Op withTime(long t) {
        return new Op(process, type, f, key, value, node, t, meta, error);
    }

    public boolean isClient() {
        return process >= 0;
    }

    /** Compact human-readable form for reports: {@code p3 ok register t1 "b#4" @12.345ms}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append('p').append(process).append(' ').append(type.name().toLowerCase()).append(' ').append(f);
        if (key != null) {
            sb.append(' ').append(key);
        }
        sb.append(' ').append(value == null ? "nil" : '"' + value + '"');
        sb.append(String.format(" @%.3fms", time / 1e6));
        if (node != null) {
            sb.append(" node=").append(node);
        }
        if (meta != null) {
            sb.append(" served=").append(meta.served()).append(" by=").append(meta.nodeId()).append(" applied=")
                    .append(meta.appliedIndex());
        }
        if (error != null) {
            sb.append(" err=").append(error);
        }
        return sb.toString();
    }
}
