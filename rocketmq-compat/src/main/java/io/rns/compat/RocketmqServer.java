package io.rns.compat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.spi.IngressContext;
import io.rns.namesrv.spi.IngressStats;
import io.rns.rpc.transport.ConnectionLimiter;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.LogBudget;
import io.rns.rpc.transport.LogText;
import io.rns.rpc.transport.RpcServer;
import io.rns.rpc.transport.ServerTls;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RocketMQ remoting listener: length-prefixed frames (at most {@code rocketmq.max-frame-bytes}) decoded with
 * rocketmq-remoting's {@link RemotingCommand#decode(ByteBuf)} (JSON or ROCKETMQ binary headers), handed to
 * {@link RocketmqProcessor}; answers are encoded as JSON. An oversized or undecodable frame closes that connection
 * only (logged with the peer's address); idle connections close after {@code rpc.idle-timeout-ms} like stock.
 */
public final class RocketmqServer implements AutoCloseable, IngressStats {
    private static final Logger log = LoggerFactory.getLogger(RocketmqServer.class);
    static final AttributeKey<Long> CONNECTION_ID = AttributeKey.valueOf("rns.rocketmq.connectionId");
    /** The node's applied index when the connection was opened (see InboundContext#connectionOpenedAtIndex). */
    static final AttributeKey<Long> OPENED_AT_INDEX = AttributeKey.valueOf("rns.rocketmq.openedAtIndex");
    /** Requests of the connection in progress (limits.max-in-flight-per-connection). */
    static final AttributeKey<AtomicInteger> IN_FLIGHT = AttributeKey.valueOf("rns.rocketmq.inFlight");
    /** Refused connections and frames of this process, at most 10 lines a second (a flood must not fill the disk). */
    private static final LogBudget REFUSALS = new LogBudget(10, System::nanoTime);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final RocketmqProcessor processor;
    private final IngressCounters counters;

    private RocketmqServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, RocketmqProcessor processor,
            IngressCounters counters) {
        this.counters = counters;
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.processor = processor;
    }

    public static RocketmqServer start(IngressContext context) throws InterruptedException {
        NamesrvConfig config = context.config();
        NamesrvConfig.RocketmqIngress rc = config.rocketmq();
        return start(context, config.self().host(), rc.listenPort());
    }

    /** Starts on {@code host:port} (port 0 = ephemeral, for tests). */
    public static RocketmqServer start(IngressContext context, String host, int port) throws InterruptedException {
        NamesrvConfig config = context.config();
        NamesrvConfig.RocketmqIngress rc = config.rocketmq();
        IngressCounters counters = new IngressCounters(config.limits());
        ServerTls tls = ServerTls.of(config.tls()); // before any thread starts: a bad file stops here
        RocketmqProcessor processor = new RocketmqProcessor(context, counters);
        EventLoopGroup boss = new NioEventLoopGroup(1, DaemonThreads.named("rns-rmq-accept-" + config.nodeId()));
        EventLoopGroup workers = new NioEventLoopGroup(rc.ioThreads(),
                DaemonThreads.numbered("rns-rmq-io-" + config.nodeId()));
        try {
            ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true).childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            String host = ConnectionLimiter.hostOf(ch.remoteAddress());
                            String refusal = counters.limiter.admit(host);
                            if (refusal != null) {
                                if (REFUSALS.admit()) {
                                    log.warn("RocketMQ ingress: refusing connection from {}: {}{}",
                                            ChannelInboundContext.address(ch.remoteAddress()), refusal,
                                            REFUSALS.takeSuppressed());
                                }
                                ch.close();
                                return;
                            }
                            counters.accepted.increment();
                            ch.closeFuture().addListener(f -> counters.limiter.release(host));
                            ch.attr(IN_FLIGHT).set(new AtomicInteger());
                            ch.attr(CONNECTION_ID).set(context.connectionIds().next());
                            ch.attr(OPENED_AT_INDEX).set(context.appliedIndex().getAsLong());
                            if (tls != null) {
                                tls.install(ch);
                            }
                            ch.pipeline()
                                    .addLast("idle",
                                            new IdleStateHandler(0, 0, config.idleTimeoutMs(), TimeUnit.MILLISECONDS))
                                    .addLast("frame", new LengthFieldBasedFrameDecoder(rc.maxFrameBytes(), 0, 4, 0, 4))
                                    .addLast("encoder", new Encoder())
                                    .addLast("handler", new Handler(processor, counters));
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(host, port)).sync().channel();
            RocketmqServer s = new RocketmqServer(boss, workers, ch, processor, counters);
            log.info("node {}: RocketMQ remoting ingress listening on {} (max frame {} bytes, TLS {})", config.nodeId(),
                    s.localAddress(), rc.maxFrameBytes(), config.tls().mode().text());
            return s;
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            processor.close();
            throw e;
        }
    }

    @Override
    public RpcServer.Stats stats() {
        return counters.snapshot();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        processor.close();
    }

    /** RemotingCommand -> frame (length, header length + type, header, body). */
    static final class Encoder extends MessageToByteEncoder<RemotingCommand> {
        @Override
        protected void encode(ChannelHandlerContext ctx, RemotingCommand cmd, ByteBuf out) {
            byte[] body = cmd.getBody();
            ByteBuffer header = cmd.encodeHeader(body == null ? 0 : body.length);
            out.writeBytes(header);
            if (body != null) {
                out.writeBytes(body);
            }
        }
    }

    static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private final RocketmqProcessor processor;
        private final IngressCounters counters;

        Handler(RocketmqProcessor processor, IngressCounters counters) {
            this.processor = processor;
            this.counters = counters;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            long arrival = System.nanoTime();
            RemotingCommand cmd;
            try {
                cmd = RemotingCommand.decode(frame);
            } catch (Exception | StackOverflowError e) {
                counters.protocolErrors.increment();
                if (REFUSALS.admit()) {
                    log.warn("RocketMQ ingress: closing connection from {}: undecodable frame of {} bytes: {}{}",
                            ChannelInboundContext.address(ctx.channel().remoteAddress()), frame.capacity(),
                            LogText.printable(e.toString()), REFUSALS.takeSuppressed());
                }
                ctx.close();
                return;
            }
            if (cmd == null) {
                counters.protocolErrors.increment();
                if (REFUSALS.admit()) {
                    log.warn("RocketMQ ingress: closing connection from {}: empty frame{}",
                            ChannelInboundContext.address(ctx.channel().remoteAddress()), REFUSALS.takeSuppressed());
                }
                ctx.close();
                return;
            }
            if (cmd.isResponseType()) {
                log.debug("RocketMQ ingress: ignoring a response frame (opaque {}) from {}", cmd.getOpaque(),
                        ctx.channel().remoteAddress());
                return;
            }
            processor.process(ctx.channel(), ctx.channel().attr(CONNECTION_ID).get(), cmd, arrival);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                log.info("RocketMQ ingress: closing idle connection from {}",
                        ChannelInboundContext.address(ctx.channel().remoteAddress()));
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String peer = ChannelInboundContext.address(ctx.channel().remoteAddress());
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                counters.protocolErrors.increment();
                if (REFUSALS.admit()) {
                    log.warn(
                            "RocketMQ ingress: closing connection from {}: frame larger than "
                                    + "rocketmq.max-frame-bytes ({}){}",
                            peer, LogText.printable(cause.getMessage()), REFUSALS.takeSuppressed());
                }
            } else if (cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException) {
                counters.protocolErrors.increment();
                if (REFUSALS.admit()) {
                    log.warn("RocketMQ ingress: closing connection from {}: TLS error: {}{}", peer,
                            LogText.printable(String.valueOf(cause.getMessage())), REFUSALS.takeSuppressed());
                }
            } else if (REFUSALS.admit()) {
                log.info("RocketMQ ingress: closing connection from {}: {}{}", peer,
                        LogText.printable(cause.toString()), REFUSALS.takeSuppressed());
            }
            ctx.close();
        }
    }
}
