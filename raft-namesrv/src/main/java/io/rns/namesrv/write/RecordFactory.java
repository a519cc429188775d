package io.rns.namesrv.write;

import io.rns.log.v1.BrokerQueue;
import io.rns.log.v1.ChangeWritePerm;
import io.rns.log.v1.ClientSession;
import io.rns.log.v1.DeleteKv;
import io.rns.log.v1.DeleteTopic;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.OpenSession;
import io.rns.log.v1.PutKv;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.RegisterTopic;
import io.rns.log.v1.TopicQueueConfig;
import io.rns.log.v1.UnregisterBroker;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.WritePermChange;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.QueueConfig;
import io.rns.statemachine.RouteImage;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The one place where log records are built: every kind, expiries included. Turns a validated request plus the
 * leader's current image into the record to propose, or into "no change" (empty). The wire format never reaches the
 * log: every field is copied explicitly into the log schema.
 */
public final class RecordFactory {
    private RecordFactory() {
    }

    private static LogRecord.Builder base(long leaderTimeMs) {
        return LogRecord.newBuilder().setFormatVersion(LogRecords.CURRENT_FORMAT_VERSION).setLeaderTimeMs(leaderTimeMs);
    }

    /** The log form of a registration; {@code leaseMs} is the effective lease (the request's 0 resolved). */
    public static RegisterBroker registerRecord(RegisterBrokerRequest r, int leaseMs) {
        RegisterBroker.Builder b = RegisterBroker.newBuilder().setCluster(r.getCluster())
                .setBrokerName(r.getBrokerName()).setBrokerId(r.getBrokerId()).setBrokerAddr(r.getBrokerAddr())
                .setHaServerAddr(r.getHaServerAddr()).setDataVersionTimestamp(r.getDataVersion().getTimestamp())
                .setDataVersionCounter(r.getDataVersion().getCounter()).setLeaseTimeoutMs(leaseMs)
                .setConnectionSinceIndex(r.getConnectionSinceIndex());
        for (TopicConfig t : r.getTopicsList()) {
            b.addTopics(TopicQueueConfig.newBuilder().setTopic(t.getTopic()).setReadQueueNums(t.getReadQueueNums())
                    .setWriteQueueNums(t.getWriteQueueNums()).setPerm(t.getPerm())
                    .setTopicSysFlag(t.getTopicSysFlag()));
        }
        return b.build();
    }

    /**
     * Empty when the registration is identical to what the image holds: a heartbeat, not a log entry. {@code r} has
     * passed {@code RequestValidator.validate} (the dispatcher's check, before any handler runs), whose rules include
     * the record's, so the record is not validated a second time here; apply still validates what is proposed.
     */
    public static Optional<LogRecord> register(RegisterBrokerRequest r, int leaseMs, RouteImage image,
            long leaderTimeMs) {
        RegisterBroker rec = registerRecord(r, leaseMs);
        if (!image.wouldChangeValid(rec)) {
            return Optional.empty();
        }
        return Optional.of(base(leaderTimeMs).setRegisterBroker(rec).build());
    }

    /** A session-opening record: the leader's session settings, so every replica expires and caps alike. */
    public static LogRecord openSession(int timeoutMs, int maxSessions, long leaderTimeMs) {
        return base(leaderTimeMs)
                .setOpenSession(OpenSession.newBuilder().setTimeoutMs(timeoutMs).setMaxSessions(maxSessions)).build();
    }

    /** {@code record} as the request with sequence number {@code seq} of client session {@code sessionId}. */
    public static LogRecord inSession(LogRecord record, long sessionId, long seq) {
        return record.toBuilder().setSession(ClientSession.newBuilder().setId(sessionId).setSeq(seq)).build();
    }

    public static LogRecord unregister(UnregisterBrokerRequest r, long leaderTimeMs) {
        return base(leaderTimeMs).setUnregisterBroker(UnregisterBroker.newBuilder().setCluster(r.getCluster())
                .setBrokerName(r.getBrokerName()).setBrokerId(r.getBrokerId()).setBrokerAddr(r.getBrokerAddr())
                .setBrokerEpoch(r.getBrokerEpoch()).setReason(UnregisterBroker.Reason.REQUESTED)).build();
    }

