package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

/**
 * SIGSTOP of the current leader (a planned random node if none is seen); stop sends SIGCONT. The fault window must
 * be longer than the election timeout for the others to elect a new leader meanwhile.
 */
public final class PauseLeader extends LeaderNemesis {
    private volatile String paused;

    public PauseLeader() {
        super("pause-leader");
    }

    @Override
    protected String startOn(Hosts hosts, Target t) {
        hosts.host(t.id()).pause();
        paused = t.id();
        return "SIGSTOP " + t.id() + t.how();
    }

    @Override
    public void stop(Hosts hosts) {
        String t = paused;
        if (t != null) {
            hosts.host(t).resume();
            paused = null;
            detail = detail + "; SIGCONT " + t;
        }
    }
}
