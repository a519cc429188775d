package io.rns.namesrv;

import io.rns.rpc.transport.InboundContext;

import java.util.concurrent.TimeUnit;

/** Request contexts for tests that call the dispatcher directly: an open connection, a 5 s deadline. */
public final class TestContexts {
    private TestContexts() {
    }

    /** A request that arrived now from {@code remote} ({@code ip:port}) on connection 1. */
    public static InboundContext from(String remote) {
        long arrival = System.nanoTime();
        return new InboundContext() {
            public String remoteAddress() {
                return remote;
            }

            public long connectionId() {
                return 1;
            }

            public long deadlineNanos() {
                return arrival + TimeUnit.SECONDS.toNanos(5);
            }

            public boolean isConnectionOpen() {
                return true;
            }

            public long arrivalNanos() {
                return arrival;
            }

            public void onConnectionClose(Runnable r) {
            }
        };
    }
}
