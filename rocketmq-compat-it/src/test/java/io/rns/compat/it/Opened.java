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

    /** Closes everything, last added first, and says where the logs and data of the scenario stay. */
    void closeAll(ScenarioEnv it) throws Exception {
        for (int i = items.size() - 1; i >= 0; i--) {
            items.get(i).close();
        }
        items.clear();
        if (it != null) { // null: the scenario failed before it had a work directory
            ScenarioEnv.log("logs and data stay in %s", it.workDir);
        }
    }
}
