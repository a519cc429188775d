package io.rns.statemachine;

import java.util.Objects;

/**
 * One registered broker process: a member of a broker group.
 *
 * @param epoch          the log index of the registration that created or last refreshed this member; unregisters and
 *                       expiries name it (zombie fencing)
 * @param registeredAtMs the leader's wall clock (LogRecord.leader_time_ms) of that registration
 * @param leaseTimeoutMs the lease the broker registered with (0 = the server default); a new leader grants every
 *                       broker this much before it may expire it
 */
public record BrokerMember(String cluster, String brokerName, long brokerId, String addr, String haAddr,
        long dataVersionTimestamp, long dataVersionCounter, long epoch, long registeredAtMs, long leaseTimeoutMs) {
    public BrokerMember {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(brokerName, "brokerName");
        Objects.requireNonNull(addr, "addr");
        Objects.requireNonNull(haAddr, "haAddr");
    }

    public boolean isMaster() {
        return brokerId == Limits.MASTER_ID;
    }
}
