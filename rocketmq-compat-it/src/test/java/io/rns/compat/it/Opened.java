package io.rns.compat.it;

import java.util.ArrayList;
import java.util.List;

/** What a test class started (NameServers, brokers, clients), closed last first when the class is done. */
final class Opened {
    private final List<AutoCloseable> items = new ArrayList<>();

    /** Adds something to close; returns it. */
    <T extends AutoCloseable> T add(T item) {
        items.add(item);
        return item;
    }

    /**
     * Closes everything, last added first, and says where the logs and data of the scenario stay. One that fails to
     * close does not keep the others open: the first failure is thrown once all were tried, later ones suppressed.
     */
    void closeAll(ScenarioEnv it) throws Exception {
        Exception failed = null;
        for (int i = items.size() - 1; i >= 0; i--) {
            try {
                items.get(i).close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        items.clear();
        if (it != null) { // null: the scenario failed before it had a work directory
            ScenarioEnv.log("logs and data stay in %s", it.workDir);
        }
        if (failed != null) {
            throw failed;
        }
    }
}
