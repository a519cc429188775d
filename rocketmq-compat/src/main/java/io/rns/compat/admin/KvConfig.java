package io.rns.compat.admin;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvPutRequest;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.namesrv.DeleteKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVListByNamespaceRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.PutKVConfigRequestHeader;

import java.util.concurrent.CompletableFuture;

/**
 * The KV config codes onto the native KV requests: 100 PUT_KV_CONFIG, 101 GET_KV_CONFIG, 102 DELETE_KV_CONFIG and 219
 * GET_KVLIST_BY_NAMESPACE (the reads at the request's read level; a missing key or namespace is 22 with the stock
 * remark).
 */
public record KvConfig(NativeCaller natives) {
    /** 100. */
    public CompletableFuture<RemotingCommand> put(RemotingCommand req, InboundContext ctx) throws Exception {
        PutKVConfigRequestHeader h = Headers.decode(req, PutKVConfigRequestHeader.class);
        return natives.write(natives.envelope(ctx).setKvPut(
                KvPutRequest.newBuilder().setNamespace(h.getNamespace()).setKey(h.getKey()).setValue(h.getValue())),
                ctx);
    }

    /** 101: the value as ext field {@code value}. */
    public CompletableFuture<RemotingCommand> get(RemotingCommand req, InboundContext ctx) throws Exception {
        GetKVConfigRequestHeader h = Headers.decode(req, GetKVConfigRequestHeader.class);
        return natives
                .read(req, ctx,
                        e -> e.setKvGet(KvGetRequest.newBuilder().setNamespace(h.getNamespace()).setKey(h.getKey())))
                .thenApply(r -> {
                    if (r.getHeader().getCode() == ErrorCode.KEY_NOT_FOUND) {
                        return RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND,
                                "No config item, Namespace: " + h.getNamespace() + " Key: " + h.getKey());
                    }
                    return Answers.okOrError(r, ok -> {
                        RemotingCommand out = Answers.ok();
                        out.addExtField("value", ok.getKvGet().getValue());
                        return out;
                    });
                });
    }

    /** 102. */
    public CompletableFuture<RemotingCommand> delete(RemotingCommand req, InboundContext ctx) throws Exception {
        DeleteKVConfigRequestHeader h = Headers.decode(req, DeleteKVConfigRequestHeader.class);
        return natives.write(natives.envelope(ctx)
                .setKvDelete(KvDeleteRequest.newBuilder().setNamespace(h.getNamespace()).setKey(h.getKey())), ctx);
    }

    /** 219: the namespace as a KVTable body; an empty namespace is 22 too. */
    public CompletableFuture<RemotingCommand> list(RemotingCommand req, InboundContext ctx) throws Exception {
        GetKVListByNamespaceRequestHeader h = Headers.decode(req, GetKVListByNamespaceRequestHeader.class);
        return natives.read(req, ctx, e -> e.setKvList(KvListRequest.newBuilder().setNamespace(h.getNamespace())))
                .thenApply(r -> {
                    if (r.getHeader().getCode() == ErrorCode.KEY_NOT_FOUND
                            || (r.getHeader().getCode() == ErrorCode.OK && r.getKvList().getEntriesCount() == 0)) {
                        return RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND,
                                "No config item, Namespace: " + h.getNamespace());
                    }
                    return Answers.okOrError(r, ok -> Answers.ok(Answers.kvTable(ok.getKvList().getEntriesMap())));
                });
    }
}
