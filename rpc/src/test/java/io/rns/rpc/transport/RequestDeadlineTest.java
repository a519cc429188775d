package io.rns.rpc.transport;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** timeout_ms is a uint32 a client chooses: read unsigned, 0 = default, never above the cap. */
class RequestDeadlineTest {
    private static final long DEFAULT = TimeUnit.SECONDS.toNanos(3);

    @Test
    void zeroMeansTheServerDefault() {
        assertEquals(DEFAULT, RpcServer.deadlineNanos(0, DEFAULT));
    }

    @Test
    void anOrdinaryTimeoutIsTakenAsIs() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), RpcServer.deadlineNanos(1500, DEFAULT));
    }

    @Test
    void hugeAndSignBitTimeoutsAreCutToTheCap() {
        long cap = TimeUnit.MILLISECONDS.toNanos(RpcServer.MAX_REQUEST_TIMEOUT_MS);
        assertEquals(cap, RpcServer.deadlineNanos(-1, DEFAULT), "2^32-1 ms read unsigned, then capped");
        assertEquals(cap, RpcServer.deadlineNanos(Integer.MIN_VALUE, DEFAULT), "2^31 ms: not negative");
        assertEquals(cap, RpcServer.deadlineNanos(Integer.MAX_VALUE, DEFAULT));
        assertEquals(cap, RpcServer.deadlineNanos((int) RpcServer.MAX_REQUEST_TIMEOUT_MS + 1, DEFAULT));
    }
}
