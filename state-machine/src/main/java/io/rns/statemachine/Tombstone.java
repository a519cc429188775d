package io.rns.statemachine;

/**
 * What is left of a broker that asked to be unregistered (UnregisterBroker REQUESTED): its address and the data
 * version it was registered with, kept for {@link Limits#REGISTRATION_FENCE_MS} of state-machine time. A registration
 * of the same broker at the same address whose data version is not newer than this one, arriving within that window,
 * is a late copy of a registration sent before the unregistration: apply refuses it (STALE_REGISTRATION). This is how
 * brokers without client sessions (RocketMQ brokers) are fenced.
 *
 * @param atMs    the state machine's clock when the broker was unregistered
 * @param atIndex the log index of the unregistration
 */
public record Tombstone(String brokerName, long brokerId, String addr, long dataVersionTimestamp,
        long dataVersionCounter, long atMs, long atIndex) {

    /** Key of a broker's tombstone: one per (broker name, broker id). */
    public record Key(String brokerName, long brokerId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = brokerName.compareTo(o.brokerName);
            return c != 0 ? c : Long.compare(brokerId, o.brokerId);
        }
    }

    Key key() {
        return new Key(brokerName, brokerId);
    }

    /** Whether the fence still holds at state-machine time {@code clockMs}. */
    boolean holdsAt(long clockMs) {
        return clockMs - atMs <= Limits.REGISTRATION_FENCE_MS;
    }
}
