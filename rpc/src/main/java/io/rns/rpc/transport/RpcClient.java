package io.rns.rpc.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Native RPC client: pooled connections per endpoint (created lazily, replaced after they close), request-id
 * correlation, per-call deadlines. Thread-safe; one instance per process is plenty.
 *
 * <p>The returned futures complete on the client's I/O thread: do not block in their callbacks (use the
 * {@code *Async} variants with your own executor for heavy work).
 */
public final class RpcClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);
    /** timeout_ms is a uint32 on the wire; we cap it at this. */
    private static final long MAX_TIMEOUT_MS = Integer.MAX_VALUE;

    private final RpcClientOptions options;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final AtomicLong requestIds = new AtomicLong();
    private final ConcurrentHashMap<String, EndpointPool> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Pending> allPending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RpcClient(RpcClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.group = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("rns-rpc-client-io", true));
        long idleMillis = options.idleTimeout().toMillis();
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast("encoder", FrameCodec.encoder(options.maxFrameBytes()))
                                .addLast("decoder",
                                        FrameCodec.decoder(options.maxFrameBytes(), ResponseEnvelope.parser()))
                                .addLast("handler", new ClientHandler());
                    }
                });
    }

    public static RpcClient create(RpcClientOptions options) {
        return new RpcClient(options);
    }

    public RpcClientOptions options() {
        return options;
    }

    /** Calls sent or connecting and not yet completed (diagnostics and tests). */
    public int pendingCalls() {
        return allPending.size();
    }

    /**
     * Sends {@code request} to {@code endpoint} ({@code host:port}) and completes with the matching response.
     *
     * <p>The request's {@code request_id} is replaced by a fresh client-unique id and its {@code timeout_ms} is set
     * from {@code timeout}. The future completes exceptionally with
     * <ul>
     *   <li>{@link RpcTimeoutException} when no response arrived within {@code timeout} (connecting included);</li>
     *   <li>{@link RpcConnectException} when no connection could be made (the request was not sent);</li>
     *   <li>{@link RpcConnectionClosedException} when the connection closed before the response arrived —
     *       <b>the request may or may not have been processed</b> (see {@link RpcTransportException#requestSent()});</li>
     *   <li>{@link IllegalArgumentException} for a malformed endpoint or a request larger than maxFrameBytes;</li>
     *   <li>{@link IllegalStateException} when this client is closed.</li>
     * </ul>
     * Cancelling the future forgets the call (a late response is discarded).
     */
    public CompletableFuture<ResponseEnvelope> call(String endpoint, RequestEnvelope request, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("RpcClient is closed"));
        }
        EndpointPool pool;
        try {
            pool = pools.computeIfAbsent(endpoint, EndpointPool::new);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        long timeoutMs = Math.min(MAX_TIMEOUT_MS, Math.max(1, timeout.toMillis()));
        long id = requestIds.incrementAndGet();
        RequestEnvelope req = request.toBuilder().setRequestId(id).setTimeoutMs((int) timeoutMs).build();
        int size = req.getSerializedSize();
        if (size > options.maxFrameBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "request of " + size + " bytes exceeds maxFrameBytes " + options.maxFrameBytes()));
        }
        Pending p = new Pending(endpoint, id);
        allPending.put(id, p);
        try {
            p.timer = group.next().schedule(() -> {
                boolean timedOut = p.result.completeExceptionally(new RpcTimeoutException(endpoint,
                        "no response within " + timeoutMs + " ms (request " + id + ")", p.sent));
                if (timedOut && p.sent) {
                    abort(p.conn);
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // raced with close()
            allPending.remove(id, p);
            return CompletableFuture.failedFuture(new IllegalStateException("RpcClient is closed"));
        }
        p.result.whenComplete((r, e) -> p.cleanup());
        if (closed) { // raced with close()
            p.result.completeExceptionally(new IllegalStateException("RpcClient is closed"));
            return p.result;
        }
        p.pool = pool;
        pool.acquire().whenComplete((conn, err) -> {
            if (err != null) {
                p.result.completeExceptionally(err);
            } else {
                send(conn, p, req);
            }
        });
        return p.result;
    }

    /**
     * The pooled connection was found closed (e.g. the server's idle close raced this call) before the request was
     * written: nothing reached the server, so one retry on a fresh connection is safe. A second such failure, or a
     * closed client, fails the call with requestSent = false.
     */
    private void notSent(Conn conn, Pending p, RequestEnvelope req, String why, Throwable cause) {
        conn.pending.remove(p.id, p);
        p.sent = false;
        if (!p.retriedOnFreshConnection && !closed && !p.result.isDone()) {
            p.retriedOnFreshConnection = true;
            p.pool.acquire().whenComplete((fresh, err) -> {
                if (err != null) {
                    p.result.completeExceptionally(err);
                } else {
                    send(fresh, p, req);
                }
            });
            return;
        }
        p.result.completeExceptionally(new RpcConnectionClosedException(p.endpoint, why, false, cause));
    }

    private void send(Conn conn, Pending p, RequestEnvelope req) {
        if (p.result.isDone()) {
            return;
        }
        p.conn = conn;
        conn.pending.put(p.id, p);
        if (p.result.isDone()) { // completed (timeout, cancel) while we attached it
            conn.pending.remove(p.id, p);
            return;
        }
        if (!conn.channel.isActive()) {
            notSent(conn, p, req, "connection closed before send", null);
            return;
        }
        p.sent = true;
        conn.channel.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                notSent(conn, p, req, "request could not be written: " + cause, cause);
            }
        });
    }

    /**
     * A request on {@code conn} timed out after it was written: reset the connection (SO_LINGER 0, so the kernel
     * drops whatever it has not delivered yet instead of retransmitting it). Otherwise a request stuck behind a
     * partition is delivered when the partition heals — seconds later, with a fresh deadline measured from its
     * arrival — and a write the caller gave up on (and maybe retried and then undid) is applied long after. The chaos
     * harness caught exactly that: registrations forwarded to a leader that was cut off reached it by TCP
     * retransmission ~12 s later, after it had been re-elected, and re-registered brokers that had since been
     * unregistered (docs/consistency.md, track record #2). Other calls pending on the connection fail with
     * {@link RpcConnectionClosedException} (requestSent = true: their outcome is unknown to a writer).
     */
    private static void abort(Conn conn) {
        if (conn == null || !conn.channel.isOpen()) {
            return;
        }
        try {
            conn.channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException ignored) {
            // closing normally is still better than keeping the connection
        }
        conn.channel.close();
    }

    /** Fails every pending call with {@link RpcConnectionClosedException}, closes all connections and threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Pending p : new ArrayList<>(allPending.values())) {
            p.result.completeExceptionally(new RpcConnectionClosedException(p.endpoint, "client closed", p.sent, null));
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (EndpointPool pool : pools.values()) {
            for (int i = 0; i < pool.slots.length(); i++) {
                CompletableFuture<Conn> cf = pool.slots.get(i);
                if (cf != null && cf.isDone() && !cf.isCompletedExceptionally()) {
                    closing.add(cf.join().channel.close()); // connects still under way close themselves
                }
            }
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------------------

    private final class Pending {
        final String endpoint;
        final long id;
        final CompletableFuture<ResponseEnvelope> result = new CompletableFuture<>();
        volatile Conn conn;
        volatile boolean sent;
        /** A pooled connection that turned out dead before the request was written gets one fresh retry. */
        volatile boolean retriedOnFreshConnection;

        volatile EndpointPool pool;
        volatile ScheduledFuture<?> timer;

        Pending(String endpoint, long id) {
            this.endpoint = endpoint;
            this.id = id;
        }

        void cleanup() {
            allPending.remove(id, this);
            Conn c = conn;
            if (c != null) {
                c.pending.remove(id, this);
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private static final class Conn {
        final String endpoint;
        final Channel channel;
        final Map<Long, Pending> pending = new ConcurrentHashMap<>();

        Conn(String endpoint, Channel channel) {
            this.endpoint = endpoint;
            this.channel = channel;
        }
    }

    private static final io.netty.util.AttributeKey<Conn> CONN = io.netty.util.AttributeKey.valueOf("rns.conn");

    private final class EndpointPool {
        final String endpoint;
        final InetSocketAddress address;
        final AtomicReferenceArray<CompletableFuture<Conn>> slots;
        final AtomicInteger next = new AtomicInteger();

        EndpointPool(String endpoint) {
            this.endpoint = endpoint;
            this.address = Endpoints.parse(endpoint);
            this.slots = new AtomicReferenceArray<>(options.connectionsPerEndpoint());
        }

        CompletableFuture<Conn> acquire() {
            int i = Math.floorMod(next.getAndIncrement(), slots.length());
            while (true) {
                CompletableFuture<Conn> cur = slots.get(i);
                if (cur != null
                        && (!cur.isDone() || (!cur.isCompletedExceptionally() && cur.join().channel.isActive()))) {
                    return cur;
                }
                CompletableFuture<Conn> fresh = new CompletableFuture<>();
                if (slots.compareAndSet(i, cur, fresh)) {
                    connect(i, fresh);
                    return fresh;
                }
            }
        }

        private void connect(int slot, CompletableFuture<Conn> cf) {
            ChannelFuture f;
            try {
                f = options.localAddress() == null ? bootstrap.connect(address)
                        : bootstrap.connect(address, new InetSocketAddress(options.localAddress(), 0));
            } catch (RuntimeException e) {
                slots.compareAndSet(slot, cf, null);
                cf.completeExceptionally(new RpcConnectException(endpoint, "cannot connect: " + e, e));
                return;
            }
            f.addListener((ChannelFuture cfut) -> {
                if (!cfut.isSuccess()) {
                    slots.compareAndSet(slot, cf, null);
                    Throwable cause = cfut.cause();
                    log.debug("connect to {} failed: {}", endpoint, String.valueOf(cause));
                    String why = cause == null ? "unknown"
                            : cause.getMessage() != null ? cause.getMessage() : cause.toString();
                    cf.completeExceptionally(new RpcConnectException(endpoint, "cannot connect: " + why, cause));
                    return;
                }
                Channel ch = cfut.channel();
                if (options.tls() != null) {
                    SslHandler tls = options.tls().newHandler(ch.alloc(), address.getHostString(), address.getPort());
                    ch.pipeline().addFirst("tls", tls);
                    tls.handshakeFuture().addListener(hs -> {
                        if (hs.isSuccess()) {
                            ready(slot, cf, ch);
                        } else {
                            slots.compareAndSet(slot, cf, null);
                            ch.close();
                            cf.completeExceptionally(new RpcConnectException(endpoint,
                                    "TLS handshake failed: " + String.valueOf(hs.cause().getMessage()), hs.cause()));
                        }
                    });
                    return;
                }
                ready(slot, cf, ch);
            });
        }

        /** The connection (TCP, and TLS if configured) is up: it joins the pool. */
        private void ready(int slot, CompletableFuture<Conn> cf, Channel ch) {
            Conn conn = new Conn(endpoint, ch);
            ch.attr(CONN).set(conn);
            ch.closeFuture().addListener(x -> slots.compareAndSet(slot, cf, null));
            if (closed) {
                ch.close();
            }
            log.debug("connected to {} from {}", endpoint, Endpoints.format(ch.localAddress()));
            cf.complete(conn);
        }
    }

    private final class ClientHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ResponseEnvelope resp = (ResponseEnvelope) msg;
            Conn conn = ctx.channel().attr(CONN).get();
            Pending p = conn == null ? null : conn.pending.remove(resp.getRequestId());
            if (p == null) {
                log.debug("discarding response to unknown or expired request {} from {}", resp.getRequestId(),
                        Endpoints.format(ctx.channel().remoteAddress()));
                return;
            }
            p.result.complete(resp);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Conn conn = ctx.channel().attr(CONN).get();
            if (conn != null) {
                for (Pending p : new ArrayList<>(conn.pending.values())) {
                    p.result.completeExceptionally(new RpcConnectionClosedException(conn.endpoint,
                            "connection closed before the response arrived (request " + p.id + ")", p.sent, null));
                }
            }
            super.channelInactive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent e && e.state() == IdleState.ALL_IDLE) {
                Conn conn = ctx.channel().attr(CONN).get();
                if (conn == null || conn.pending.isEmpty()) {
                    log.debug("closing idle connection to {}", Endpoints.format(ctx.channel().remoteAddress()));
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ConnectionErrors.logAndClose(ctx, log, "to " + Endpoints.format(ctx.channel().remoteAddress()), cause,
                    cause);
        }
    }
}
