package io.rns.namesrv.admin;

import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Native requests the admin listener asks its own node, through the node's dispatcher, exactly as a client on the
 * native port would (the same checks, forwarding and answers; counted in the request metrics). One request, no
 * connection: the context's connection is always open and nothing can be bound to it.
 */
final class LocalCalls {
    private final RequestHandler dispatcher;
    private final long connectionId;

    LocalCalls(RequestHandler dispatcher, long connectionId) {
        this.dispatcher = dispatcher;
        this.connectionId = connectionId;
    }

    /** The answer, whatever its code; throws IllegalStateException if none comes within the timeout. */
    ResponseEnvelope call(RequestEnvelope.Builder req, long timeoutMs) {
        try {
            return dispatcher.handle(req.setTimeoutMs((int) timeoutMs).build(), context(timeoutMs)).get(timeoutMs + 500,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the node", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no answer from the node: " + e, e);
        }
    }

    static boolean ok(ResponseEnvelope r) {
        return r.getHeader().getCode() == ErrorCode.OK;
    }

    private InboundContext context(long timeoutMs) {
        long now = System.nanoTime();
        return new InboundContext() {
            @Override
            public String remoteAddress() {
                return "admin-listener";
            }

            @Override
            public long connectionId() {
                return connectionId;
            }

            @Override
            public long deadlineNanos() {
                return now + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            }

            @Override
            public long arrivalNanos() {
                return now;
            }

            @Override
            public boolean isConnectionOpen() {
                return true;
            }

            @Override
            public void onConnectionClose(Runnable r) {
                // one request, no connection: nothing is bound to it
            }
        };
    }
}
