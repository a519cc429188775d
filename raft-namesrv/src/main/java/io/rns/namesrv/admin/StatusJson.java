package io.rns.namesrv.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.GetNodeStatusRequest;
import io.rns.rpc.v1.RequestEnvelope;

import java.util.function.Supplier;

/**
 * {@code /status}: asks the node's own dispatcher for GET_NODE_STATUS, as {@code rns status} does over the native
 * port, and prints the answer (header and body) as JSON with protobuf's canonical mapping, so the two never disagree.
 */
public final class StatusJson implements Supplier<String> {
    private static final long TIMEOUT_MS = 2000;
    private final LocalCalls calls;

    /** @param connectionId the id this source uses as its "connection" (from the node's ingress id source) */
    public StatusJson(RequestHandler dispatcher, long connectionId) {
        this.calls = new LocalCalls(dispatcher, connectionId);
    }

    @Override
    public String get() {
        try {
            return JsonFormat.printer()
                    .print(calls.call(
                            RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance()),
                            TIMEOUT_MS))
                    + "\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("node status not printable: " + e, e);
        }
    }
}
