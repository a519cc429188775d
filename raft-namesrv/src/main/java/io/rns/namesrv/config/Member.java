package io.rns.namesrv.config;

import io.rns.rpc.transport.LogText;
import io.rns.rpc.transport.MemberSpec;

import java.util.Objects;
import java.util.regex.Pattern;

/** One voting member of the group: its id, host, internal Raft port and client port. Written as id@host:raftPort:clientPort. */
public record Member(String id, String host, int raftPort, int clientPort) {
    /** A DNS name or an IPv4 literal: what jraft's host:port peer ids and the members setting can carry. */
    private static final Pattern HOST = Pattern
            .compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("member id '" + id + "' must be 1-64 characters of [A-Za-z0-9_.-]");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("member " + id + ": host is empty");
        }
        if (host.length() > 253 || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("member " + id + ": host '" + LogText.printable(host)
                    + "' is not a host name or IPv4 address (dot-separated labels of letters, digits and inner"
                    + " hyphens, at most 253 characters)");
        }
        checkPort(id, "raft port", raftPort);
        checkPort(id, "client port", clientPort);
        if (raftPort == clientPort) {
            throw new IllegalArgumentException(
                    "member " + id + ": raft port and client port must differ (both " + raftPort + ")");
        }
    }

    private static void checkPort(String id, String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("member " + id + ": " + what + " must be in [1, 65535], got " + port);
        }
    }

    /** Parses {@code id@host:raftPort:clientPort}. */
    public static Member parse(String spec) {
        MemberSpec m = MemberSpec.parse(spec);
        return new Member(m.id(), m.host(), m.raftPort(), m.clientPort());
    }

    public String raftAddress() {
        return host + ":" + raftPort;
    }

    public String clientAddress() {
        return host + ":" + clientPort;
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + raftPort + ":" + clientPort;
    }
}
