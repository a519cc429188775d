package io.rns.rpc.transport;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The transport counts the PERMISSION_DENIED answers it writes (rns_rpc_permission_denied_total{port}). */
class RefusalCountTest {
    @Test
    void permissionDeniedAnswersAreCounted() {
        try (RpcServer s = RpcServer.start(RpcServerOptions.defaults(), (req,
                ctx) -> CompletableFuture.completedFuture(ResponseEnvelope.newBuilder().setRequestId(req.getRequestId())
                        .setHeader(ResponseHeader.newBuilder().setCode(
                                req.getKvGet().getKey().equals("no") ? ErrorCode.PERMISSION_DENIED : ErrorCode.OK))
                        .build()));
                RpcClient c = new RpcClient(RpcClientOptions.defaults())) {
            String ep = Endpoints.format(s.localAddress());
            for (String key : new String[]{"no", "yes", "no"}) {
                c.call(ep, RequestEnvelope.newBuilder()
                        .setKvGet(KvGetRequest.newBuilder().setNamespace("n").setKey(key)).build(),
                        Duration.ofSeconds(5)).join();
            }
            assertEquals(2, s.stats().permissionDenied());
            assertEquals(3, s.stats().requests());
        }
    }
}
