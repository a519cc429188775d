package io.rns.compat.register;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.Fetched;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.compat.handler.NativeErrors;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetBrokerRequest;
import io.rns.rpc.v1.GetBrokerResponse;
import io.rns.rpc.v1.HeartbeatRequest;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.header.namesrv.BrokerHeartbeatRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.QueryDataVersionRequestHeader;

import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * 322 QUERY_DATA_VERSION and 904 BROKER_HEARTBEAT: both find the broker the request names (the id from the group's
 * address table when the header has none), look it up in the route table and refresh its lease if it is there.
 */
public record BrokerLiveness(NativeCaller natives) {
    /**
     * 322: changed = the broker's data version differs from the stored one (or the broker is unknown, so that it
     * re-registers); body = the stored data version (none if unknown); a known broker's lease is refreshed. RNS
     * stores timestamp and counter of a data version, not stateVersion: only those two are compared.
     */
    public CompletableFuture<RemotingCommand> queryDataVersion(RemotingCommand req, InboundContext ctx)
            throws Exception {
        QueryDataVersionRequestHeader h = Headers.decode(req, QueryDataVersionRequestHeader.class);
        DataVersion asked = req.getBody() == null || req.getBody().length == 0 ? null
                : DataVersion.decode(req.getBody(), DataVersion.class);
        return refresh(req, ctx,
                new BrokerKey(h.getClusterName(), h.getBrokerName(), h.getBrokerAddr(), h.getBrokerId()),
                known -> dataVersionAnswer(asked, known));
    }

    static RemotingCommand dataVersionAnswer(DataVersion asked, GetBrokerResponse known) {
        boolean changed = known == null || asked == null
                || asked.getTimestamp() != known.getDataVersion().getTimestamp() || asked.getCounter() == null
                || asked.getCounter().get() != known.getDataVersion().getCounter();
        RemotingCommand out = Answers.ok();
        out.addExtField("changed", Boolean.toString(changed));
        if (known != null) {
            DataVersion stored = new DataVersion();
            stored.setTimestamp(known.getDataVersion().getTimestamp());
            stored.setCounter(new AtomicLong(known.getDataVersion().getCounter()));
            out.setBody(stored.encode());
        }
        return out;
    }

    /**
     * 904 (5.x): refreshes a registered broker's lease; an unknown broker is answered 0 like stock (which only
     * touches an existing live entry).
     */
    public CompletableFuture<RemotingCommand> heartbeat(RemotingCommand req, InboundContext ctx) throws Exception {
        BrokerHeartbeatRequestHeader h = Headers.decode(req, BrokerHeartbeatRequestHeader.class);
        return refresh(req, ctx,
                new BrokerKey(h.getClusterName(), h.getBrokerName(), h.getBrokerAddr(), h.getBrokerId()),
                known -> Answers.ok());
    }

    /**
     * Refreshes the lease of the broker the request names, if the route table holds it under that cluster and
     * address, and answers {@code answer.apply(broker)}; an unknown broker is answered {@code answer.apply(null)}
     * with nothing refreshed. A native failure on the way is the answer.
     */
    private CompletableFuture<RemotingCommand> refresh(RemotingCommand req, InboundContext ctx, BrokerKey key,
            Function<GetBrokerResponse, RemotingCommand> answer) {
        return resolveId(req, ctx, key).thenCompose(id -> {
            if (id.isFailed()) {
                return CompletableFuture.completedFuture(id.error());
            }
            if (id.value() < 0) {
                return CompletableFuture.completedFuture(answer.apply(null));
            }
            return lookup(req, ctx, key.clusterName(), key.brokerName(), id.value(), key.brokerAddr())
                    .thenCompose(k -> {
                        if (k.isFailed()) {
                            return CompletableFuture.completedFuture(k.error());
                        }
                        RemotingCommand out = answer.apply(k.value());
                        if (k.value() == null) {
                            return CompletableFuture.completedFuture(out);
                        }
                        return nativeHeartbeat(k.value(), ctx, out);
                    });
        });
    }

    /** The broker a QUERY_DATA_VERSION or BROKER_HEARTBEAT names (brokerId may be absent). */
    private record BrokerKey(String clusterName, String brokerName, String brokerAddr, Long brokerId) {
    }

    /**
     * The broker id: the header's, else the id under which the group's address table holds the address (-1 if none;
     * failed on a native failure).
     */
    private CompletableFuture<Fetched<Long>> resolveId(RemotingCommand req, InboundContext ctx, BrokerKey key) {
        if (key.brokerId() != null) {
            return CompletableFuture.completedFuture(Fetched.of(key.brokerId()));
        }
        return natives.clusterInfo(req, ctx).thenApply(c -> {
            if (c.isFailed()) {
                return Fetched.failed(c.error());
            }
            BrokerData b = c.value().getBrokerAddrTableMap().get(key.brokerName());
            if (b != null) {
                for (var e : new TreeMap<>(b.getBrokerAddrsMap()).entrySet()) {
                    if (e.getValue().equals(key.brokerAddr())) {
                        return Fetched.of(e.getKey());
                    }
                }
            }
            return Fetched.of(-1L);
        });
    }

    /**
     * Native GetBroker (at the request's read level) for name + id, kept only if cluster and address match (stock
     * keys its live table by cluster + address): a null value if the broker is not registered with that cluster and
     * address; failed on a native failure other than UNKNOWN_BROKER.
     */
    private CompletableFuture<Fetched<GetBrokerResponse>> lookup(RemotingCommand req, InboundContext ctx,
            String cluster, String name, long id, String addr) {
        return natives
                .send(natives.brokerEnvelope(ctx).setRead(natives.readOptions(req))
                        .setGetBroker(GetBrokerRequest.newBuilder().setBrokerName(name).setBrokerId(id)).build(), ctx)
                .thenApply(r -> {
                    ErrorCode code = r.getHeader().getCode();
                    if (code == ErrorCode.UNKNOWN_BROKER) {
                        return Fetched.of(null);
                    }
                    if (code != ErrorCode.OK) {
                        return Fetched.failed(NativeErrors.answer(r.getHeader()));
                    }
                    GetBrokerResponse b = r.getGetBroker();
                    return Fetched.of(b.getCluster().equals(cluster) && b.getBrokerAddr().equals(addr) ? b : null);
                });
    }

    /**
     * A native heartbeat for the broker at the epoch just read. STALE_BROKER_EPOCH (it re-registered in between)
     * and UNKNOWN_BROKER (it left in between) are no failure for the RocketMQ caller: stock refreshes whatever
     * live entry exists and answers 0 either way (here: {@code answer}). Any other native error is the answer.
     */
    private CompletableFuture<RemotingCommand> nativeHeartbeat(GetBrokerResponse b, InboundContext ctx,
            RemotingCommand answer) {
        return natives
                .send(natives.brokerEnvelope(ctx).setHeartbeat(HeartbeatRequest.newBuilder().setCluster(b.getCluster())
                        .setBrokerName(b.getBrokerName()).setBrokerId(b.getBrokerId()).setBrokerAddr(b.getBrokerAddr())
                        .setBrokerEpoch(b.getBrokerEpoch()).setBindConnection(true)).build(), ctx)
                .thenApply(r -> switch (r.getHeader().getCode()) {
                    case OK, STALE_BROKER_EPOCH, UNKNOWN_BROKER -> answer;
                    default -> NativeErrors.answer(r.getHeader());
                });
    }
}
