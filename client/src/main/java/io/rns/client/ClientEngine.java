package io.rns.client;

import com.google.protobuf.ByteString;
import io.rns.client.internal.Router;
import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.transport.RpcClient;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.rns.client.Replies.await;
import static io.rns.client.Replies.reply;

/**
 * What a {@link NamesrvClient} runs on: the connections, the retry thread, the retry engine and the cluster mode,
 * and the ways a typed request is sent (as a read or write with leaderless fan-out, to the leader, to one node).
 */
final class ClientEngine implements AutoCloseable {
    private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

    private final ClientSettings settings;
    private final RpcClient rpc;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Caller caller;
    private final ModeResolver modes;

    ClientEngine(ClientSettings settings) {
        this.settings = settings;
        Random random = settings.randomSeed() != null ? new Random(settings.randomSeed()) : new Random();
        this.rpc = new RpcClient(settings.rpcOptions());
        this.scheduler = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("rns-client-retry-" + SCHEDULER_IDS.incrementAndGet()));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.caller = new Caller(rpc, new Router(settings.endpoints(), random), settings.requestTimeout(),
                settings.overallTimeout(), settings.retryPolicy(), settings.defaultConsistency(),
                settings.defaultConsistencyExplicit(), settings.clientId(), random, scheduler, settings.exactlyOnce(),
                settings.credentials() == null ? ByteString.EMPTY : ByteString.copyFromUtf8(settings.credentials()));
        this.modes = new ModeResolver(settings.mode(), settings.endpoints(), settings.overallTimeout(), caller);
    }

    Caller caller() {
        return caller;
    }

    ModeResolver modes() {
        return modes;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * A typed read or write: a read (ReadOptions set from {@code options}) to the sticky endpoint; a write to the
     * leader, or in leaderless mode, unless pinned, to every endpoint at once.
     */
    <T> Reply<T> call(RequestEnvelope.Builder req, CallOptions options, boolean isRead,
            ResponseEnvelope.BodyCase expected, Function<ResponseEnvelope, T> extract) {
        if (isRead) {
            req.clearRead();
        }
        if (fansOut(modes.modeFor(nodeOf(options)), options, isRead)) {
            return await(FanOut.toEvery(settings.endpoints(), ep -> caller
                    .call(req, options(options).withNode(ep), false).thenApply(a -> reply(a, expected, extract))));
        }
        return reply(await(caller.call(req, options, isRead)), expected, extract);
    }

    /** As {@link NamesrvClient#callAsync}. */
    CompletableFuture<ResponseEnvelope> callAsync(RequestEnvelope.Builder request, CallOptions options,
            boolean isRead) {
        Objects.requireNonNull(request, "request");
        ClusterMode m;
        try {
            m = modes.modeFor(nodeOf(options));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (fansOut(m, options, isRead)) {
            RequestEnvelope.Builder req = request.clone();
            return FanOut
                    .toEvery(settings.endpoints(),
                            ep -> caller.call(req, options(options).withNode(ep), false)
                                    .thenApply(a -> new Reply<>(a.response(),
                                            ResponseMeta.of(a.response().getHeader(), a.endpoint()))))
                    .thenApply(Reply::value);
        }
        return caller.call(request, options, isRead).thenApply(Caller.Answer::response);
    }

    /** A request the leader serves that is not a write (heartbeat, lease table): routed like a write, never fanned out. */
    <T> Reply<T> leader(RequestEnvelope.Builder req, CallOptions options, ResponseEnvelope.BodyCase expected,
            Function<ResponseEnvelope, T> extract) {
        return reply(await(caller.callLeader(req, options)), expected, extract);
    }

    /** A request any node answers locally (status, peers): routed like a read, without ReadOptions. */
    <T> Reply<T> local(RequestEnvelope.Builder req, CallOptions options, ResponseEnvelope.BodyCase expected,
            Function<ResponseEnvelope, T> extract) {
        return reply(await(caller.call(req, options, true, false)), expected, extract);
    }

    /** A write to the leader only, never fanned out (membership changes). */
    <T> Reply<T> leaderWrite(RequestEnvelope.Builder req, CallOptions options, ResponseEnvelope.BodyCase expected,
            Function<ResponseEnvelope, T> extract) {
        return reply(await(caller.call(req, options, false)), expected, extract);
    }

    /**
     * One attempt at one node, asynchronously (for {@link BrokerRegistrar}'s per-node heartbeats and unregisters in
     * leaderless mode). {@code write}: a write (outcome may be unknown); else routed like a heartbeat.
     */
    <T> CompletableFuture<Reply<T>> callNodeAsync(RequestEnvelope.Builder request, String node, boolean write,
            ResponseEnvelope.BodyCase expected, Function<ResponseEnvelope, T> extract) {
        CallOptions o = CallOptions.DEFAULT.withNode(node);
        CompletableFuture<Caller.Answer> f;
        try {
            f = write ? caller.call(request, o, false) : caller.callLeader(request, o);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return f.thenApply(a -> reply(a, expected, extract));
    }

    /** Closes connections and threads; pending calls fail. */
    @Override
    public void close() {
        rpc.close();
        scheduler.shutdownNow();
    }

    /** Leaderless writes not pinned to a node go to every node. */
    private static boolean fansOut(ClusterMode m, CallOptions options, boolean isRead) {
        return !isRead && m == ClusterMode.LEADERLESS && nodeOf(options) == null;
    }

    private static String nodeOf(CallOptions options) {
        return options == null ? null : options.node();
    }

    private static CallOptions options(CallOptions o) {
        return o == null ? CallOptions.DEFAULT : o;
    }
}
