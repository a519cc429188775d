package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * SIGSTOP of the current leader (a planned random node if none is seen); stop sends SIGCONT. The fault window must
 * be longer than the election timeout for the others to elect a new leader meanwhile.
 */
public final class PauseLeader extends AbstractNemesis {
    private String fallback;
    private volatile String paused;

    public PauseLeader() {
        super("pause-leader");
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        fallback = pick(hostIds, random);
        return "leader (else " + fallback + ")";
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        var l = view.leader();
        String t = l.orElse(fallback);
        hosts.host(t).pause();
        paused = t;
        detail = "SIGSTOP " + t + (l.isPresent() ? " (leader)" : " (no leader seen: planned fallback)");
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
