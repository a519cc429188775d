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

    /**
     * When the request's frame was decoded, on the {@link System#nanoTime()} clock: before any queueing for a worker.
     * A handler that counts a request as evidence of the peer's liveness (a broker heartbeat) should use this
     * time, not the time it runs, so that time spent in the server's queues never counts against the peer.
     * {@link #deadlineNanos()} is this plus the request's timeout.
     *
     * <p>The transport's contexts always report the real arrival time. The default (for test doubles written before
     * this method existed) is "now", i.e. no queueing.
     */
    default long arrivalNanos() {
        return System.nanoTime();
    }

    /**
     * The account an in-process ingress (the RocketMQ port) already authenticated this request as, by its own
     * protocol's means; null (the native port) = the request's own credentials decide.
     */
    default String authenticatedAs() {
        return null;
    }

    /**
     * The serving node's applied log index when the connection the request came on was opened; 0 when the transport
     * does not track it. A request on a connection opened after an entry was applied was sent after that entry took
     * effect: the registration fence uses it to tell a fresh registration from a late copy of an earlier one.
     */
    default long connectionOpenedAtIndex() {
        return 0;
    }

    /** Whether the connection the request came on is still open (a response would reach the peer). */
    boolean isConnectionOpen();

    /**
     * Runs {@code r} once when the connection closes (immediately if it already has). The callback runs on the
     * connection's Netty event loop thread: it must be quick and must not block. Exceptions it throws are logged and
     * swallowed.
     */
    void onConnectionClose(Runnable r);
}
