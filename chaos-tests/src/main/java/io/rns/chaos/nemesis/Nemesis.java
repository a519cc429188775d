package io.rns.chaos.nemesis;

import io.rns.chaos.hosts.Hosts;

import java.util.List;
import java.util.Random;

/**
 * One kind of fault. A {@link NemesisSchedule} calls, for each fault window: {@link #plan} (choose targets
 * deterministically from the window's seeded Random: no I/O, no clock), {@link #start}, later {@link #stop}.
 * Targets that only exist at run time (the current leader) are resolved in {@code start}; {@link #detail()} then
 * says what was actually done. Instances are stateful (they remember what to undo) and are used one fault at a
 * time; faults are not meant to overlap ({@code stop} of a network fault heals <em>all</em> rules).
 */
public interface Nemesis {
    String name();

    /**
     * Chooses this fault's targets from {@code random} (same host ids and same Random state give the same result).
     * {@code start} without a prior {@code plan} plans with an unseeded Random.
     *
     * @return the planned targets as text (e.g. {@code "[n1, n4] | [n2, n3, n5]"}); {@code ""} if chosen at run time
     */
    default String plan(List<String> hostIds, Random random) {
        return "";
    }

    void start(Hosts hosts, ClusterView view);

    void stop(Hosts hosts);

    /** What the last {@code start} did, targets resolved (e.g. {@code "isolated n2 (leader, term 3)"}). */
    default String detail() {
        return "";
    }
}
