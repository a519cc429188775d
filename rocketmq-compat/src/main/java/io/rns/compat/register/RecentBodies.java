package io.rns.compat.register;

import io.rns.rpc.v1.RegisterBrokerRequest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The last REGISTER_BROKER body each broker sent, with what it parsed to, so that the everyday re-registration — a
 * broker sending the same body every 30 s — is not decoded again: the same bytes (with the same compressed flag and
 * version) always parse to the same topic table and data version, so a byte-for-byte equal body reuses the parse.
 * Nothing else is skipped: the registration still goes through validation, the "would it change anything" check and
 * the leader like any other. Bounded: bodies over {@link #MAX_BODY_BYTES} are not kept, and when the kept bodies
 * would exceed {@code budgetBytes} in total, everything is dropped and the cache refills from the next registrations.
 */
final class RecentBodies {
    /** Larger bodies are parsed every time (a broker with ~5,000 topics sends about 1 MB). */
    static final int MAX_BODY_BYTES = 1 << 20;

    private record Kept(byte[] body, boolean compressed, int version, RegisterBrokerRequest parsed) {
    }

    private final long budgetBytes;
    private final Map<String, Kept> byBroker = new HashMap<>();
    private long keptBytes;
    private long hits;

    /** @param budgetBytes the most body bytes kept at once */
    RecentBodies(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * What {@code broker}'s body parsed to last time if this body is the same bytes (and flags), else null. The
     * result carries only the body's part of a registration: data version and topics.
     */
    RegisterBrokerRequest lookup(String broker, byte[] body, boolean compressed, int version) {
        Kept k;
        synchronized (this) {
            k = byBroker.get(broker);
        }
        if (k == null || k.compressed != compressed || k.version != version || !Arrays.equals(k.body, body)) {
            return null;
        }
        synchronized (this) {
            hits++;
        }
        return k.parsed;
    }

    /** Keeps {@code body} (which the caller does not change afterwards) and its parse for {@code broker}. */
    synchronized void remember(String broker, byte[] body, boolean compressed, int version,
            RegisterBrokerRequest parsed) {
        if (body == null || body.length > MAX_BODY_BYTES) {
            return;
        }
        Kept old = byBroker.remove(broker);
        if (old != null) {
            keptBytes -= old.body.length;
        }
        if (keptBytes + body.length > budgetBytes) {
            byBroker.clear();
            keptBytes = 0;
        }
        byBroker.put(broker, new Kept(body, compressed, version, parsed));
        keptBytes += body.length;
    }

    /** Registrations whose body was not decoded again. */
    synchronized long hits() {
        return hits;
    }

    /** Body bytes kept now. */
    synchronized long keptBytes() {
        return keptBytes;
    }
}
