package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;
import io.rns.chaos.hosts.Hosts;

/**
 * A fault on one node's process (kill -9, SIGSTOP) that {@code stop} undoes on that same node (start it again,
 * SIGCONT). The detail says what was done to whom, then what undid it.
 */
public abstract class ProcessFault extends LeaderNemesis {
    private volatile String hit;

    protected ProcessFault(String name, boolean leader) {
        super(name, leader);
    }

    @Override
    protected final String startOn(Hosts hosts, Target t) {
        String what = inflict(hosts.host(t.id()));
        hit = t.id();
        return what + " " + t.id() + t.how();
    }

    @Override
    public final void stop(Hosts hosts) {
        String t = hit;
        if (t != null) {
            String what = undo(hosts.host(t));
            hit = null;
            detail = detail + "; " + what + " " + t;
        }
    }

    /** Does the fault to {@code host}; returns its name for the detail (e.g. "kill -9"). */
    protected abstract String inflict(Host host);

    /** Undoes it on the same host; returns what was done (e.g. "restarted"). */
    protected abstract String undo(Host host);
}
