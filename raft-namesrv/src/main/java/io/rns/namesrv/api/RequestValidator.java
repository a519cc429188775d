package io.rns.namesrv.api;

import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.statemachine.RecordValidator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Validates wire requests before anything is proposed, with messages that name the wire field. The limits are the
 * state machine's ({@link RecordValidator}), so a request that passes here is also a valid record.
 */
public final class RequestValidator {
    private RequestValidator() {}

    static void check(Optional<String> problem) {
        if (problem.isPresent()) {
            throw ApiException.invalid(problem.get());
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
            if (!seen.add(t.getTopic())) {
                throw ApiException.invalid(f + ".topic: duplicate topic '" + t.getTopic() + "' in one registration");
            }
            check(RecordValidator.checkQueueNums(f + ".read_queue_nums", t.getReadQueueNums()));
            check(RecordValidator.checkQueueNums(f + ".write_queue_nums", t.getWriteQueueNums()));
            check(RecordValidator.checkPerm(f + ".perm", t.getPerm()));
            check(RecordValidator.checkSysFlag(f + ".topic_sys_flag", t.getTopicSysFlag()));
        }
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
