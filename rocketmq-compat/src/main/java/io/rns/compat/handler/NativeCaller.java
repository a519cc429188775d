package io.rns.compat.handler;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetClusterInfoRequest;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The node's native dispatcher as the handlers call it: envelopes that name the RocketMQ peer as the client, reads at
 * the request's {@link ReadLevel}, and every call retried while the cluster has no usable leader.
 */
public final class NativeCaller {
    /** The native call, with the RocketMQ channel as its inbound context. */
    @FunctionalInterface
    public interface NativeCall
            extends
                BiFunction<RequestEnvelope, InboundContext, CompletableFuture<ResponseEnvelope>> {
    }

    private static final long RETRY_BACKOFF_MS = 200;

    private final NativeCall nativeCall;
    private final ReadLevel readLevel;

    public NativeCaller(NamesrvConfig config, NativeCall nativeCall) {
        this.nativeCall = nativeCall;
        this.readLevel = new ReadLevel(config);
    }

    /** An envelope from a RocketMQ client or admin tool. */
    public RequestEnvelope.Builder envelope(InboundContext ctx) {
        return RequestEnvelope.newBuilder().setClientId("rocketmq:" + ctx.remoteAddress());
    }

    /** An envelope from a RocketMQ broker (registration, liveness). */
    public RequestEnvelope.Builder brokerEnvelope(InboundContext ctx) {
        return RequestEnvelope.newBuilder().setClientId("rocketmq-broker:" + ctx.remoteAddress());
    }

    /** A read envelope from a RocketMQ client, at the request's read level. */
    public RequestEnvelope.Builder readEnvelope(RemotingCommand req, InboundContext ctx) {
        return envelope(ctx).setRead(readLevel.of(req));
    }

    /** A native read at the request's read level: {@code body} sets the request on a {@link #readEnvelope}. */
    public CompletableFuture<ResponseEnvelope> read(RemotingCommand req, InboundContext ctx,
            UnaryOperator<RequestEnvelope.Builder> body) {
        return send(body.apply(readEnvelope(req, ctx)).build(), ctx);
    }

    /** The request's read level (see {@link ReadLevel#of}). */
    public ReadOptions readOptions(RemotingCommand req) {
        return readLevel.of(req);
    }

    /** {@code env} (from {@link #envelope} or {@link #readEnvelope}); {@code onOk} of an OK answer, else the error. */
    public CompletableFuture<RemotingCommand> call(RequestEnvelope.Builder env, InboundContext ctx,
            Function<ResponseEnvelope, RemotingCommand> onOk) {
        return send(env.build(), ctx).thenApply(r -> Answers.okOrError(r, onOk));
    }

    /** A native write from a RocketMQ client or admin tool: 0 on success, else the native error. */
    public CompletableFuture<RemotingCommand> write(RequestEnvelope.Builder env, InboundContext ctx) {
        return call(env, ctx, r -> Answers.ok());
    }

    /**
     * The native call, retried while the cluster has no usable leader (NOT_LEADER without a leader to forward to,
     * NO_QUORUM, SHUTTING_DOWN: nothing was applied) until the request's deadline. Native clients retry by
     * themselves; RocketMQ brokers do not (the next attempt is their next 30 s registration), so without this a
     * registration that reaches a follower during an election would be lost for 30 s.
     */
    public CompletableFuture<ResponseEnvelope> send(RequestEnvelope env, InboundContext ctx) {
        return nativeCall.apply(env, ctx).thenCompose(r -> {
            if (!notAppliedAndRetriable(r.getHeader().getCode())) {
                return CompletableFuture.completedFuture(r);
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(ctx.deadlineNanos() - System.nanoTime());
            if (leftMs < 2 * RETRY_BACKOFF_MS) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture
                    .supplyAsync(() -> null, CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> send(env, ctx));
        });
    }

    static boolean notAppliedAndRetriable(ErrorCode code) {
        return code == ErrorCode.NOT_LEADER || code == ErrorCode.NO_QUORUM || code == ErrorCode.SHUTTING_DOWN;
    }

    /** The native cluster info at the request's read level (several codes are answered from it). */
    public CompletableFuture<Fetched<GetClusterInfoResponse>> clusterInfo(RemotingCommand req, InboundContext ctx) {
        return read(req, ctx, e -> e.setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance())).thenApply(
                r -> r.getHeader().getCode() != ErrorCode.OK ? Fetched.failed(NativeErrors.answer(r.getHeader()))
                        : Fetched.of(r.getGetClusterInfo()));
    }
}
