package io.rns.namesrv.auth;

import java.util.Locale;

/** What an account may do. Each request kind needs exactly one (see the dispatcher's and the ingress's tables). */
public enum Permission {
    /** Read routes, topics, cluster info, KV, node status, leases and peers. */
    READ,
    /** Register, unregister and heartbeat as a broker (optionally limited to some cluster/broker names). */
    BROKER,
    /** Membership, leadership transfer, delete topic, write permissions, KV writes, backups, RocketMQ config codes. */
    ADMIN,
    /** Node-internal: forward requests on behalf of an account, report a broker's closed connection. */
    NODE;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    static Permission parse(String s) {
        for (Permission p : values()) {
            if (p.text().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown permission '" + s.trim() + "' (read, broker, admin, node)");
    }
}
