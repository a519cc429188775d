package io.rns.namesrv.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parsed accounts file: a properties file of {@code account.<name>.secret}, {@code .permissions},
 * {@code .brokers} and {@code .hosts} entries (conf/accounts.properties documents them). Immutable; a bad file is
 * refused whole, with the line's key in the message (never its secret).
 */
public record Accounts(Map<String, Account> byName, Map<String, Account> byHost) {
    public static final Accounts NONE = new Accounts(Map.of(), Map.of());
    static final int MIN_SECRET_CHARS = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> FIELDS = Set.of("secret", "permissions", "brokers", "hosts");

    public Accounts {
        byName = Map.copyOf(byName);
        byHost = Map.copyOf(byHost);
    }

    /** The account named {@code name}, or null. */
    public Account get(String name) {
        return byName.get(name);
    }

    /** The account unauthenticated callers get: {@code anonymous} if the file defines it, else one with nothing. */
    public Account anonymous() {
        Account a = byName.get(Account.ANONYMOUS);
        return a != null ? a : new Account(Account.ANONYMOUS, null, Set.of(), List.of(), Set.of());
    }

    /** The account trusted for requests without credentials from {@code host} (an IP address), or null. */
    public Account byHost(String host) {
        return byHost.get(host);
    }

    /** @throws IllegalArgumentException naming the key (or account) at fault */
    public static Accounts parse(Properties p) {
        Map<String, Map<String, String>> fields = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            String[] parts = key.split("\\.");
            if (parts.length != 3 || !parts[0].equals("account") || !FIELDS.contains(parts[2])) {
                throw new IllegalArgumentException(
                        "unknown key '" + key + "': expected account.<name>.secret|permissions|brokers|hosts");
            }
            if (!NAME.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException(
                        "key '" + key + "': an account name is 1-64 letters, digits, '_' or '-'");
            }
            fields.computeIfAbsent(parts[1], n -> new HashMap<>()).put(parts[2], p.getProperty(key).trim());
        }
        Map<String, Account> byName = new HashMap<>();
        Map<String, Account> byHost = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> e : fields.entrySet()) {
            Account a = account(e.getKey(), e.getValue());
            byName.put(a.name(), a);
            for (String h : a.hosts()) {
                Account other = byHost.put(h, a);
                if (other != null) {
                    throw new IllegalArgumentException("host " + h + " is in account." + other.name()
                            + ".hosts and account." + a.name() + ".hosts: a host acts as one account");
                }
            }
        }
        return new Accounts(byName, byHost);
    }

    private static Account account(String name, Map<String, String> f) {
        String prefix = "account." + name + ".";
        String secret = f.get("secret");
        if (secret != null && secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalArgumentException(prefix + "secret is shorter than " + MIN_SECRET_CHARS + " characters");
        }
        if (secret != null && name.equals(Account.ANONYMOUS)) {
            throw new IllegalArgumentException(prefix + "secret: the anonymous account has no secret");
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String s : list(f.get("permissions"))) {
            try {
                permissions.add(Permission.parse(s));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(prefix + "permissions: " + ex.getMessage());
            }
        }
        List<String> brokers = list(f.get("brokers"));
        for (String b : brokers) {
            if (b.indexOf('/') <= 0 || b.indexOf('/') != b.lastIndexOf('/') || b.endsWith("/")) {
                throw new IllegalArgumentException(prefix + "brokers: '" + b + "' is not cluster/brokerName");
            }
        }
        Set<String> hosts = new HashSet<>(list(f.get("hosts")));
        if (secret == null && hosts.isEmpty() && !name.equals(Account.ANONYMOUS)) {
            throw new IllegalArgumentException(
                    prefix + "secret is missing (only 'anonymous' and accounts with hosts " + "may have none)");
        }
        return new Account(name, secret, permissions, brokers, hosts);
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
