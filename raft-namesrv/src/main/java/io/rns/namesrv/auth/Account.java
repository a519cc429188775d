package io.rns.namesrv.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * One account of the accounts file. Its secret is never logged or printed ({@link #toString()} leaves it out).
 *
 * @param name        the account name: the native token's first part, the RocketMQ AccessKey
 * @param secret      the shared secret (null: the account cannot authenticate by credentials, e.g. {@code anonymous}
 *                    or an account used only through {@code hosts})
 * @param permissions what it may do
 * @param brokers     with {@link Permission#BROKER}: the {@code cluster/brokerName} it may act as ({@code *} matches
 *                    any one part); empty = any
 * @param hosts       source addresses whose requests without credentials act as this account (stock brokers that
 *                    cannot sign their requests)
 */
public record Account(String name, String secret, Set<Permission> permissions, List<String> brokers,
        Set<String> hosts) {
    /** The account unauthenticated callers get; defined in the file (without a secret) to grant them something. */
    public static final String ANONYMOUS = "anonymous";

    public Account {
        permissions = Set.copyOf(permissions);
        brokers = List.copyOf(brokers);
        hosts = Set.copyOf(hosts);
    }

    public boolean may(Permission p) {
        return permissions.contains(p);
    }

    /** Whether this account may act as broker {@code brokerName} of {@code cluster}. */
    public boolean mayActAs(String cluster, String brokerName) {
        if (brokers.isEmpty()) {
            return true;
        }
        for (String pattern : brokers) {
            int slash = pattern.indexOf('/');
            String c = pattern.substring(0, slash);
            String b = pattern.substring(slash + 1);
            if ((c.equals("*") || c.equals(cluster)) && (b.equals("*") || b.equals(brokerName))) {
                return true;
            }
        }
        return false;
    }

    /** Constant-time comparison with {@code given} (false when this account has no secret). */
    public boolean secretMatches(String given) {
        return secret != null && given != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Account{" + name + ", permissions=" + permissions + (brokers.isEmpty() ? "" : ", brokers=" + brokers)
                + (hosts.isEmpty() ? "" : ", hosts=" + hosts) + "}";
    }
}
