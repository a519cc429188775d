package io.rns.rpc.transport;

import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;

import java.util.concurrent.CompletableFuture;

/**
 * Serves requests for an {@link RpcServer}.
 *
 * <p>Threading: {@link #handle} is called on one of the server's worker threads, so it may block briefly, but long
 * waits should complete the returned future later from another thread instead — except for the requests
 * {@link #isInline} picks, which it is called for on the Netty event loop that decoded them. The
 * future may be completed on any thread. Whatever {@code request_id} the returned envelope carries is replaced by the
 * request's. A future completed exceptionally (or an exception thrown by {@code handle}) is answered with
 * {@code INTERNAL} and the exception's message. The transport does not time out a pending future; the handler should
 * honour {@link InboundContext#deadlineNanos()} itself (answer {@code DEADLINE_EXCEEDED}).
 */
@FunctionalInterface
public interface RequestHandler {
    CompletableFuture<ResponseEnvelope> handle(RequestEnvelope request, InboundContext ctx);

    /**
     * The header fields (node id, role, term, leader hint, applied index, ...) the transport puts into the answers it
     * produces by itself (OVERLOADED, DEADLINE_EXCEEDED, INTERNAL, SHUTTING_DOWN); the transport then sets code,
     * message and retriable. Called on any thread, including a Netty event loop: it must be cheap and never block.
     * The default is an empty header.
     */
    default ResponseHeader transportErrorHeader() {
        return ResponseHeader.getDefaultInstance();
    }

    /**
     * Whether {@code request} goes to the server's separate priority executor
     * ({@link RpcServerOptions#priorityThreads()}, own queue of {@link RpcServerOptions#priorityQueueCapacity()}, own
     * OVERLOADED answer) instead of the normal workers, so that it is never starved by ordinary reads and writes
     * (broker heartbeats are the intended use). Keep the priority class small and its handling quick: the priority
     * executor has few threads.
     *
     * <p>Called on a Netty event loop for every request, before it is queued: it must be cheap, must not block and
     * should look at the body case only. An exception counts as {@code false}. The default is {@code false}.
     */
    default boolean isPriority(RequestEnvelope request) {
        return false;
    }

    /**
     * Whether {@code request} is handled on the Netty event loop that decoded it instead of being queued for a worker:
     * only for requests {@link #handle} answers at once from memory, never blocking or waiting (a read of the local
     * route image). It saves the two thread hand-offs a worker costs (to the worker, and the answer back to the event
     * loop), most of a small read's latency when the machine is not busy. The event loop then does that work itself,
     * so the connection reads its next request after it: the pick must be cheap to answer, or one connection's
     * requests would delay the others on the same loop.
     *
     * <p>Called on a Netty event loop for every request that is not {@linkplain #isPriority priority}: it must be
     * cheap and must not block. An exception counts as {@code false}. The default is {@code false}.
     */
    default boolean isInline(RequestEnvelope request) {
        return false;
    }
}
