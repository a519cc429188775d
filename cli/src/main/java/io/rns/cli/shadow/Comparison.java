package io.rns.cli.shadow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares one poll's views key by key. Per side, the reachable nodes either agree on a key's value (absent counts as
 * a value) or the side diverges. Only when both sides agree among themselves are the two sides compared: a
 * divergence inside a side says nothing about the other side.
 */
public final class Comparison {
    private Comparison() {
    }

    /** The differences of one poll, sorted by kind and key; unreachable nodes are left out. */
    public static List<Difference> compare(List<NodeView> views) {
        List<NodeView> legacy = views.stream().filter(v -> v.reachable() && v.side() == Side.LEGACY).toList();
        List<NodeView> rns = views.stream().filter(v -> v.reachable() && v.side() == Side.RNS).toList();
        TreeSet<String> keys = new TreeSet<>();
        views.stream().filter(NodeView::reachable).forEach(v -> keys.addAll(v.values().keySet()));
        List<Difference> out = new ArrayList<>();
        for (String key : keys) {
            Map<String, String> values = new LinkedHashMap<>();
            for (NodeView v : views) {
                if (v.reachable())
                    values.put(v.addr(), v.values().getOrDefault(key, Difference.ABSENT));
            }
            String l = agreed(legacy, key);
            String r = agreed(rns, key);
            if (!legacy.isEmpty() && l == null)
                out.add(new Difference(Difference.Kind.LEGACY_DIVERGENCE, key, values));
            if (!rns.isEmpty() && r == null)
                out.add(new Difference(Difference.Kind.RNS_DIVERGENCE, key, values));
            if (l != null && r != null && !l.equals(r)) {
                Difference.Kind kind = r.equals(Difference.ABSENT) ? Difference.Kind.LEGACY_ONLY
                        : l.equals(Difference.ABSENT) ? Difference.Kind.RNS_ONLY : Difference.Kind.DIFFERS;
                out.add(new Difference(kind, key, values));
            }
        }
        out.sort(Comparator.comparing(Difference::kind).thenComparing(Difference::key));
        return out;
    }

    /** The value every node of the side has ({@link Difference#ABSENT} included), or null if they disagree. */
    private static String agreed(List<NodeView> side, String key) {
        String first = null;
        for (NodeView v : side) {
            String value = v.values().getOrDefault(key, Difference.ABSENT);
            if (first == null)
                first = value;
            else if (!Objects.equals(first, value))
                return null;
        }
        return first;
    }
}