    /**
     * A broker whose lease ran out (or, in leaderless mode, whose connection closed): conditional on {@code epoch},
     * so a broker that re-registered in between survives it.
     */
    public static LogRecord expiry(String cluster, String brokerName, long brokerId, String brokerAddr, long epoch,
            long leaderTimeMs) {
        return base(leaderTimeMs).setUnregisterBroker(
                UnregisterBroker.newBuilder().setCluster(cluster).setBrokerName(brokerName).setBrokerId(brokerId)
                        .setBrokerAddr(brokerAddr).setBrokerEpoch(epoch).setReason(UnregisterBroker.Reason.EXPIRED))
                .build();
    }

    /** Empty when the topic does not exist (in that cluster): deleting nothing writes nothing. */
    public static Optional<LogRecord> deleteTopic(DeleteTopicRequest r, RouteImage image, long leaderTimeMs) {
        boolean exists = r.getCluster().isEmpty() ? image.route(r.getTopic()).isPresent()
                : image.topicsOfCluster(r.getCluster()).contains(r.getTopic());
        if (!exists) {
            return Optional.empty();
        }
        return Optional.of(base(leaderTimeMs)
                .setDeleteTopic(DeleteTopic.newBuilder().setTopic(r.getTopic()).setCluster(r.getCluster())).build());
    }

    /** Empty when the key already holds this value. */
    public static Optional<LogRecord> kvPut(KvPutRequest r, RouteImage image, long leaderTimeMs) {
        if (Objects.equals(image.kv(r.getNamespace(), r.getKey()).orElse(null), r.getValue())) {
            return Optional.empty();
        }
        return Optional.of(base(leaderTimeMs)
                .setPutKv(PutKv.newBuilder().setNamespace(r.getNamespace()).setKey(r.getKey()).setValue(r.getValue()))
                .build());
    }

    /** Empty when the key does not exist. */
    public static Optional<LogRecord> kvDelete(KvDeleteRequest r, RouteImage image, long leaderTimeMs) {
        if (image.kv(r.getNamespace(), r.getKey()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(base(leaderTimeMs)
                .setDeleteKv(DeleteKv.newBuilder().setNamespace(r.getNamespace()).setKey(r.getKey())).build());
    }

    /** The log op of a validated wire change. */
    public static ChangeWritePerm.Op op(WritePermChange c) {
        return switch (c) {
            case WIPE_WRITE -> ChangeWritePerm.Op.WIPE;
            case ADD_WRITE -> ChangeWritePerm.Op.ADD;
            default -> throw new IllegalArgumentException("write perm change " + c + " is not WIPE_WRITE or ADD_WRITE");
        };
    }

    /** Empty when no queue data of the broker name would change permission (none, or all already as asked). */
    public static Optional<LogRecord> changeWritePerm(ChangeWritePermRequest r, RouteImage image, long leaderTimeMs) {
        ChangeWritePerm.Op op = op(r.getChange());
        boolean[] changes = {false};
        image.forEachTopic((topic, queues) -> {
            QueueConfig q = queues.get(r.getBrokerName());
            if (q != null && RouteImage.changedPerm(q.perm(), op) != q.perm()) {
                changes[0] = true;
            }
        });
        if (!changes[0]) {
            return Optional.empty();
        }
        return Optional.of(base(leaderTimeMs)
                .setChangeWritePerm(ChangeWritePerm.newBuilder().setBrokerName(r.getBrokerName()).setOp(op)).build());
    }

    /**
     * Empty when every queue data names an unregistered broker or is already identical in the topic. Queue data of
     * unregistered brokers is still copied into the record: apply decides on the state at its index.
     */
    public static Optional<LogRecord> registerTopic(RegisterTopicRequest r, RouteImage image, long leaderTimeMs) {
        SortedMap<String, QueueConfig> current = image.route(r.getTopic()).map(v -> v.queues()).orElse(null);
        boolean changes = false;
        RegisterTopic.Builder b = RegisterTopic.newBuilder().setTopic(r.getTopic());
        for (QueueData q : r.getQueueDatasList()) {
            QueueConfig c = new QueueConfig(q.getReadQueueNums(), q.getWriteQueueNums(), q.getPerm(),
                    q.getTopicSysFlag());
            if (image.brokerGroup(q.getBrokerName()).isPresent()
                    && (current == null || !c.equals(current.get(q.getBrokerName())))) {
                changes = true;
            }
            b.addQueues(BrokerQueue.newBuilder().setBrokerName(q.getBrokerName()).setReadQueueNums(q.getReadQueueNums())
                    .setWriteQueueNums(q.getWriteQueueNums()).setPerm(q.getPerm())
                    .setTopicSysFlag(q.getTopicSysFlag()));
        }
        return changes ? Optional.of(base(leaderTimeMs).setRegisterTopic(b).build()) : Optional.empty();
    }
}
