package io.rns.namesrv.liveness;

import io.rns.rpc.transport.InboundContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * On each node: which broker epochs registered or heartbeated over which client connection (only requests that set
 * bind_connection and arrived directly, not forwarded). When such a connection closes, every broker bound to it is
 * reported once to {@code onClosed} — which makes it a suspect on the leader, never removes it by itself.
 */
public final class ConnectionRegistry {
    private final Map<Long, Map<BrokerKey, Long>> byConnection = new ConcurrentHashMap<>();
    private final BiConsumer<BrokerKey, Long> onClosed;

    public ConnectionRegistry(BiConsumer<BrokerKey, Long> onClosed) {
        this.onClosed = onClosed;
    }

    public void bind(InboundContext ctx, BrokerKey key, long epoch) {
        long id = ctx.connectionId();
        boolean[] fresh = {false};
        byConnection.compute(id, (k, m) -> {
            if (m == null) {
                m = new ConcurrentHashMap<>();
                fresh[0] = true;
            }
            m.put(key, epoch);
            return m;
        });
        if (fresh[0]) {
            ctx.onConnectionClose(() -> {
                Map<BrokerKey, Long> bound = byConnection.remove(id);
                if (bound != null) {
                    bound.forEach(onClosed);
                }
            });
        }
    }

    public int connections() {
        return byConnection.size();
    }

    /** Open connections of this node that the broker (any epoch) registered or heartbeated on. */
    public int open(BrokerKey key) {
        int n = 0;
        for (Map<BrokerKey, Long> bound : byConnection.values()) {
            if (bound.containsKey(key)) {
                n++;
            }
        }
        return n;
    }

    /** Another node reports that one of its bound connections of the broker closed: handled as one closing here. */
    public void closedElsewhere(BrokerKey key, long epoch) {
        onClosed.accept(key, epoch);
    }
}
