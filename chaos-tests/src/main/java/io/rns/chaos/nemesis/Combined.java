package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * Two nemeses as one fault window: {@code start} starts the first, then the second; {@code stop} stops the second,
 * then the first (both are attempted; the first failure is rethrown). Used to put every window of a scenario under a
 * background fault, e.g. a clock offset while the leader is paused or isolated.
 */
public final class Combined extends AbstractNemesis {
    private final Nemesis first;
    private final Nemesis second;

    public Combined(Nemesis first, Nemesis second) {
        super(first.name() + "+" + second.name());
        this.first = first;
        this.second = second;
    }

    public List<Nemesis> parts() {
        return List.of(first, second);
    }

    @Override
    protected String doPlan(List<String> hostIds, Random random) {
        return first.plan(hostIds, random) + " | " + second.plan(hostIds, random);
    }

    @Override
    public void start(Hosts hosts, ClusterView view) {
        ensurePlanned(hosts);
        first.start(hosts, view);
        second.start(hosts, view);
        detail = first.detail() + " + " + second.detail();
    }

    @Override
    public void stop(Hosts hosts) {
        RuntimeException failure = null;
        for (Nemesis n : List.of(second, first)) {
            try {
                n.stop(hosts);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        detail = first.detail() + " + " + second.detail();
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether {@code n} is, or contains, a nemesis of {@code type}. */
    public static boolean uses(Nemesis n, Class<? extends Nemesis> type) {
        if (type.isInstance(n)) {
            return true;
        }
        return n instanceof Combined c && c.parts().stream().anyMatch(p -> uses(p, type));
    }
}
