package io.rns.cli.shadow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key on which the nodes disagree in one poll.
 *
 * @param values
 *            every reachable node's value of the key, in poll order (legacy nodes first), {@link #ABSENT} where the node
 *            does not have it
 */
public record Difference(Kind kind, String key, Map<String, String> values) {
    /** The value of a key a node does not have. */
    public static final String ABSENT = "(absent)";

    public Difference {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The identity a difference keeps from poll to poll. */
    public String id() {
        return kind + " " + key;
    }

    /** How the nodes disagree. */
    public enum Kind {
        /** Every legacy node has the key with one value; the RNS nodes do not have it. */
        LEGACY_ONLY,
        /** The RNS nodes have the key; no legacy node has it. */
        RNS_ONLY,
        /** Both sides agree among themselves and have the key, with different values. */
        DIFFERS,
        /** The RNS nodes disagree among themselves (a follower behind, when reads are not linearizable). */
        RNS_DIVERGENCE,
        /**
         * The legacy nodes disagree among themselves: stock NameServers never talk to each other, so a registration
         * or an expiry that reached only some of them shows here. Expected during a migration; not counted against
         * convergence.
         */
        LEGACY_DIVERGENCE;

        /** Whether this kind means RNS does not (yet) answer what the legacy estate answers. */
        public boolean blocksMigration() {
            return this != LEGACY_DIVERGENCE;
        }
    }
}
