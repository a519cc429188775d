package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * kill -9 of one node (a random one, or with {@link #leader()} the current leader); stop starts it again on the
 * same data dir and config.
 */
public final class KillRestart extends AbstractNemesis {
    private final boolean leader;
    private String planned;
    private volatile String killed;

    public KillRestart() {
        this(false);
    }

    private KillRestart(boolean leader) {
        super(leader ? "kill-leader" : "kill-restart");
        this.leader = leader;
    }

    public static KillRestart leader() {
        return new KillRestart(true);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        planned = pick(hostIds, random);
        return leader ? "leader (else " + planned + ")" : planned;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        String t = planned;
        String how = "";
        if (leader) {
            LeaderNemesis.Target target = LeaderNemesis.Target.of(view, planned);
            t = target.id();
            how = target.how();
        }
        hosts.host(t).kill9();
        killed = t;
        detail = "kill -9 " + t + how;
    }

    @Override
    public void stop(Hosts hosts) {
        String t = killed;
        if (t != null) {
            hosts.host(t).start();
            killed = null;
            detail = detail + "; restarted " + t;
        }
    }
}
