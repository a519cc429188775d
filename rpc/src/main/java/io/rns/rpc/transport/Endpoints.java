package io.rns.rpc.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Parsing and formatting of {@code host:port} endpoint strings ({@code [v6addr]:port} for IPv6 literals). */
public final class Endpoints {
    private Endpoints() {
    }

    /**
     * Parses {@code host:port} into an unresolved address.
     *
     * @throws IllegalArgumentException if the string is not {@code host:port} with a port in [1, 65535]
     */
    public static InetSocketAddress parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException(
                    "endpoint must be host:port, got " + (endpoint == null ? "null" : "an empty string"));
        }
        String s = endpoint.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port: '" + endpoint + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("IPv6 endpoint must be [addr]:port: '" + endpoint + "'");
        }
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("endpoint has a bad host: '" + endpoint + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint has a bad port: '" + endpoint + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port must be in [1, 65535]: '" + endpoint + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Whether {@link #parse} accepts {@code endpoint}. */
    public static boolean isValid(String endpoint) {
        try {
            parse(endpoint);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code ip:port} (numeric host when resolved), or {@code String.valueOf(addr)} for non-IP addresses. */
    public static String format(SocketAddress addr) {
        if (addr instanceof InetSocketAddress isa) {
            String host = isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
            return host + ":" + isa.getPort();
        }
        return String.valueOf(addr);
    }
}
