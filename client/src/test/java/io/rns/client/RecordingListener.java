package io.rns.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records a registrar's listener callbacks as strings; subclasses add the re-registration callback they watch (the
 * cluster's, or the per-node one of leaderless mode).
 */
abstract class RecordingListener implements BrokerRegistrar.Listener {
    final List<String> all = new CopyOnWriteArrayList<>();

    @Override
    public void registered(long epoch) {
        all.add("registered " + epoch);
    }

    @Override
    public void heartbeatFailed(NamesrvException e) {
        all.add("heartbeatFailed " + e.codeName());
    }

    @Override
    public void closed() {
        all.add("closed");
    }
}
