package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * Drops packets in one direction only. Planned: a random ordered pair; with {@link #fromLeader()} the source is the
 * leader at start time and the destination a random other node. (Over TCP a one-way drop stalls the connection
 * both ways, but each side's new connection attempts behave differently.) Stop heals.
 */
public final class OneWayDrop extends AbstractNemesis {
    private final boolean fromLeader;
    private String from;
    private String to;
    private Random random;

    public OneWayDrop() {
        this(false);
    }

    private OneWayDrop(boolean fromLeader) {
        super(fromLeader ? "one-way-drop-leader" : "one-way-drop");
        this.fromLeader = fromLeader;
    }

    public static OneWayDrop fromLeader() {
        return new OneWayDrop(true);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        List<String> s = shuffled(hostIds, random);
        from = s.get(0);
        to = s.get(1 % s.size());
        this.random = new Random(random.nextLong());
        return fromLeader ? "leader -> random (else " + from + " -> " + to + ")" : from + " -> " + to;
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        String f = from;
        String t = to;
        if (fromLeader) {
            var l = view.leader();
            if (l.isPresent()) {
                f = l.get();
                List<String> others = hosts.ids().stream().filter(x -> !x.equals(l.get())).toList();
                t = pick(others, random);
            }
        }
        hosts.dropOneWay(f, t);
        detail = f + " -> " + t + " dropped";
    }

    @Override
    public void stop(Hosts hosts) {
        hosts.heal();
    }
}
