package io.rns.rpc.transport;

/**
 * Bounds of one listening port: open connections in all and per source address, and requests in progress per
 * connection. The node sets them from its limits.* keys, for its native and RocketMQ ports alike.
 *
 * @param maxConnections           open connections; a new one beyond it is closed at once
 * @param maxConnectionsPerHost    open connections from one source address
 * @param maxInFlightPerConnection requests one connection may have in progress; beyond it the answer is "busy"
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerHost, int maxInFlightPerConnection) {
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(10_000, 1_000, 1_000);

    /** @throws IllegalArgumentException naming the first value below 1 */
    public ConnectionLimits {
        if (maxConnections < 1 || maxConnectionsPerHost < 1 || maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("connection limits must be >= 1: " + maxConnections + ", "
                    + maxConnectionsPerHost + ", " + maxInFlightPerConnection);
        }
    }
}
