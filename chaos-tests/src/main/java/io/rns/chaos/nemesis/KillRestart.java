package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;

/**
 * kill -9 of one node (a random one, or with {@link #leader()} the current leader); stop starts it again on the
 * same data dir and config.
 */
public final class KillRestart extends ProcessFault {
    public KillRestart() {
        this("kill-restart", false);
    }

    private KillRestart(String name, boolean leader) {
        super(name, leader);
    }

    public static KillRestart leader() {
        return new KillRestart("kill-leader", true);
    }

    @Override
    protected String inflict(Host host) {
        host.kill9();
        return "kill -9";
    }

    @Override
    protected String undo(Host host) {
        host.start();
        return "restarted";
    }
}
