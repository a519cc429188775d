package io.rns.bench.scenario;

import java.util.List;

/** Best-effort cleanup of what a scenario opened itself (bench-side clients, its own pools). */
final class Cleanup {
    private Cleanup() {
    }

    /** Closes each in order; a failure to close one does not stop the others. */
    static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
