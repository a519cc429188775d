package io.rns.rpc.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Polling for a condition in tests. */
public final class Await {
    private Await() {
    }

    /** Waits up to 10 s for {@code cond}, polling every 5 ms; fails the test naming {@code what} otherwise. */
    public static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                fail("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }
}
