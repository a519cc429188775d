package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Host;

/**
 * SIGSTOP of the current leader (a planned random node if none is seen); stop sends SIGCONT. The fault window must
 * be longer than the election timeout for the others to elect a new leader meanwhile.
 */
public final class PauseLeader extends ProcessFault {
    public PauseLeader() {
        super("pause-leader", true);
    }

    @Override
    protected String inflict(Host host) {
        host.pause();
        return "SIGSTOP";
    }

    @Override
    protected String undo(Host host) {
        host.resume();
        return "SIGCONT";
    }
}
