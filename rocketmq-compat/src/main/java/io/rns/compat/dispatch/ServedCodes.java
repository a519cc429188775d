package io.rns.compat.dispatch;

import io.rns.compat.admin.KvConfig;
import io.rns.compat.admin.NamesrvConfigCodes;
import io.rns.compat.admin.TopicAdmin;
import io.rns.compat.handler.CodeHandler;
import io.rns.compat.handler.NativeCaller;
import io.rns.compat.query.RouteQueries;
import io.rns.compat.query.TopicLists;
import io.rns.compat.register.BrokerLiveness;
import io.rns.compat.register.BrokerRegistration;
import io.rns.namesrv.auth.Permission;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.UnitFilter;
import io.rns.rpc.v1.WritePermChange;
import org.apache.rocketmq.remoting.protocol.RequestCode;

import java.util.HashMap;
import java.util.Map;

/**
 * Every RocketMQ request code RNS serves, with its kind and handler (see README "Use RNS with an existing RocketMQ
 * cluster" for the semantics). A code not listed here is answered 3 REQUEST_CODE_NOT_SUPPORTED.
 */
final class ServedCodes {
    private final Map<Integer, ServedCode> table = new HashMap<>();

    private ServedCodes() {
    }

    static Map<Integer, ServedCode> table(NamesrvConfig config, NativeCaller natives) {
        ServedCodes c = new ServedCodes();
        // brokers: registration and liveness (io.rns.compat.register)
        BrokerRegistration registration = new BrokerRegistration(config, natives);
        BrokerLiveness liveness = new BrokerLiveness(natives);
        c.broker(RequestCode.REGISTER_BROKER, registration::register);
        c.broker(RequestCode.UNREGISTER_BROKER, registration::unregister);
        c.broker(RequestCode.QUERY_DATA_VERSION, liveness::queryDataVersion);
        c.broker(RequestCode.BROKER_HEARTBEAT, liveness::heartbeat);
        // clients: routes, cluster info, topic lists (io.rns.compat.query)
        RouteQueries routes = new RouteQueries(natives);
        TopicLists topics = new TopicLists(natives);
        c.query(RequestCode.GET_ROUTEINFO_BY_TOPIC, routes::routeInfo);
        c.query(RequestCode.GET_BROKER_CLUSTER_INFO, routes::clusterInfo);
        c.query(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, routes::systemTopics);
        c.query(RequestCode.GET_BROKER_MEMBER_GROUP, routes::brokerMemberGroup);
        c.query(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, topics.all(UnitFilter.UNIT_FILTER_NONE));
        c.query(RequestCode.GET_TOPICS_BY_CLUSTER, topics::byCluster);
        c.query(RequestCode.GET_UNIT_TOPIC_LIST, topics.all(UnitFilter.UNIT));
        c.query(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, topics.all(UnitFilter.HAS_UNIT_SUB));
        c.query(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, topics.all(UnitFilter.HAS_UNIT_SUB_NOT_UNIT));
        // admin: KV config, write permission, topics, namesrv config (io.rns.compat.admin)
        KvConfig kv = new KvConfig(natives);
        TopicAdmin topicAdmin = new TopicAdmin(natives);
        NamesrvConfigCodes namesrvConfig = new NamesrvConfigCodes(config);
        c.write(RequestCode.PUT_KV_CONFIG, kv::put);
        c.query(RequestCode.GET_KV_CONFIG, kv::get);
        c.write(RequestCode.DELETE_KV_CONFIG, kv::delete);
        c.query(RequestCode.GET_KVLIST_BY_NAMESPACE, kv::list);
        c.write(RequestCode.WIPE_WRITE_PERM_OF_BROKER, topicAdmin.changeWritePerm(WritePermChange.WIPE_WRITE));
        c.write(RequestCode.ADD_WRITE_PERM_OF_BROKER, topicAdmin.changeWritePerm(WritePermChange.ADD_WRITE));
        c.broker(RequestCode.REGISTER_TOPIC_IN_NAMESRV, topicAdmin::registerTopic);
        c.write(RequestCode.DELETE_TOPIC_IN_NAMESRV, topicAdmin::deleteTopic);
        c.adminQuery(RequestCode.GET_NAMESRV_CONFIG, namesrvConfig::get);
        c.write(RequestCode.UPDATE_NAMESRV_CONFIG, namesrvConfig::update);
        return Map.copyOf(c.table);
    }

    /** A read anyone with the read permission may make. */
    private void query(int code, CodeHandler handler) {
        add(code, new ServedCode(RequestKind.QUERY, Permission.READ, handler));
    }

    /** A read that shows what only administrators may see (the node's configuration). */
    private void adminQuery(int code, CodeHandler handler) {
        add(code, new ServedCode(RequestKind.QUERY, Permission.ADMIN, handler));
    }

    /** A broker's own write: registration, liveness. */
    private void broker(int code, CodeHandler handler) {
        add(code, new ServedCode(RequestKind.WRITE, Permission.BROKER, handler));
    }

    /** An administrator's write. */
    private void write(int code, CodeHandler handler) {
        add(code, new ServedCode(RequestKind.WRITE, Permission.ADMIN, handler));
    }

    private void add(int code, ServedCode served) {
        if (table.putIfAbsent(code, served) != null) {
            throw new IllegalStateException("request code " + code + " listed twice");
        }
    }
}
