package io.rns.namesrv.base;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether a connection comes from one of a set of hosts (the members' hosts): their names come from a supplier and
 * are resolved into a cached set of IP addresses; an address not in the set re-resolves at most once a second (a
 * member just added, a DNS change) before it is refused. The connection's own address is only ever parsed as an IP
 * literal, never looked up.
 */
public final class AddressAllowList {
    private static final Logger log = LoggerFactory.getLogger(AddressAllowList.class);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<Collection<String>> hosts;
    private final LongSupplier nanoClock;
    private volatile Set<String> allowed = Set.of();
    private volatile long refreshedAt;

    public AddressAllowList(Supplier<Collection<String>> hosts, LongSupplier nanoClock) {
        this.hosts = hosts;
        this.nanoClock = nanoClock;
        refresh();
    }

    /** Whether {@code remoteAddress} ({@code ip:port}, IPv6 with or without brackets) is the address of a host. */
    public boolean admits(String remoteAddress) {
        String ip = ipOf(remoteAddress);
        if (ip == null) {
            return false;
        }
        if (allowed.contains(ip)) {
            return true;
        }
        synchronized (this) {
            if (nanoClock.getAsLong() - refreshedAt >= REFRESH_NANOS) {
                refresh();
            }
        }
        return allowed.contains(ip);
    }

    /** The addresses admitted now, for a log line. */
    public Set<String> allowed() {
        return allowed;
    }

    private void refresh() {
        Set<String> ips = new HashSet<>();
        for (String host : hosts.get()) {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    ips.add(a.getHostAddress());
                }
            } catch (UnknownHostException e) {
                log.warn("member host {} does not resolve; connections are not admitted from it until it does", host);
            }
        }
        allowed = Set.copyOf(ips);
        refreshedAt = nanoClock.getAsLong();
    }

    /** The host part of {@code host:port} (the whole string if it has no colon). */
    public static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    /** The IP of {@code host:port} (IPv6 with or without brackets), normalised as InetAddress prints it; or null. */
    public static String ipOf(String remoteAddress) {
        if (remoteAddress == null) {
            return null;
        }
        String host = hostOf(remoteAddress);
        if (host.startsWith("/")) {
            host = host.substring(1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!isIpLiteral(host)) {
            return null; // never a DNS lookup for what a connection says
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        boolean v6 = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (Character.digit(c, 16) >= 0 || c == ':'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
