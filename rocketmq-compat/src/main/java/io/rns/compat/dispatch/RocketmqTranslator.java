package io.rns.compat.dispatch;

import io.rns.compat.handler.Answers;
import io.rns.compat.handler.NativeCaller;
import io.rns.compat.handler.ReadLevel;
import io.rns.namesrv.auth.Permission;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * RocketMQ request codes onto native requests and back. Every code is answered: the codes in {@link ServedCodes}
 * by their handler with stock semantics, any other with 3 REQUEST_CODE_NOT_SUPPORTED. Native errors map as
 * described in {@link io.rns.compat.handler.NativeErrors}.
 */
public final class RocketmqTranslator {
    private final Map<Integer, ServedCode> served;
    private final ReadLevel readLevel;

    /** {@code nativeCall} is the node's native dispatcher, called with the RocketMQ channel as inbound context. */
    public RocketmqTranslator(NamesrvConfig config, NativeCaller.NativeCall nativeCall) {
        this.served = ServedCodes.table(config, new NativeCaller(config, nativeCall));
        this.readLevel = new ReadLevel(config);
    }

    /**
     * Whether {@code req} is answered at once from the node's memory, with nothing to wait for: a route read (105) at
     * STALE, asked for or the node's default. The ingress runs it on the event loop that decoded it; a bad level is
     * not picked (its refusal takes the normal path).
     */
    public boolean answersAtOnce(RemotingCommand req) {
        if (req.getCode() != RequestCode.GET_ROUTEINFO_BY_TOPIC) {
            return false;
        }
        try {
            return readLevel.of(req).getConsistency() == Consistency.STALE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Which executor runs {@code code} (UNSUPPORTED: none, it is answered at once). */
    public RequestKind kindOf(int code) {
        ServedCode s = served.get(code);
        return s == null ? RequestKind.UNSUPPORTED : s.kind();
    }

    /** The permission a caller needs for {@code code} (auth.enabled); null for a code not served. */
    public Permission permissionOf(int code) {
        ServedCode s = served.get(code);
        return s == null ? null : s.permission();
    }

    /** The answer to {@code req}; a bad header or body throws or fails the future (see {@link Answers#failure}). */
    public CompletableFuture<RemotingCommand> handle(RemotingCommand req, InboundContext ctx) throws Exception {
        ServedCode s = served.get(req.getCode());
        if (s == null) {
            return CompletableFuture.completedFuture(Answers.notSupported(req.getCode()));
        }
        return s.handler().handle(req, ctx);
    }
}
