package io.rns.compat;

import io.rns.rpc.transport.ConnectionLimiter;
import io.rns.rpc.transport.ConnectionLimits;
import io.rns.rpc.transport.RpcServer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The RocketMQ port's connections, requests and refusals, shared by the listener and the processor. */
final class IngressCounters {
    final LongAdder accepted = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    /** Requests refused 16 NO_PERMISSION by auth. */
    final LongAdder unauthorized = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    final ConnectionLimiter limiter;

    IngressCounters(ConnectionLimits limits) {
        this.limiter = new ConnectionLimiter(limits);
    }

    /**
     * In the native port's shape: SYSTEM_BUSY answers (a full queue, too many in flight on a connection) count as
     * overloaded, failed requests as internal errors, connections over the limits as refused.
     */
    RpcServer.Stats snapshot() {
        return new RpcServer.Stats(accepted.sum(), limiter.open(), requests.sum(), busy.sum(), 0, failed.sum(),
                protocolErrors.sum(), 0, inFlight.get(), 0, 0, limiter.refused(), unauthorized.sum());
    }
}
