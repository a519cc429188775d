package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.GetBrokerRequest;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnitFilter;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.WritePermChange;
import io.rns.statemachine.RecordValidator;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Validates wire requests before anything is proposed, with messages that name the wire field. The limits are the
 * state machine's ({@link RecordValidator}), so a request that passes here is also a valid record.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    static void check(Optional<String> problem) {
        if (problem.isPresent()) {
            throw RnsException.invalid(problem.get());
        }
    }

    public static void validate(RegisterBrokerRequest r) {
        check(RecordValidator.checkClusterName("register_broker.cluster", r.getCluster()));
        check(RecordValidator.checkBrokerName("register_broker.broker_name", r.getBrokerName()));
        check(RecordValidator.checkBrokerId("register_broker.broker_id", r.getBrokerId()));
        check(RecordValidator.checkAddress("register_broker.broker_addr", r.getBrokerAddr()));
        if (!r.getHaServerAddr().isEmpty()) {
            check(RecordValidator.checkAddress("register_broker.ha_server_addr", r.getHaServerAddr()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.getTopicsCount(); i++) {
            TopicConfig t = r.getTopics(i);
            String f = "register_broker.topics[" + i + "]";
            check(RecordValidator.checkTopic(f + ".topic", t.getTopic()));
            distinct(seen, f + ".topic", "topic", t.getTopic());
            checkQueues(f, t.getReadQueueNums(), t.getWriteQueueNums(), t.getPerm(), t.getTopicSysFlag());
        }
    }

    /** The queue settings of one topic config or queue data named {@code f}. */
    private static void checkQueues(String f, int readQueueNums, int writeQueueNums, int perm, int topicSysFlag) {
        check(RecordValidator.checkQueueNums(f + ".read_queue_nums", readQueueNums));
        check(RecordValidator.checkQueueNums(f + ".write_queue_nums", writeQueueNums));
        check(RecordValidator.checkPerm(f + ".perm", perm));
        check(RecordValidator.checkSysFlag(f + ".topic_sys_flag", topicSysFlag));
    }

    public static void validate(UnregisterBrokerRequest r) {
        check(RecordValidator.checkClusterName("unregister_broker.cluster", r.getCluster()));
        check(RecordValidator.checkBrokerName("unregister_broker.broker_name", r.getBrokerName()));
        check(RecordValidator.checkBrokerId("unregister_broker.broker_id", r.getBrokerId()));
        if (!r.getBrokerAddr().isEmpty()) {
            check(RecordValidator.checkAddress("unregister_broker.broker_addr", r.getBrokerAddr()));
        }
    }

    public static void validate(DeleteTopicRequest r) {
        check(RecordValidator.checkTopic("delete_topic.topic", r.getTopic()));
        if (!r.getCluster().isEmpty()) {
            check(RecordValidator.checkClusterName("delete_topic.cluster", r.getCluster()));
        }
    }

    public static void validateTopic(String field, String topic) {
        check(RecordValidator.checkTopic(field, topic));
    }

    public static void validate(ListTopicsRequest r) {
        if (!r.getCluster().isEmpty()) {
            check(RecordValidator.checkClusterName("list_topics.cluster", r.getCluster()));
        }
        if (r.getUnitFilter() == UnitFilter.UNRECOGNIZED) {
            throw RnsException.invalid("list_topics.unit_filter has unknown value " + r.getUnitFilterValue()
                    + " (UNIT_FILTER_NONE, UNIT, HAS_UNIT_SUB, HAS_UNIT_SUB_NOT_UNIT)");
        }
    }

    public static void validate(GetBrokerRequest r) {
        check(RecordValidator.checkBrokerName("get_broker.broker_name", r.getBrokerName()));
        check(RecordValidator.checkBrokerId("get_broker.broker_id", r.getBrokerId()));
    }

    public static void validate(ChangeWritePermRequest r) {
        check(RecordValidator.checkBrokerName("change_write_perm.broker_name", r.getBrokerName()));
        if (r.getChange() != WritePermChange.WIPE_WRITE && r.getChange() != WritePermChange.ADD_WRITE) {
            throw RnsException.invalid("change_write_perm.change must be WIPE_WRITE or ADD_WRITE, got "
                    + (r.getChange() == WritePermChange.UNRECOGNIZED ? String.valueOf(r.getChangeValue())
                            : r.getChange().name()));
        }
    }

    /** {@code value} was not {@code seen} before in this request (and is now). */
    private static void distinct(Set<String> seen, String field, String what, String value) {
        if (!seen.add(value)) {
            throw RnsException.invalid(field + ": duplicate " + what + " '" + value + "' in one request");
        }
    }

    public static void validate(RegisterTopicRequest r) {
        check(RecordValidator.checkTopic("register_topic.topic", r.getTopic()));
        if (r.getQueueDatasCount() == 0) {
            throw RnsException.invalid("register_topic.queue_datas must hold at least one queue data");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.getQueueDatasCount(); i++) {
            QueueData q = r.getQueueDatas(i);
            String f = "register_topic.queue_datas[" + i + "]";
            check(RecordValidator.checkBrokerName(f + ".broker_name", q.getBrokerName()));
            distinct(seen, f + ".broker_name", "broker name", q.getBrokerName());
            checkQueues(f, q.getReadQueueNums(), q.getWriteQueueNums(), q.getPerm(), q.getTopicSysFlag());
        }
    }

    public static void validate(KvPutRequest r) {
        check(RecordValidator.checkKvNamespace("kv_put.namespace", r.getNamespace()));
        check(RecordValidator.checkKvKey("kv_put.key", r.getKey()));
        check(RecordValidator.checkKvValue("kv_put.value", r.getValue()));
    }

    public static void validate(KvGetRequest r) {
        check(RecordValidator.checkKvNamespace("kv_get.namespace", r.getNamespace()));
        check(RecordValidator.checkKvKey("kv_get.key", r.getKey()));
    }

    public static void validate(KvDeleteRequest r) {
        check(RecordValidator.checkKvNamespace("kv_delete.namespace", r.getNamespace()));
        check(RecordValidator.checkKvKey("kv_delete.key", r.getKey()));
    }

    public static void validate(KvListRequest r) {
        check(RecordValidator.checkKvNamespace("kv_list.namespace", r.getNamespace()));
    }
}
