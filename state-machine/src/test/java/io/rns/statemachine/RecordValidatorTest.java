package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.UnregisterBroker;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordValidatorTest {
    private static final String LONG_128 = "a".repeat(128);
    private static final String LONG_127 = "a".repeat(127);

    private static LogRecord reg(UnaryOperator<RegisterBroker.Builder> f) {
        return Records.wrap(f.apply(Records.registerBuilder("c1", "b1", 0, "10.0.0.1:10911", Records.topic("T0"),
                Records.topic("T1"), Records.topic("T2"), Records.topic("T3"))).build());
    }

    private static void invalid(LogRecord r, String expected) {
        Optional<String> msg = RecordValidator.validate(r);
        assertTrue(msg.isPresent(), "expected invalid: " + expected);
        assertEquals(expected, msg.get());
    }

    private static void invalidContaining(LogRecord r, String fragment) {
        Optional<String> msg = RecordValidator.validate(r);
        assertTrue(msg.isPresent(), "expected invalid: " + fragment);
        assertTrue(msg.get().contains(fragment), msg.get());
    }

    @Test
    void validRecordsPass() {
        assertEquals(Optional.empty(), RecordValidator.validate(reg(b -> b)));
        assertEquals(Optional.empty(), RecordValidator.validate(
                reg(b -> b.setBrokerId(1_000_000).setHaServerAddr("[::1]:10912").setCluster("Default.Cluster:1"))));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.unregister("b1", 0, "", 0)));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.deleteTopic("%RETRY%g|x-y_z", "")));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.putKv("ORDER_TOPIC_CONFIG", "k", "")));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.deleteKv("ns", "any key: ü/\u0000")));
        assertEquals(Optional.empty(),
                RecordValidator.validate(reg(b -> b.setBrokerName(LONG_127).setCluster(LONG_127))));
    }

    @Test
    void registerBrokerFieldRules() {
        invalid(reg(b -> b.setTopics(3, Records.topic("T3", -1, 4, 6))),
                "register_broker.topics[3].read_queue_nums must be in [0, 16384], got -1");
        invalid(reg(b -> b.setTopics(1, Records.topic("T1", 4, 16385, 6))),
                "register_broker.topics[1].write_queue_nums must be in [0, 16384], got 16385");
        invalid(reg(b -> b.setTopics(0, Records.topic("T0", 4, 4, 8))),
                "register_broker.topics[0].perm must be in [0, 7], got 8");
        invalid(reg(b -> b.setTopics(0, Records.topic("T0", 4, 4, -1))),
                "register_broker.topics[0].perm must be in [0, 7], got -1");
        invalid(reg(b -> b.setTopics(2, Records.topic("T2").toBuilder().setTopicSysFlag(-3).build())),
                "register_broker.topics[2].topic_sys_flag must be >= 0, got -3");
        invalid(reg(b -> b.setTopics(2, Records.topic(""))), "register_broker.topics[2].topic is required");
        invalid(reg(b -> b.setTopics(2, Records.topic(LONG_128))),
                "register_broker.topics[2].topic must be at most 127 characters, got 128");
        invalidContaining(reg(b -> b.setTopics(2, Records.topic("a/b"))),
                "register_broker.topics[2].topic contains invalid character '/' at position 1 (allowed: A-Z a-z 0-9 _ - . % | :)");
        invalidContaining(reg(b -> b.setTopics(2, Records.topic("a b"))),
                "register_broker.topics[2].topic contains invalid character U+0020");
        invalid(reg(b -> b.setTopics(3, Records.topic("T1"))),
                "register_broker.topics[3].topic 'T1' duplicates register_broker.topics[1]");
        invalid(reg(b -> b.setCluster("")), "register_broker.cluster is required");
        invalid(reg(b -> b.setCluster(LONG_128)), "register_broker.cluster must be at most 127 characters, got 128");
        invalidContaining(reg(b -> b.setCluster("c/1")), "register_broker.cluster contains invalid character '/'");
        invalid(reg(b -> b.setBrokerName("")), "register_broker.broker_name is required");
        invalid(reg(b -> b.setBrokerName(LONG_128)),
                "register_broker.broker_name must be at most 127 characters, got 128");
        invalid(reg(b -> b.setBrokerId(-1)), "register_broker.broker_id must be in [0, 1000000], got -1");
        invalid(reg(b -> b.setBrokerId(1_000_001)), "register_broker.broker_id must be in [0, 1000000], got 1000001");
        invalid(reg(b -> b.setBrokerAddr("")), "register_broker.broker_addr is required");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0.0.1")), "register_broker.broker_addr must be host:port");
        invalidContaining(reg(b -> b.setBrokerAddr(":10911")), "non-empty host");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0.0.1:0")), "port must be in [1, 65535], got 0");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0.0.1:65536")), "port must be in [1, 65535], got 65536");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0.0.1:")), "register_broker.broker_addr port");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0.0.1:12a")), "port must be a number");
        invalidContaining(reg(b -> b.setBrokerAddr("10.0 .0.1:1")), "host contains an invalid character");
        invalidContaining(reg(b -> b.setHaServerAddr("nohost")), "register_broker.ha_server_addr must be host:port");
        invalid(reg(b -> b.setDataVersionCounter(-1)), "register_broker.data_version_counter must be >= 0, got -1");
        invalid(reg(b -> b.setDataVersionTimestamp(-5)), "register_broker.data_version_timestamp must be >= 0, got -5");
    }

    @Test
    void otherRecordRules() {
        invalid(Records.unregister("", 0, "", 0), "unregister_broker.broker_name is required");
        invalid(Records.unregister("b1", -2, "", 0), "unregister_broker.broker_id must be in [0, 1000000], got -2");
        invalidContaining(Records.unregister("b1", 0, "bad", 0), "unregister_broker.broker_addr must be host:port");
        LogRecord badReason = Records.base()
                .setUnregisterBroker(UnregisterBroker.newBuilder().setBrokerName("b1").setReasonValue(77)).build();
        invalid(badReason, "unregister_broker.reason has unknown value 77");
        invalid(Records.deleteTopic("", ""), "delete_topic.topic is required");
        invalidContaining(Records.deleteTopic("t", "bad cluster"), "delete_topic.cluster contains invalid character");
        invalid(Records.putKv("", "k", "v"), "put_kv.namespace is required");
        invalid(Records.putKv("ns", "", "v"), "put_kv.key is required");
        invalid(Records.putKv("ns", "k".repeat(256), "v"), "put_kv.key must be at most 255 characters, got 256");
        invalid(Records.putKv("ns", "k", "v".repeat(65537)),
                "put_kv.value must be at most 65536 characters, got 65537");
        assertEquals(Optional.empty(), RecordValidator.validate(Records.putKv("ns", "k", "v".repeat(65536))));
        invalidContaining(Records.putKv("n\u0000s", "k", "v"), "put_kv.namespace contains invalid character U+0000");
        invalid(Records.deleteKv("ns", ""), "delete_kv.key is required");
        invalid(Records.putKv("ns", "a\uD800", "v"), "put_kv.key contains an unpaired surrogate at position 1");
        invalid(Records.putKv("ns", "k", "\uDC00x"), "put_kv.value contains an unpaired surrogate at position 0");
        assertEquals(Optional.empty(), RecordValidator.validate(Records.putKv("ns", "\uD83D\uDE00", "\uD83D\uDE00")));
        invalidContaining(reg(b -> b.setBrokerAddr("h\u00e9te:10911")), "host contains an invalid character");
        invalid(LogRecord.newBuilder().setFormatVersion(1).build(), "kind is required");
        invalid(Records.putKv("ns", "k", "v").toBuilder().setFormatVersion(3).build(),
                "format_version must be 1, got 3");
    }

    /**
     * A stock broker's default name is its host name, often a dotted FQDN, and it registers topics named after its
     * broker and cluster (4.9.x: the broker and cluster names, {@code <cluster>_REPLY_TOPIC}; 5.x adds
     * {@code rmq_sys_REVIVE_LOG_<cluster>}). A stock NameServer accepts all of them, so RNS must too.
     */
    @Test
    void dottedBrokerAndClusterNamesAreAcceptedAlsoAsTheTopicsABrokerRegistersForThem() {
        String broker = "broker.host1.example";
        String cluster = "cluster.dc1.example";
        LogRecord r = Records
                .wrap(Records
                        .registerBuilder(cluster, broker, 0, "10.0.0.1:10911", Records.topic(broker),
                                Records.topic(cluster), Records.topic(cluster + "_REPLY_TOPIC"),
                                Records.topic("rmq_sys_REVIVE_LOG_" + cluster), Records.topic("%RETRY%group.a:b"))
                        .build());
        assertEquals(Optional.empty(), RecordValidator.validate(r));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.unregister(broker, 0, "", 0)));
        assertEquals(Optional.empty(), RecordValidator.validate(Records.deleteTopic(broker, cluster)));
        assertEquals(Optional.of("t contains invalid character '/' at position 6 (allowed: A-Z a-z 0-9 _ - . % | :)"),
                RecordValidator.checkTopic("t", "broker/x"));
    }

    @Test
    void publicHelpers() {
        assertEquals(Optional.of("x is required"), RecordValidator.checkTopic("x", null));
        assertEquals(Optional.empty(), RecordValidator.checkTopic("x", "a".repeat(Limits.MAX_TOPIC_LENGTH)));
        assertEquals(Optional.empty(), RecordValidator.checkAddress("a", "broker-1.example.com:10911"));
        assertEquals(Optional.empty(), RecordValidator.checkAddress("a", "h:1"));
        assertEquals(Optional.empty(), RecordValidator.checkAddress("a", "h:65535"));
        assertTrue(RecordValidator.checkAddress("a", "h:99999999").isPresent());
        assertTrue(RecordValidator.checkAddress("a", "h:" + "1".repeat(300)).isPresent());
        assertEquals(Optional.empty(), RecordValidator.checkBrokerId("id", 0));
        assertEquals(Optional.of("id must be in [0, 1000000], got -1"), RecordValidator.checkBrokerId("id", -1));
        assertEquals(Optional.empty(), RecordValidator.checkQueueNums("q", 16384));
        assertEquals(Optional.empty(), RecordValidator.checkQueueNums("q", 0));
        assertEquals(Optional.of("q must be in [0, 16384], got 2147483647"),
                RecordValidator.checkQueueNums("q", Integer.MAX_VALUE));
        assertEquals(Optional.empty(), RecordValidator.checkPerm("p", 7));
        assertEquals(Optional.empty(), RecordValidator.checkSysFlag("s", 0));
        assertEquals(Optional.empty(), RecordValidator.checkKvValue("v", ""));
        assertEquals(Optional.empty(), RecordValidator.checkClusterName("c", "DefaultCluster"));
        assertEquals(Optional.of("b is required"), RecordValidator.checkBrokerName("b", ""));
        assertEquals(Optional.of("n is required"), RecordValidator.checkKvNamespace("n", ""));
        assertEquals(Optional.of("k is required"), RecordValidator.checkKvKey("k", null));
    }
}
