package io.rns.compat.register;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.Headers;
import io.rns.compat.handler.NativeCaller;
import io.rns.compat.handler.NativeErrors;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import org.apache.rocketmq.common.namesrv.NamesrvUtil;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.UnRegisterBrokerRequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import static io.rns.rpc.transport.LogText.printable;

/** 103 REGISTER_BROKER and 104 UNREGISTER_BROKER onto native registrations bound to the broker's connection. */
public final class BrokerRegistration {
    private static final Logger log = LoggerFactory.getLogger(BrokerRegistration.class);
    /** 32 MiB: the last body of ~1,800 brokers of 100 topics each. */
    static final long RECENT_BODIES_BUDGET_BYTES = 32L << 20;
    private final RegisterBodies bodies;
    private final NativeCaller natives;
    /** The last body of each broker and its parse: an unchanged re-registration is not decoded again. */
    private final RecentBodies recent = new RecentBodies(RECENT_BODIES_BUDGET_BYTES);

    public BrokerRegistration(NamesrvConfig config, NativeCaller natives) {
        this.bodies = new RegisterBodies(config);
        this.natives = natives;
    }

    /**
     * 103: the broker's topics and data version become a native registration bound to its connection; the answer
     * carries master and HA address (for a slave) and, unless oneway, the ORDER_TOPIC_CONFIG namespace like stock.
     */
    public CompletableFuture<RemotingCommand> register(RemotingCommand req, InboundContext ctx) throws Exception {
        RegisterBrokerRequestHeader h = Headers.decode(req, RegisterBrokerRequestHeader.class);
        byte[] body = req.getBody();
        if (h.getBodyCrc32() != null && h.getBodyCrc32() != 0 && body != null
                && RegisterBodies.crc32(body) != h.getBodyCrc32()) {
            return refused(h, ctx, "crc32 not match");
        }
        String broker = h.getBrokerAddr() == null ? "" : h.getBrokerAddr();
        RegisterBrokerRequest part = recent.lookup(broker, body, h.isCompressed(), req.getVersion());
        if (part == null) {
            try {
                part = RegisterBodies.bodyPart(bodies.parse(body, h.isCompressed(), req.getVersion()));
            } catch (IOException | RuntimeException e) {
                return refused(h, ctx, "cannot parse the REGISTER_BROKER body (compressed=" + h.isCompressed()
                        + ", version=" + req.getVersion() + "): " + e);
            }
            recent.remember(broker, body, h.isCompressed(), req.getVersion(), part);
        }
        RegisterBrokerRequest r = bodies.toNative(h, part, ctx.connectionOpenedAtIndex());
        ReadOptions read = natives.readOptions(req);
        return natives.send(natives.brokerEnvelope(ctx).setRegisterBroker(r).build(), ctx).thenCompose(resp -> {
            if (resp.getHeader().getCode() != ErrorCode.OK) {
                return CompletableFuture.completedFuture(NativeErrors.answer(resp.getHeader()));
            }
            RemotingCommand out = registered(resp.getRegisterBroker());
            if (req.isOnewayRPC()) {
                return CompletableFuture.completedFuture(out);
            }
            return withOrderTopicConfig(out, afterRegistration(read, resp.getHeader().getAppliedIndex()), ctx);
        });
    }

    /** A registration refused before it became a native request; refusals after that are logged where served. */
    private static CompletableFuture<RemotingCommand> refused(RegisterBrokerRequestHeader h, InboundContext ctx,
            String why) {
        log.warn("RocketMQ ingress: refused REGISTER_BROKER of broker '{}'/{} (cluster '{}', {}) from {}: {}",
                printable(h.getBrokerName()), h.getBrokerId(), printable(h.getClusterName()),
                printable(h.getBrokerAddr()), ctx.remoteAddress(), printable(why));
        return CompletableFuture.completedFuture(RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, why));
    }

    private static RemotingCommand registered(RegisterBrokerResponse r) {
        RemotingCommand out = Answers.ok();
        if (!r.getMasterAddr().isEmpty()) {
            out.addExtField("masterAddr", r.getMasterAddr());
        }
        if (!r.getHaServerAddr().isEmpty()) {
            out.addExtField("haServerAddr", r.getHaServerAddr());
        }
        return out;
    }

    /**
     * The level of the ORDER_TOPIC_CONFIG read that completes a registration. Stock answers the namespace as part of
     * the registration, so the two are one operation, linearizable at the registration's answer: the leader answered
     * it at its applied index {@code answeredAt}, which holds every write acknowledged before. A LINEARIZABLE or
     * LEASE read would pay a second read barrier for nothing; SEQUENTIAL at that index reads the same state (on the
     * leader at once, on a follower once it has applied the index). An explicit STALE or SEQUENTIAL is kept.
     */
    public static ReadOptions afterRegistration(ReadOptions asked, long answeredAt) {
        Consistency c = asked.getConsistency();
        if ((c != Consistency.LINEARIZABLE && c != Consistency.LEASE) || answeredAt <= 0) {
            return asked;
        }
        return ReadOptions.newBuilder().setConsistency(Consistency.SEQUENTIAL).setMinIndex(answeredAt).build();
    }

    /** Stock returns the ORDER_TOPIC_CONFIG namespace (if any) to the broker as the body. */
    private CompletableFuture<RemotingCommand> withOrderTopicConfig(RemotingCommand out, ReadOptions read,
            InboundContext ctx) {
        return natives.send(natives.brokerEnvelope(ctx).setRead(read)
                .setKvList(KvListRequest.newBuilder().setNamespace(NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG)).build(),
                ctx).thenApply(kv -> {
                    if (kv.getHeader().getCode() == ErrorCode.OK && kv.getKvList().getEntriesCount() > 0) {
                        out.setBody(Answers.kvTable(kv.getKvList().getEntriesMap()));
                    }
                    return out;
                });
    }

    /** 104: a native unregistration; an already absent broker is answered 0 like stock. */
    public CompletableFuture<RemotingCommand> unregister(RemotingCommand req, InboundContext ctx) throws Exception {
        UnRegisterBrokerRequestHeader h = Headers.decode(req, UnRegisterBrokerRequestHeader.class);
        return natives
                .send(natives.envelope(ctx)
                        .setUnregisterBroker(UnregisterBrokerRequest.newBuilder().setCluster(h.getClusterName())
                                .setBrokerName(h.getBrokerName()).setBrokerId(h.getBrokerId())
                                .setBrokerAddr(h.getBrokerAddr()))
                        .build(), ctx)
                // a broker unregisters from every listed node in turn: the first removes it cluster-wide, and stock
                // answers the others 0 too (removing an absent broker is a no-op there)
                .thenApply(r -> r.getHeader().getCode() == ErrorCode.OK
                        || r.getHeader().getCode() == ErrorCode.UNKNOWN_BROKER ? Answers.ok()
                                : NativeErrors.answer(r.getHeader()));
    }
}
