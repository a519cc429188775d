package io.rns.compat;

import io.netty.channel.Channel;
import io.rns.compat.dispatch.RequestKind;
import io.rns.compat.dispatch.RocketmqTranslator;
import io.rns.compat.handler.Answers;
import io.rns.namesrv.auth.Account;
import io.rns.namesrv.auth.AclSignatures;
import io.rns.namesrv.auth.AuthFailure;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.auth.Permission;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.spi.IngressContext;
import io.rns.rpc.transport.ConnectionLimiter;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.LogBudget;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.SerializeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rns.rpc.transport.LogText.printable;

/**
 * Runs each RocketMQ request on the executor of its class (queries apart from registrations and other writes, both
 * bounded: a full queue answers SYSTEM_BUSY at once; a STALE route read, answered from memory, on the event loop
 * itself), translates it with {@link RocketmqTranslator} onto the node's native dispatcher, and writes the answer
 * (never for oneway requests).
 */
final class RocketmqProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RocketmqProcessor.class);

    private final NamesrvConfig config;
    private final RequestHandler dispatcher;
    private final RocketmqTranslator translator;
    private final ThreadPoolExecutor queries;
    private final ThreadPoolExecutor writes;
    private final IngressCounters counters;
    private final Authenticator auth;
    private final LogBudget authLog = new LogBudget(10, System::nanoTime);
    private final LogBudget busyLog = new LogBudget(10, System::nanoTime);
    /** Failed requests, at most 10 lines a second (each one is also answered with its reason). */
    private final LogBudget failLog = new LogBudget(10, System::nanoTime);

    RocketmqProcessor(IngressContext context, IngressCounters counters) {
        this.auth = context.auth();
        this.counters = counters;
        this.config = context.config();
        this.dispatcher = context.dispatcher();
        this.translator = new RocketmqTranslator(config, this::callNative);
        NamesrvConfig.RocketmqIngress rc = config.rocketmq();
        this.queries = pool("rns-rmq-query-" + config.nodeId(), rc.queryThreads(), rc.queueCapacity());
        this.writes = pool("rns-rmq-register-" + config.nodeId(), rc.registerThreads(), rc.queueCapacity());
    }

    private static ThreadPoolExecutor pool(String name, int threads, int capacity) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity),
                DaemonThreads.numbered(name), new ThreadPoolExecutor.AbortPolicy());
    }

    /** The native call a translation makes; the context carries the RocketMQ channel (liveness binds to it). */
    private CompletableFuture<ResponseEnvelope> callNative(RequestEnvelope env, InboundContext ctx) {
        try {
            return dispatcher.handle(env, ctx);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    void process(Channel channel, long connectionId, RemotingCommand request, long arrivalNanos) {
        RequestKind kind = translator.kindOf(request.getCode());
        if (kind == RequestKind.UNSUPPORTED) {
            respond(channel, request, Answers.notSupported(request.getCode()));
            return;
        }
        counters.requests.increment();
        String account = null;
        if (auth.enabled()) {
            account = authorized(channel, request);
            if (account == null) {
                return;
            }
        }
        AtomicInteger mine = channel.attr(RocketmqServer.IN_FLIGHT).get();
        int maxInFlight = config.limits().maxInFlightPerConnection();
        if (mine != null && mine.get() >= maxInFlight) {
            counters.busy.increment();
            if (busyLog.admit()) {
                log.warn(
                        "RocketMQ ingress: request code {} from {} refused SYSTEM_BUSY: {} requests already in flight"
                                + " on its connection (limits.max-in-flight-per-connection){}",
                        request.getCode(), ChannelInboundContext.address(channel.remoteAddress()), maxInFlight,
                        busyLog.takeSuppressed());
            }
            respond(channel, request,
                    RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_BUSY, "[RNS] " + maxInFlight
                            + " requests already in flight on this connection (limits.max-in-flight-per-connection)"));
            return;
        }
        ThreadPoolExecutor executor = kind == RequestKind.QUERY ? queries : writes;
        long timeoutMs = kind == RequestKind.QUERY ? config.readTimeoutMs() : config.writeTimeoutMs();
        ChannelInboundContext ctx = ChannelInboundContext.of(channel, connectionId, arrivalNanos, timeoutMs, account);
        counters.inFlight.incrementAndGet();
        if (mine != null) {
            mine.incrementAndGet();
        }
        if (kind == RequestKind.QUERY && translator.answersAtOnce(request)) {
            run(channel, request, ctx); // a STALE route read, answered from memory on this event loop: no hand-off
            return;
        }
        try {
            executor.execute(() -> run(channel, request, ctx));
        } catch (RejectedExecutionException e) {
            counters.inFlight.decrementAndGet();
            if (mine != null) {
                mine.decrementAndGet();
            }
            counters.busy.increment();
            respond(channel, request,
                    RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_BUSY,
                            "[RNS] too many pending " + (kind == RequestKind.QUERY ? "queries" : "registrations/writes")
                                    + " on node " + config.nodeId() + " (rocketmq.queue-capacity "
                                    + config.rocketmq().queueCapacity() + "); try again later"));
        }
    }

    /**
     * auth.enabled: the account a request acts as (its ACL signature's AccessKey, else the account its host is trusted
     * as, else anonymous) if that account may make it; otherwise it is answered 16 NO_PERMISSION and logged, and null
     * is returned.
     */
    private String authorized(Channel channel, RemotingCommand request) {
        Map<String, String> ext = request.getExtFields();
        String reason;
        String account = "?";
        try {
            Account who = ext != null && ext.containsKey(AclSignatures.ACCESS_KEY)
                    ? auth.byAclSignature(ext, request.getBody(), false)
                    : auth.unauthenticated(ConnectionLimiter.hostOf(channel.remoteAddress()));
            account = who.name();
            Permission need = translator.permissionOf(request.getCode());
            if (who.may(need)) {
                return who.name();
            }
            reason = "account '" + who.name() + "' may not make request code " + request.getCode() + " (needs "
                    + need.text() + ")";
        } catch (AuthFailure e) {
            reason = e.getMessage();
        }
        if (authLog.admit()) {
            log.warn("RocketMQ ingress: refused request code {} from {} (account {}): {}{}", request.getCode(),
                    ChannelInboundContext.address(channel.remoteAddress()), account, reason, authLog.takeSuppressed());
        }
        respond(channel, request, RemotingCommand.createResponseCommand(ResponseCode.NO_PERMISSION, "[RNS] " + reason));
        return null;
    }

    private void run(Channel channel, RemotingCommand request, ChannelInboundContext ctx) {
        CompletableFuture<RemotingCommand> f;
        try {
            f = translator.handle(request, ctx);
        } catch (Exception e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((resp, t) -> {
            counters.inFlight.decrementAndGet();
            AtomicInteger mine = channel.attr(RocketmqServer.IN_FLIGHT).get();
            if (mine != null) {
                mine.decrementAndGet();
            }
            if (t == null) {
                respond(channel, request, resp);
                return;
            }
            counters.failed.increment();
            RemotingCommand failure = Answers.failure(t);
            if (!request.isOnewayRPC() && failLog.admit()) { // respond() logs a failed oneway request
                log.warn("RocketMQ ingress: request code {} from {} failed: {}{}", request.getCode(),
                        ChannelInboundContext.address(channel.remoteAddress()), printable(failure.getRemark()),
                        failLog.takeSuppressed());
            }
            respond(channel, request, failure);
        });
    }

    private void respond(Channel channel, RemotingCommand request, RemotingCommand response) {
        if (response != null && response.getCode() == ResponseCode.NO_PERMISSION) {
            counters.unauthorized.increment(); // refused here or by the node's access gate
        }
        if (request.isOnewayRPC()) {
            if (response != null && response.getCode() != ResponseCode.SUCCESS && failLog.admit()) {
                log.warn("RocketMQ ingress: oneway request code {} from {} failed: {} {}{}", request.getCode(),
                        ChannelInboundContext.address(channel.remoteAddress()), response.getCode(),
                        printable(response.getRemark()), failLog.takeSuppressed());
            }
            return;
        }
        if (response == null) {
            return;
        }
        response.setOpaque(request.getOpaque());
        response.markResponseType();
        response.setSerializeTypeCurrentRPC(SerializeType.JSON);
        response.setVersion(MQVersion.CURRENT_VERSION); // as the stock namesrv stamps it
        if (channel.isActive()) {
            channel.writeAndFlush(response).addListener(w -> {
                if (!w.isSuccess()) {
                    log.debug("RocketMQ ingress: answer to {} failed: {}", channel.remoteAddress(),
                            w.cause().toString());
                }
            });
        }
    }

    @Override
    public void close() {
        queries.shutdownNow();
        writes.shutdownNow();
    }
}
