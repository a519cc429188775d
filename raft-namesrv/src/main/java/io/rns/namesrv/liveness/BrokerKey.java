package io.rns.namesrv.liveness;

/** A broker process: its broker name and broker id (0 = master). */
public record BrokerKey(String brokerName, long brokerId) implements Comparable<BrokerKey> {
    @Override
    public int compareTo(BrokerKey o) {
        int c = brokerName.compareTo(o.brokerName);
        return c != 0 ? c : Long.compare(brokerId, o.brokerId);
    }

    @Override
    public String toString() {
        return brokerName + "/" + brokerId;
    }
}
