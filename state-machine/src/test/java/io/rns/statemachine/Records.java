package io.rns.statemachine;

import com.google.protobuf.ByteString;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers that build log records and read store contents. */
final class Records {
    private Records() {
    }

    static final long TIME = 1_700_000_000_000L;

    static TopicQueueConfig topic(String name, int read, int write, int perm) {
        return TopicQueueConfig.newBuilder().setTopic(name).setReadQueueNums(read).setWriteQueueNums(write)
                .setPerm(perm).build();
    }

    static TopicQueueConfig topic(String name) {
        return topic(name, 4, 4, 6);
    }

    static RegisterBroker.Builder registerBuilder(String cluster, String name, long id, String addr,
            TopicQueueConfig... topics) {
        return RegisterBroker.newBuilder().setCluster(cluster).setBrokerName(name).setBrokerId(id).setBrokerAddr(addr)
                .setHaServerAddr("").setDataVersionTimestamp(1).setDataVersionCounter(1).addAllTopics(List.of(topics));
    }

    static LogRecord register(String cluster, String name, long id, String addr, TopicQueueConfig... topics) {
        return wrap(registerBuilder(cluster, name, id, addr, topics).build());
    }

    static LogRecord wrap(RegisterBroker r) {
        return base().setRegisterBroker(r).build();
    }

    static LogRecord unregister(String name, long id, String addr, long epoch) {
        return base()
                .setUnregisterBroker(UnregisterBroker.newBuilder().setBrokerName(name).setBrokerId(id)
                        .setBrokerAddr(addr).setBrokerEpoch(epoch).setReason(UnregisterBroker.Reason.REQUESTED))
                .build();
    }

    static LogRecord deleteTopic(String topic, String cluster) {
        return base().setDeleteTopic(DeleteTopic.newBuilder().setTopic(topic).setCluster(cluster)).build();
    }

    static LogRecord putKv(String ns, String key, String value) {
        return base().setPutKv(PutKv.newBuilder().setNamespace(ns).setKey(key).setValue(value)).build();
    }

    static LogRecord deleteKv(String ns, String key) {
        return base().setDeleteKv(DeleteKv.newBuilder().setNamespace(ns).setKey(key)).build();
    }

    static LogRecord changeWritePerm(String brokerName, ChangeWritePerm.Op op) {
        return base().setChangeWritePerm(ChangeWritePerm.newBuilder().setBrokerName(brokerName).setOp(op)).build();
    }

    static BrokerQueue queue(String brokerName, int read, int write, int perm, int sysFlag) {
        return BrokerQueue.newBuilder().setBrokerName(brokerName).setReadQueueNums(read).setWriteQueueNums(write)
                .setPerm(perm).setTopicSysFlag(sysFlag).build();
    }

    static LogRecord registerTopic(String topic, BrokerQueue... queues) {
        return base().setRegisterTopic(RegisterTopic.newBuilder().setTopic(topic).addAllQueues(List.of(queues)))
                .build();
    }

    static LogRecord openSession(int timeoutMs, int maxSessions) {
        return base().setOpenSession(OpenSession.newBuilder().setTimeoutMs(timeoutMs).setMaxSessions(maxSessions))
                .build();
    }

    /** {@code r} stamped with a client session and sequence number, and the given leader time. */
    static LogRecord inSession(LogRecord r, long sessionId, long seq, long leaderTimeMs) {
        return r.toBuilder().setSession(ClientSession.newBuilder().setId(sessionId).setSeq(seq))
                .setLeaderTimeMs(leaderTimeMs).build();
    }

    static LogRecord.Builder base() {
        return LogRecord.newBuilder().setFormatVersion(1).setLeaderTimeMs(TIME);
    }

    /** Every key/value of the store, in key order, as comparable byte strings. */
    static List<Map.Entry<ByteString, ByteString>> storeContents(RouteStateMachine sm) {
        List<Map.Entry<ByteString, ByteString>> out = new ArrayList<>();
        sm.forEachStoreEntry((k, v) -> out.add(Map.entry(ByteString.copyFrom(k), ByteString.copyFrom(v))));
        return out;
    }
}
