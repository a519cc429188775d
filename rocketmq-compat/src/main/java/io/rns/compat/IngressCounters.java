package io.rns.compat;

import io.rns.rpc.transport.RpcServer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The RocketMQ port's connections, requests and refusals, shared by the listener and the processor. */
final class IngressCounters {
    final LongAdder accepted = new LongAdder();
    final AtomicInteger open = new AtomicInteger();
    final LongAdder requests = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();

    /** In the native port's shape: SYSTEM_BUSY answers count as overloaded, failed requests as internal errors. */
    RpcServer.Stats snapshot() {
        return new RpcServer.Stats(accepted.sum(), open.get(), requests.sum(), busy.sum(), 0, failed.sum(),
                protocolErrors.sum(), 0, inFlight.get(), 0, 0);
    }
}
