package io.rns.chaos.history;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Canonical string form of a set of broker addresses, used as {@link Op#value()} of route reads: the elements sorted
 * and joined with {@code ','}; the empty set is {@code ""}. {@code null} (topic absent) decodes to the empty set.
 * Elements must be non-empty and must not contain {@code ','}.
 */
public final class SetValue {

    private SetValue() {
    }

    public static String encode(Collection<String> elements) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String e : elements) {
            check(e);
            sorted.add(e);
        }
        return String.join(",", sorted);
    }

    public static SortedSet<String> decode(String value) {
        if (value == null || value.isEmpty()) {
            return Collections.emptySortedSet();
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(Arrays.asList(value.split(",", -1))));
    }

    /** Re-encodes canonically (sorted, duplicates removed); {@code null} becomes {@code ""}. */
    public static String canonical(String value) {
        return encode(decode(value));
    }

    public static boolean contains(String value, String element) {
        return decode(value).contains(element);
    }

    static void check(String e) {
        if (e == null || e.isEmpty() || e.indexOf(',') >= 0) {
            throw new IllegalArgumentException("set element must be non-empty and contain no ',': " + e);
        }
    }
}
