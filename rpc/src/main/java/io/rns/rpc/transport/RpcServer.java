package io.rns.rpc.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The native RPC server: accepts connections, decodes {@link RequestEnvelope} frames on the Netty event loop, runs
 * {@link RequestHandler#handle} on a bounded worker pool (or, for the requests {@link RequestHandler#isInline} picks,
 * on the event loop itself) and writes one {@link ResponseEnvelope} per request (in completion order, which may
 * differ from arrival order).
 *
 * <p>Requests for which {@link RequestHandler#isPriority} is true (broker heartbeats) run on a separate, small
 * priority executor with its own bounded queue, so a saturated or blocked worker pool never starves them. Every
 * request carries its arrival time ({@link InboundContext#arrivalNanos()}), taken when its frame was decoded, so
 * time spent queueing is visible to the handler.
 *
 * <ul>
 *   <li>Worker queue full (or the priority queue, for a priority request): answered at once with {@code OVERLOADED}
 *       (retriable), handler not called. The two queues overflow independently.</li>
 *   <li>Deadline passed while queued: {@code DEADLINE_EXCEEDED} (retriable), handler not called — except for
 *       priority requests (liveness signals), which always reach the handler: their arrival still counts.</li>
 *   <li>Handler throws or its future fails: {@code INTERNAL} with the exception's message.</li>
 *   <li>Server closing: {@code SHUTTING_DOWN} (retriable) for requests that can no longer be queued.</li>
 *   <li>Malformed, truncated, oversized or zero-length frame, or an undecodable body: WARN naming the peer and the
 *       reason, that connection is closed; other connections are unaffected.</li>
 *   <li>Peer gone before its response: the response is dropped (DEBUG); the handler still runs to completion.</li>
 *   <li>A connection that sends nothing for {@link RpcServerOptions#idleTimeout()} is closed.</li>
 * </ul>
 */
public final class RpcServer implements AutoCloseable {
    /**
     * The longest deadline a request may ask for (RequestEnvelope.timeout_ms): a longer one is cut to this, so no
     * client can make a node hold a request (a SEQUENTIAL read waiting for an index, a write waiting for apply) for
     * weeks. 10 minutes, the largest read.timeout-ms / write.timeout-ms a node may be configured with.
     */
    public static final long MAX_REQUEST_TIMEOUT_MS = 600_000;

    /** A request's deadline from its arrival: timeout_ms read unsigned, 0 = the server default, capped. */
    static long deadlineNanos(int timeoutMs, long defaultNanos) {
        if (timeoutMs == 0) {
            return defaultNanos;
        }
        return TimeUnit.MILLISECONDS.toNanos(Math.min(Integer.toUnsignedLong(timeoutMs), MAX_REQUEST_TIMEOUT_MS));
    }

    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final RpcServerOptions options;
    private final RequestHandler handler;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor priorityWorkers;
    private final ChannelGroup channels;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object inFlightMonitor = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long defaultTimeoutNanos;
    private Channel serverChannel;
    private InetSocketAddress localAddress;

    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder permissionDenied = new LongAdder();
    private final LongAdder priorityRequests = new LongAdder();
    private final LongAdder priorityOverloaded = new LongAdder();
    private final LongAdder deadlineExceeded = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder responsesDropped = new LongAdder();
    private final ConnectionLimiter limiter;
    private final LogBudget refusals = new LogBudget(10, System::nanoTime);

    /**
     * Counters since start; cheap to read, for tests and status pages. {@code requests} and {@code overloaded} count
     * both classes; {@code priorityRequests} and {@code priorityOverloaded} the priority class only.
     */
    public record Stats(long connectionsAccepted, int connectionsOpen, long requests, long overloaded,
            long deadlineExceeded, long internalErrors, long protocolErrors, long responsesDropped, int inFlight,
            long priorityRequests, long priorityOverloaded, long connectionsRefused, long permissionDenied) {
    }

    /** Null when TLS is off. */
    private final ServerTls tls;

    private RpcServer(RpcServerOptions options, RequestHandler handler) {
        this.tls = ServerTls.of(options.tls()); // first: a bad certificate or key fails before any thread starts
        this.options = options;
        this.handler = handler;
        this.defaultTimeoutNanos = options.defaultRequestTimeout().toNanos();
        this.group = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("rns-rpc-server-io"));
        this.workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.workerQueueCapacity()), new DefaultThreadFactory("rns-rpc-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        this.priorityWorkers = new ThreadPoolExecutor(options.priorityThreads(), options.priorityThreads(), 60,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(options.priorityQueueCapacity()),
                new DefaultThreadFactory("rns-rpc-priority"), new ThreadPoolExecutor.AbortPolicy());
        this.channels = new DefaultChannelGroup("rns-rpc-server", GlobalEventExecutor.INSTANCE);
        this.limiter = new ConnectionLimiter(options.limits());
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException if the address cannot be bound (the cause says why)
     */
    public static RpcServer start(RpcServerOptions options, RequestHandler handler) {
        if (options == null || handler == null)
            throw new NullPointerException("options and handler are required");
        RpcServer server = new RpcServer(options, handler);
        try {
            server.bind();
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException(
                    "RPC server cannot bind " + options.host() + ":" + options.port() + ": " + e, e);
        }
        return server;
    }

    private void bind() throws InterruptedException {
        long idleMillis = options.idleTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            tls.install(ch);
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast("encoder", FrameCodec.encoder(options.maxFrameBytes()))
                                .addLast("decoder",
                                        FrameCodec.decoder(options.maxFrameBytes(), RequestEnvelope.parser()))
                                .addLast("handler", new ConnectionHandler());
                    }
                });
        ChannelFuture f = b.bind(options.host(), options.port()).sync();
        serverChannel = f.channel();
        localAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("RPC server listening on {} ({})", Endpoints.format(localAddress), options);
    }

    /** The bound address (with the real port when the options asked for port 0). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public RpcServerOptions options() {
        return options;
    }

    public Stats stats() {
        return new Stats(connectionsAccepted.sum(), channels.size(), requests.sum(), overloaded.sum(),
                deadlineExceeded.sum(), internalErrors.sum(), protocolErrors.sum(), responsesDropped.sum(),
                inFlight.get(), priorityRequests.sum(), priorityOverloaded.sum(), limiter.refused(),
                permissionDenied.sum());
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to 2 s (new requests on open connections
     * get {@code SHUTTING_DOWN}), then closes every connection and releases all threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        workers.shutdown();
        priorityWorkers.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        synchronized (inFlightMonitor) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    inFlightMonitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (inFlight.get() > 0) {
            log.warn("RPC server closing with {} requests still in flight after {} ms", inFlight.get(),
                    CLOSE_GRACE_MILLIS);
        }
        channels.close().awaitUninterruptibly();
        workers.shutdownNow();
        priorityWorkers.shutdownNow();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
            priorityWorkers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        log.info("RPC server {} closed", localAddress == null ? "(unbound)" : Endpoints.format(localAddress));
    }

    // ------------------------------------------------------------------------------------------------------------

    /** One accepted connection; {@code remote} is the peer's {@code host:port}. */
    private record Connection(long id, Channel channel, String remote, String host, AtomicInteger inFlight) {
        Connection(long id, Channel channel) {
            this(id, channel, Endpoints.format(channel.remoteAddress()),
                    ConnectionLimiter.hostOf(channel.remoteAddress()), new AtomicInteger());
        }
    }

    /** What a handler learns about the request in hand: its connection, arrival and deadline. */
    private record Inbound(Connection conn, long arrivalNanos, long deadlineNanos) implements InboundContext {
        @Override
        public String remoteAddress() {
            return conn.remote;
        }

        @Override
        public long connectionId() {
            return conn.id;
        }

        @Override
        public boolean isConnectionOpen() {
            return conn.channel.isActive();
        }

        @Override
        public void onConnectionClose(Runnable r) {
            conn.channel.closeFuture().addListener(f -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    log.warn("connection-close callback for {} failed", conn.remote, t);
                }
            });
        }
    }

    private final class ConnectionHandler extends ChannelInboundHandlerAdapter {
        private Connection conn;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            Connection c = new Connection(connectionIds.incrementAndGet(), ctx.channel());
            String refusal = limiter.admit(c.host);
            if (refusal != null) {
                if (refusals.admit()) {
                    log.warn("refusing connection from {}: {}{}", c.remote, refusal, refusals.takeSuppressed());
                }
                ctx.close();
                return;
            }
            conn = c;
            connectionsAccepted.increment();
            channels.add(ctx.channel());
            log.debug("connection {} from {} opened", conn.id, conn.remote);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (conn != null) {
                limiter.release(conn.host);
            }
            log.debug("connection {} from {} closed", conn == null ? -1 : conn.id, conn == null ? "?" : conn.remote);
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long arrival = System.nanoTime(); // the decoder just produced this frame: its arrival time
            RequestEnvelope req = (RequestEnvelope) msg;
            if (conn == null) {
                return; // a refused connection, being closed
            }
            requests.increment();
            int maxInFlight = options.limits().maxInFlightPerConnection();
            if (conn.inFlight.get() >= maxInFlight) {
                overloaded.increment();
                inFlight.incrementAndGet();
                conn.inFlight.incrementAndGet();
                if (refusals.admit()) {
                    log.warn(
                            "request {} from {} refused OVERLOADED: {} requests already in flight on its connection"
                                    + " (limits.max-in-flight-per-connection){}",
                            req.getRequestId(), conn.remote, maxInFlight, refusals.takeSuppressed());
                }
                respond(conn, errorResponse(req, ErrorCode.OVERLOADED, true, maxInFlight
                        + " requests already in flight on this connection (limits.max-in-flight-per-connection)"),
                        true);
                return;
            }
            long timeoutNanos = deadlineNanos(req.getTimeoutMs(), defaultTimeoutNanos);
            Inbound inbound = new Inbound(conn, arrival, arrival + timeoutNanos);
            boolean priority = isPriority(req);
            ThreadPoolExecutor executor = priority ? priorityWorkers : workers;
            if (priority) {
                priorityRequests.increment();
            }
            inFlight.incrementAndGet();
            conn.inFlight.incrementAndGet();
            if (!priority && isInline(req)) {
                process(req, inbound, false); // answered from memory on this event loop: no hand-off either way
                return;
            }
            try {
                executor.execute(() -> process(req, inbound, priority));
            } catch (RejectedExecutionException e) {
                if (executor.isShutdown()) {
                    respond(conn, errorResponse(req, ErrorCode.SHUTTING_DOWN, true, "server is shutting down"), true);
                } else {
                    overloaded.increment();
                    if (priority) {
                        priorityOverloaded.increment();
                    }
                    int capacity = priority ? options.priorityQueueCapacity() : options.workerQueueCapacity();
                    respond(conn, errorResponse(req, ErrorCode.OVERLOADED, true, "server overloaded: " + capacity
                            + (priority ? " priority" : "") + " requests already queued"), true);
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent && conn != null) {
                log.info("closing connection {} from {}: nothing received for {} ms", conn.id, conn.remote,
                        options.idleTimeout().toMillis());
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String remote = conn != null ? conn.remote : Endpoints.format(ctx.channel().remoteAddress());
            if (cause instanceof DecoderException)
                protocolErrors.increment();
            Throwable reason = cause instanceof FrameCodec.ProtocolException || cause.getCause() == null ? cause
                    : cause.getCause();
            ConnectionErrors.logAndClose(ctx, log, "from " + remote, cause, reason);
        }
    }

    private boolean isPriority(RequestEnvelope req) {
        try {
            return handler.isPriority(req);
        } catch (Throwable t) {
            log.debug("RequestHandler.isPriority failed for request {}; treating it as ordinary", req.getRequestId(),
                    t);
            return false;
        }
    }

    private boolean isInline(RequestEnvelope req) {
        try {
            return handler.isInline(req);
        } catch (Throwable t) {
            log.debug("RequestHandler.isInline failed for request {}; queueing it for a worker", req.getRequestId(), t);
            return false;
        }
    }

    private void process(RequestEnvelope req, Inbound inbound, boolean priority) {
        long now = System.nanoTime();
        // A priority request (a liveness signal) reaches the handler even when it waited past its deadline: it still
        // proves the sender was alive when it arrived (arrivalNanos), the KAFKA-15019 lesson. Others are refused.
        if (!priority && now - inbound.deadlineNanos >= 0) {
            deadlineExceeded.increment();
            respond(inbound.conn, errorResponse(req, ErrorCode.DEADLINE_EXCEEDED, true,
                    "deadline passed before a worker picked the request up"), true);
            return;
        }
        CompletableFuture<ResponseEnvelope> f;
        try {
            f = handler.handle(req, inbound);
            if (f == null) {
                throw new NullPointerException("RequestHandler returned a null future");
            }
        } catch (Throwable t) {
            f = CompletableFuture.failedFuture(t);
        }
        f.whenComplete((resp, err) -> {
            if (err == null && resp == null) {
                err = new NullPointerException("RequestHandler completed with a null response");
            }
            if (err != null) {
                Throwable cause = unwrap(err);
                internalErrors.increment();
                log.debug("handler failed for request {} from {}", req.getRequestId(), inbound.conn.remote, cause);
                String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
                respond(inbound.conn, errorResponse(req, ErrorCode.INTERNAL, false, message), true);
            } else {
                ResponseEnvelope out = resp.getRequestId() == req.getRequestId() ? resp
                        : resp.toBuilder().setRequestId(req.getRequestId()).build();
                respond(inbound.conn, out, true);
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private ResponseEnvelope errorResponse(RequestEnvelope req, ErrorCode code, boolean retriable, String message) {
        ResponseHeader base;
        try {
            base = handler.transportErrorHeader();
        } catch (Throwable t) {
            base = null;
        }
        ResponseHeader.Builder h = base == null ? ResponseHeader.newBuilder() : base.toBuilder();
        h.setCode(code).setRetriable(retriable).setMessage(message);
        return ResponseEnvelope.newBuilder().setRequestId(req.getRequestId()).setHeader(h).build();
    }

    /** Writes one response; decrements the in-flight count once it is written or dropped. */
    private void respond(Connection conn, ResponseEnvelope resp, boolean mayReplace) {
        if (resp.getHeader().getCode() == ErrorCode.PERMISSION_DENIED) {
            permissionDenied.increment();
        }
        Channel ch = conn.channel;
        if (!ch.isActive()) {
            responsesDropped.increment();
            log.debug("dropping response to request {}: connection {} from {} is closed", resp.getRequestId(), conn.id,
                    conn.remote);
            finishOne(conn);
            return;
        }
        ch.writeAndFlush(resp).addListener(f -> {
            if (f.isSuccess()) {
                finishOne(conn);
                return;
            }
            Throwable cause = f.cause();
            if (mayReplace && cause instanceof EncoderException && ch.isActive()) {
                internalErrors.increment();
                log.warn("response to request {} from {} could not be encoded: {}", resp.getRequestId(), conn.remote,
                        cause.getMessage());
                RequestEnvelope idOnly = RequestEnvelope.newBuilder().setRequestId(resp.getRequestId()).build();
                respond(conn, errorResponse(idOnly, ErrorCode.INTERNAL, false,
                        "response could not be sent: " + cause.getMessage()), false);
                return;
            }
            responsesDropped.increment();
            log.debug("dropping response to request {} for {}: {}", resp.getRequestId(), conn.remote,
                    String.valueOf(cause));
            finishOne(conn);
        });
    }

    private void finishOne(Connection conn) {
        conn.inFlight.decrementAndGet();
        if (inFlight.decrementAndGet() == 0 && closed.get()) {
            synchronized (inFlightMonitor) {
                inFlightMonitor.notifyAll();
            }
        }
    }
}
