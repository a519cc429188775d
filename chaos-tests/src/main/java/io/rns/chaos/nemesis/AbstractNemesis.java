package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Base of the built-in nemeses: remembers the plan, plans lazily if {@code start} comes first. */
public abstract class AbstractNemesis implements Nemesis {
    private final String name;
    private boolean planned;
    protected volatile String detail = "";

    protected AbstractNemesis(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final synchronized String plan(List<String> hostIds, Random random) {
        planned = true;
        return doPlan(List.copyOf(hostIds), random);
    }

    /** Chooses and remembers targets; returns them as text. */
    protected abstract String doPlan(List<String> hostIds, Random random);

    protected final synchronized void ensurePlanned(Hosts hosts) {
        if (!planned) {
            plan(hosts.ids(), new Random());
        }
    }

    @Override
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return name;
    }

    protected static List<String> shuffled(List<String> ids, Random random) {
        List<String> l = new ArrayList<>(ids);
        Collections.shuffle(l, random);
        return l;
    }

    protected static String pick(List<String> ids, Random random) {
        return ids.get(random.nextInt(ids.size()));
    }
}
