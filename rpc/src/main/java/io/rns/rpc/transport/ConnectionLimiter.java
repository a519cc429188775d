package io.rns.rpc.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts one port's open connections, in all and per source address, against {@link ConnectionLimits}. A connection
 * is {@link #admit admitted} when accepted and {@link #release released} when it closes (only if it was admitted).
 */
public final class ConnectionLimiter {
    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perHost = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    public ConnectionLimiter(ConnectionLimits limits) {
        this.limits = limits;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Admits a connection from {@code host}, or returns why not (and counts the refusal). */
    public String admit(String host) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refused.increment();
            return "the port already has " + limits.maxConnections() + " open connections (limits.max-connections)";
        }
        boolean[] admitted = {false};
        perHost.compute(host, (h, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.maxConnectionsPerHost()) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            refused.increment();
            return host + " already has " + limits.maxConnectionsPerHost()
                    + " open connections to this port (limits.max-connections-per-host)";
        }
        return null;
    }

    /** Releases an admitted connection from {@code host}. */
    public void release(String host) {
        open.decrementAndGet();
        perHost.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections admitted and not yet released. */
    public int open() {
        return open.get();
    }

    /** The source address a limit counts by: the IP of {@code remote} (its text form if it has none). */
    public static String hostOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress()
                : String.valueOf(remote);
    }

    /** Connections refused since start. */
    public long refused() {
        return refused.sum();
    }
}
