package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.rns.namesrv.base.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Which connections the peer port answers: those whose source IP is an address of a member's host. The member hosts
 * come from a supplier (configured members, members added at runtime, the last committed configuration) and are
 * resolved into a cached set of IP addresses; a request from an address not in the set re-resolves at most once a
 * second (a member just added, a DNS change) before it is refused. A refused request is not processed: its
 * connection is closed and the refusal logged at WARN (bounded by a {@link LogBudget}).
 */
final class PeerFilter {
    private static final Logger log = LoggerFactory.getLogger(PeerFilter.class);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String nodeId;
    private final Supplier<Collection<String>> memberHosts;
    private final LongSupplier nanoClock;
    private final LogBudget budget;
    private volatile Set<String> allowed = Set.of();
    private volatile long refreshedAt;

    PeerFilter(String nodeId, Supplier<Collection<String>> memberHosts, LongSupplier nanoClock) {
        this.nodeId = nodeId;
        this.memberHosts = memberHosts;
        this.nanoClock = nanoClock;
        this.budget = new LogBudget(10, nanoClock);
        refresh();
    }

    /** Whether a connection from {@code remoteAddress} ({@code ip:port} as bolt reports it) may be answered. */
    boolean admits(String remoteAddress) {
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

    /** {@code processor}, answering only admitted connections. */
    <T> RpcProcessor<T> guard(RpcProcessor<T> processor) {
        return new RpcProcessor<>() {
            @Override
            public void handleRequest(RpcContext ctx, T request) {
                String from = ctx.getRemoteAddress();
                if (admits(from)) {
                    processor.handleRequest(ctx, request);
                    return;
                }
                if (budget.admit()) {
                    log.warn(
                            "node {}: refused {} on the raft port from {}: not the address of a member's host "
                                    + "(accepted: {}; raft.peers-from-members-only); connection closed{}",
                            nodeId, processor.interest(), from, allowed, budget.takeSuppressed());
                }
                ctx.getConnection().close();
            }

            @Override
            public String interest() {
                return processor.interest();
            }

            @Override
            public Executor executor() {
                return processor.executor();
            }

            @Override
            public ExecutorSelector executorSelector() {
                return processor.executorSelector();
            }
        };
    }

    private void refresh() {
        Set<String> ips = new HashSet<>();
        for (String host : memberHosts.get()) {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    ips.add(a.getHostAddress());
                }
            } catch (UnknownHostException e) {
                log.warn("node {}: member host {} does not resolve; the raft port refuses it until it does", nodeId,
                        host);
            }
        }
        allowed = Set.copyOf(ips);
        refreshedAt = nanoClock.getAsLong();
    }

    /** The IP of {@code host:port} (IPv6 with or without brackets), normalised as InetAddress prints it; or null. */
    static String ipOf(String remoteAddress) {
        if (remoteAddress == null) {
            return null;
        }
        int colon = remoteAddress.lastIndexOf(':');
        String host = colon < 0 ? remoteAddress : remoteAddress.substring(0, colon);
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
