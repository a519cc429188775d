package io.rns.rpc.transport;

/** What the transport knows about one inbound request and the connection it came on. */
public interface InboundContext {
    /** The peer's address as {@code host:port} (numeric IP for the host), e.g. {@code 127.0.0.1:53122}. */
    String remoteAddress();

    /** A server-unique id of the connection (1, 2, 3, ... in accept order); stable for the connection's life. */
    long connectionId();

    /**
     * The request's deadline on the {@link System#nanoTime()} clock: arrival time + {@code timeout_ms}, or + the
     * server's {@link RpcServerOptions#defaultRequestTimeout()} when {@code timeout_ms} is 0.
     */
    long deadlineNanos();

    /** Whether the connection the request came on is still open (a response would reach the peer). */
    boolean isConnectionOpen();

    /**
     * Runs {@code r} once when the connection closes (immediately if it already has). The callback runs on the
     * connection's Netty event loop thread: it must be quick and must not block. Exceptions it throws are logged and
     * swallowed.
     */
    void onConnectionClose(Runnable r);
}
