package io.rns.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pure helpers that turn an ordering of host ids into partition components or grudges (who cuts whom). */
public final class Topologies {
    private Topologies() {
    }

    /** Splits {@code order} into a minority (first {@code n/2}) and a majority (the rest). */
    public static List<Set<String>> halves(List<String> order) {
        int cut = order.size() / 2;
        return List.of(new LinkedHashSet<>(order.subList(0, cut)),
                new LinkedHashSet<>(order.subList(cut, order.size())));
    }

    /**
     * Majorities ring: hosts on a ring in {@code order}, each keeps links to its nearest neighbours on both sides
     * so that it sees a bare majority (itself included), and is cut from everyone else. With 5 hosts each sees
     * itself and its two neighbours: every node sees a majority and no two nodes see the same majority.
     */
    public static Map<String, Set<String>> majoritiesRing(List<String> order) {
        int n = order.size();
        int majority = n / 2 + 1;
        int reach = majority / 2; // neighbours on each side: the smallest with 2*reach + 1 >= majority
        Map<String, Set<String>> grudge = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Set<String> cut = new LinkedHashSet<>();
            for (int j = 0; j < n; j++) {
                int d = Math.min(Math.abs(i - j), n - Math.abs(i - j));
                if (d > reach) {
                    cut.add(order.get(j));
                }
            }
            grudge.put(order.get(i), cut);
        }
        return grudge;
    }

    /**
     * Bridge: two halves joined by one node. {@code order} = first half, bridge node, second half (the bridge is
     * {@code order.get((n-1)/2)}); the halves are cut from each other, the bridge sees everyone.
     */
    public static Map<String, Set<String>> bridge(List<String> order) {
        int n = order.size();
        int b = (n - 1) / 2;
        List<String> left = new ArrayList<>(order.subList(0, b));
        List<String> right = new ArrayList<>(order.subList(b + 1, n));
        Map<String, Set<String>> grudge = new LinkedHashMap<>();
        for (String l : left) {
            grudge.put(l, new LinkedHashSet<>(right));
        }
        for (String r : right) {
            grudge.put(r, new LinkedHashSet<>(left));
        }
        grudge.put(order.get(b), new LinkedHashSet<>());
        return grudge;
    }

    /** For each host, the hosts it can still reach (itself included) under a symmetric grudge. */
    public static Map<String, Set<String>> visibility(List<String> ids, Map<String, ? extends Set<String>> grudge) {
        Map<String, Set<String>> v = new LinkedHashMap<>();
        for (String a : ids) {
            Set<String> s = new LinkedHashSet<>();
            for (String b : ids) {
                boolean cut = grudge.containsKey(a) && grudge.get(a).contains(b)
                        || grudge.containsKey(b) && grudge.get(b).contains(a);
                if (!cut) {
                    s.add(b);
                }
            }
            v.put(a, s);
        }
        return v;
    }
}
