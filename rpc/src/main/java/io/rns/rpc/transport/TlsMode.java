package io.rns.rpc.transport;

import java.util.Locale;

/**
 * Whether a client-facing port speaks TLS (the same three modes as RocketMQ's {@code tls.server.mode}, so operators
 * can move a running estate over: permissive first, enforcing once every client has TLS).
 */
public enum TlsMode {
    /** Plaintext only. */
    DISABLED,
    /** TLS and plaintext on the same port: each connection's first bytes tell which (a migration step). */
    PERMISSIVE,
    /** TLS only: a plaintext connection is closed (and logged). */
    ENFORCING;

    /** @throws IllegalArgumentException naming the accepted values */
    public static TlsMode parse(String s) {
        return parse("TLS mode", values(), s);
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The one of {@code values} that {@code s} names in any case; else an error naming {@code what} and them. */
    static <E extends Enum<E>> E parse(String what, E[] values, String s) {
        for (E e : values) {
            if (s != null && e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : values) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(what + " must be one of " + names + ", got '" + LogText.printable(s) + "'");
    }
}
