package io.rns.namesrv.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.GetNodeStatusRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code /status}: asks the node's own dispatcher for GET_NODE_STATUS, as {@code rns status} does over the native
 * port, and prints the answer (header and body) as JSON with protobuf's canonical mapping, so the two never disagree.
 */
public final class StatusJson implements Supplier<String> {
    private static final long TIMEOUT_MS = 2000;
    private final RequestHandler dispatcher;
    private final long connectionId;

    /** @param connectionId the id this source uses as its "connection" (from the node's ingress id source) */
    public StatusJson(RequestHandler dispatcher, long connectionId) {
        this.dispatcher = dispatcher;
        this.connectionId = connectionId;
    }

    @Override
    public String get() {
        RequestEnvelope req = RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance())
                .build();
        try {
            ResponseEnvelope resp = dispatcher.handle(req, context()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return JsonFormat.printer().print(resp) + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for the node status", e);
        } catch (ExecutionException | TimeoutException | InvalidProtocolBufferException e) {
            throw new IllegalStateException("node status not available: " + e, e);
        }
    }

    private InboundContext context() {
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
                return now + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
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
