package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.rns.statemachine.Records.deleteKv;
import static io.rns.statemachine.Records.deleteTopic;
import static io.rns.statemachine.Records.putKv;
import static io.rns.statemachine.Records.register;
import static io.rns.statemachine.Records.topic;
import static io.rns.statemachine.Records.unregister;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplySemanticsTest extends StateMachineTestSupport {

    @Test
    void emptyImage() {
        RouteImage img = sm.image();
        assertEquals(0, img.appliedIndex());
        assertEquals(0, img.topicCount());
        assertEquals(0, img.brokerCount());
        assertTrue(img.topics().isEmpty());
        assertTrue(img.clusters().isEmpty());
        assertTrue(img.route("T").isEmpty());
        assertEquals(RouteImage.empty(), img);
    }

    @Test
    void registerMasterCreatesGroupTopicsAndCluster() {
        ApplyResult.Applied a = applied(Records.wrap(Records
                .registerBuilder("c1", "b1", 0, "10.0.0.1:10911", topic("T1", 8, 8, 6), topic("T2", 2, 4, 4))
                .setHaServerAddr("10.0.0.1:10912").setDataVersionTimestamp(42).setDataVersionCounter(7).build()));
        assertEquals(new ApplyResult.Applied(1, 1, false), a);
        RouteImage img = sm.image();
        assertEquals(1, img.appliedIndex());
        assertEquals(new TreeSet<>(List.of("T1", "T2")), img.topics());
        assertEquals(2, img.topicCount());
        assertEquals(1, img.brokerCount());
        assertEquals(Map.of("c1", new TreeSet<>(Set.of("b1"))), img.clusters());
        BrokerMember m = img.broker("b1", 0).orElseThrow();
        assertEquals(new BrokerMember("c1", "b1", 0, "10.0.0.1:10911", "10.0.0.1:10912", 42, 7, 1, Records.TIME, 0), m);
        TopicRouteView route = img.route("T1").orElseThrow();
        assertEquals("T1", route.topic());
        assertEquals(Map.of("b1", new QueueConfig(8, 8, 6, 0)), route.queues());
        assertEquals(List.of(img.brokerGroups().get("b1")), route.brokers());
        assertEquals(new QueueConfig(2, 4, 4, 0), img.route("T2").orElseThrow().queues().get("b1"));
    }

    @Test
    void masterTopicsMergeAndUnmentionedTopicsAreKept() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1", 8, 8, 6), topic("T2")));
        ApplyResult.Applied again = applied(Records
                .wrap(Records.registerBuilder("c1", "b1", 0, "10.0.0.1:10911", topic("T1", 16, 16, 6), topic("T3"))
                        .setDataVersionCounter(2).build()));
        assertEquals(new ApplyResult.Applied(2, 2, true), again);
        RouteImage img = sm.image();
        assertEquals(new TreeSet<>(List.of("T1", "T2", "T3")), img.topics());
        assertEquals(new QueueConfig(16, 16, 6, 0), img.route("T1").orElseThrow().queues().get("b1"));
        assertEquals(new QueueConfig(4, 4, 6, 0), img.route("T2").orElseThrow().queues().get("b1"));
        assertEquals(2, img.broker("b1", 0).orElseThrow().epoch());
        // a second broker name serving the same topic
        applied(register("c1", "b2", 0, "10.0.0.2:10911", topic("T1", 2, 2, 6)));
        TopicRouteView route = sm.image().route("T1").orElseThrow();
        assertEquals(List.of("b1", "b2"), new ArrayList<>(route.queues().keySet()));
        assertEquals(List.of("b1", "b2"), route.brokers().stream().map(BrokerGroup::brokerName).toList());
    }

    @Test
    void slaveTopicsAreIgnored() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1")));
        ApplyResult.Applied s = applied(
                register("c1", "b1", 1, "10.0.0.11:10911", topic("T1", 99, 99, 2), topic("SLAVE_ONLY")));
        assertEquals(new ApplyResult.Applied(2, 2, false), s);
        RouteImage img = sm.image();
        assertEquals(Set.of("T1"), img.topics());
        assertEquals(new QueueConfig(4, 4, 6, 0), img.route("T1").orElseThrow().queues().get("b1"));
        assertEquals(2, img.brokerCount());
        assertEquals(List.of(0L, 1L), new ArrayList<>(img.brokerGroups().get("b1").members().keySet()));
        // a slave alone creates its group, but no topics
        applied(register("c1", "b9", 1, "10.0.0.91:10911", topic("T9")));
        assertEquals(Set.of("T1"), sm.image().topics());
        assertTrue(sm.image().broker("b9", 1).isPresent());
    }

    @Test
    void sameAddressOtherIdIsReplaced() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1")));
        applied(register("c1", "b1", 1, "10.0.0.2:10911"));
        // the master fails over: the slave's process (same address) now registers as id 0
        applied(register("c1", "b1", 0, "10.0.0.2:10911", topic("T1")));
        RouteImage img = sm.image();
        assertEquals(List.of(0L), new ArrayList<>(img.brokerGroups().get("b1").members().keySet()));
        assertEquals("10.0.0.2:10911", img.broker("b1", 0).orElseThrow().addr());
        assertEquals(1, img.brokerCount());
        // and the other way round: a new id on the master's address evicts the master entry
        applied(register("c1", "b1", 2, "10.0.0.2:10911"));
        assertEquals(List.of(2L), new ArrayList<>(sm.image().brokerGroups().get("b1").members().keySet()));
        // queues stay, because the group still exists
        assertEquals(Set.of("T1"), sm.image().topics());
    }

    @Test
    void groupWithOnlyTheSameIdMovesToAnotherCluster() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1")));
        applied(register("c1", "b2", 0, "10.0.0.2:10911", topic("T2")));
        ApplyResult.Applied moved = applied(register("c2", "b1", 0, "10.0.0.1:10911", topic("T1")));
        assertTrue(moved.existed());
        RouteImage img = sm.image();
        assertEquals("c2", img.brokerGroups().get("b1").cluster());
        assertEquals("c2", img.broker("b1", 0).orElseThrow().cluster());
        SortedMap<String, SortedSet<String>> expected = new TreeMap<>();
        expected.put("c1", new TreeSet<>(Set.of("b2")));
        expected.put("c2", new TreeSet<>(Set.of("b1")));
        assertEquals(expected, img.clusters());
        assertEquals(Set.of("T1"), img.topicsOfCluster("c2"));
        assertEquals(Set.of("T2"), img.topicsOfCluster("c1"));
    }

    @Test
    void derivedClustersAndTopicsOfCluster() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("A"), topic("SHARED")));
        applied(register("c1", "b2", 0, "10.0.0.2:10911", topic("B")));
        applied(register("c2", "b3", 0, "10.0.0.3:10911", topic("C"), topic("SHARED")));
        applied(register("c3", "b4", 1, "10.0.0.4:10911", topic("IGNORED")));
        RouteImage img = sm.image();
        assertEquals(Set.of("c1", "c2", "c3"), img.clusters().keySet());
        assertEquals(Set.of("b1", "b2"), img.clusters().get("c1"));
        assertEquals(Set.of("A", "B", "SHARED"), img.topicsOfCluster("c1"));
        assertEquals(Set.of("C", "SHARED"), img.topicsOfCluster("c2"));
        assertEquals(Set.of(), img.topicsOfCluster("c3"));
        assertEquals(Set.of(), img.topicsOfCluster("nope"));
        // unregistering the last member of c3 removes the cluster
        applied(unregister("b4", 1, "", 0));
        assertFalse(sm.image().clusters().containsKey("c3"));
    }

    @Test
    void unregisterRemovesMemberThenGroupAndItsQueues() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("ONLY_B1"), topic("SHARED")));
        applied(register("c1", "b1", 1, "10.0.0.11:10911"));
        applied(register("c1", "b2", 0, "10.0.0.2:10911", topic("SHARED")));
        // removing the master keeps the group (slave left) and its queues
        assertEquals(new ApplyResult.Applied(4, 0, true), applied(unregister("b1", 0, "10.0.0.1:10911", 1)));
        RouteImage img = sm.image();
        assertTrue(img.broker("b1", 0).isEmpty());
        assertTrue(img.broker("b1", 1).isPresent());
        assertEquals(Set.of("ONLY_B1", "SHARED"), img.topics());
        // removing the last member removes the group and its queues; topics without queues disappear
        assertEquals(new ApplyResult.Applied(5, 0, true), applied(unregister("b1", 1, "", 0)));
        img = sm.image();
        assertFalse(img.brokerGroups().containsKey("b1"));
        assertEquals(Set.of("SHARED"), img.topics());
        assertEquals(Set.of("b2"), img.route("SHARED").orElseThrow().queues().keySet());
        assertEquals(Set.of("b2"), img.clusters().get("c1"));
        assertEquals(1, img.brokerCount());
    }

    @Test
    void unregisterWithMatchingEpochAndAddress() {
        ApplyResult.Applied reg = applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1")));
        assertTrue(applied(unregister("b1", 0, "10.0.0.1:10911", reg.brokerEpoch())).existed());
        assertEquals(0, sm.image().brokerCount());
        assertEquals(0, sm.image().topicCount());
    }

    @Test
    void deleteTopicEverywhereAndPerCluster() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T"), topic("U")));
        applied(register("c1", "b2", 0, "10.0.0.2:10911", topic("T")));
        applied(register("c2", "b3", 0, "10.0.0.3:10911", topic("T"), topic("U")));
        // per cluster: only c1's queues go
        assertTrue(applied(deleteTopic("T", "c1")).existed());
        assertEquals(Set.of("b3"), sm.image().route("T").orElseThrow().queues().keySet());
        // again: nothing of c1 is left
        assertFalse(applied(deleteTopic("T", "c1")).existed());
        // unknown cluster
        assertFalse(applied(deleteTopic("U", "c9")).existed());
        assertEquals(Set.of("b1", "b3"), sm.image().route("U").orElseThrow().queues().keySet());
        // the last cluster's queues go: the topic disappears
        assertTrue(applied(deleteTopic("T", "c2")).existed());
        assertTrue(sm.image().route("T").isEmpty());
        // everywhere
        assertTrue(applied(deleteTopic("U", "")).existed());
        assertTrue(sm.image().route("U").isEmpty());
        assertFalse(applied(deleteTopic("U", "")).existed());
        assertEquals(0, sm.image().topicCount());
        // the brokers are untouched
        assertEquals(3, sm.image().brokerCount());
    }

    @Test
    void kvPutAndDelete() {
        assertFalse(applied(putKv("ns1", "k1", "v1")).existed());
        assertTrue(applied(putKv("ns1", "k1", "v2")).existed());
        assertFalse(applied(putKv("ns1", "k0", "")).existed());
        assertFalse(applied(putKv("ns2", "k1", "x")).existed());
        RouteImage img = sm.image();
        assertEquals("v2", img.kv("ns1", "k1").orElseThrow());
        assertEquals("", img.kv("ns1", "k0").orElseThrow());
        assertEquals(List.of("k0", "k1"), new ArrayList<>(img.kvNamespace("ns1").keySet()));
        assertEquals(Set.of("ns1", "ns2"), img.kvNamespaces());
        assertTrue(applied(deleteKv("ns2", "k1")).existed());
        assertFalse(applied(deleteKv("ns2", "k1")).existed());
        assertFalse(applied(deleteKv("nsX", "k1")).existed());
        img = sm.image();
        assertTrue(img.kv("ns2", "k1").isEmpty());
        assertTrue(img.kvNamespace("ns2").isEmpty());
        assertEquals(Set.of("ns1"), img.kvNamespaces());
    }

    @Test
    void imagesAreImmutableAndOldImagesStayValid() {
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T1")));
        RouteImage before = sm.image();
        applied(register("c1", "b1", 0, "10.0.0.1:10911", topic("T2")));
        applied(putKv("ns", "k", "v"));
        assertEquals(Set.of("T1"), before.topics());
        assertEquals(1, before.appliedIndex());
        assertTrue(before.kv("ns", "k").isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> before.topics().add("X"));
        assertThrows(UnsupportedOperationException.class,
                () -> before.route("T1").orElseThrow().queues().put("x", new QueueConfig(1, 1, 1, 0)));
        assertThrows(UnsupportedOperationException.class, () -> before.brokerGroups().remove("b1"));
        assertThrows(UnsupportedOperationException.class, () -> before.brokerGroups().get("b1").members().clear());
        assertThrows(UnsupportedOperationException.class, () -> sm.image().kvNamespace("ns").clear());
        // an unchanged group object is shared between images
        assertSame(before.brokerGroups().get("b1"), before.brokerGroups().get("b1"));
        RouteImage afterKv = sm.image();
        applied(putKv("ns", "k2", "v"));
        assertSame(afterKv.brokerGroups(), sm.image().brokerGroups());
    }

    @Test
    void listenersSeeEveryPublishedImage() {
        List<Long> seen = new ArrayList<>();
        sm.addImageListener(img -> seen.add(img.appliedIndex()));
        applied(putKv("ns", "k", "v"));
        sm.applyBatch(List.of(new LogEntry(2, putKv("ns", "a", "1")), new LogEntry(3, putKv("ns", "b", "2"))));
        assertEquals(List.of(1L, 3L), seen);
        // an all-skipped batch publishes nothing
        sm.applyBatch(List.of(new LogEntry(3, putKv("ns", "b", "2"))));
        assertEquals(List.of(1L, 3L), seen);
    }

    @Test
    void batchIndexesMustIncrease() {
        StateMachineException e = assertThrows(StateMachineException.class, () -> sm
                .applyBatch(List.of(new LogEntry(5, putKv("ns", "a", "1")), new LogEntry(5, putKv("ns", "b", "1")))));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        assertThrows(StateMachineException.class, () -> sm
                .applyBatch(List.of(new LogEntry(5, putKv("ns", "a", "1")), new LogEntry(4, putKv("ns", "b", "1")))));
        assertEquals(0, sm.appliedIndex());
        assertEquals(RouteImage.empty(), sm.image());
    }

    @Test
    void corruptRecordInABatchWritesAndPublishesNothing() {
        applied(putKv("ns", "k", "v"));
        RouteImage before = sm.image();
        var storeBefore = Records.storeContents(sm);
        assertThrows(CorruptRecordException.class, () -> sm.applyBatch(List.of(new LogEntry(2, putKv("ns", "a", "1")),
                new LogEntry(3, putKv("ns", "b", "1").toBuilder().setFormatVersion(9).build()))));
        assertThrows(CorruptRecordException.class,
                () -> sm.apply(new LogEntry(2, LogRecord.newBuilder().setFormatVersion(1).build())));
        assertSame(before, sm.image());
        assertEquals(storeBefore, Records.storeContents(sm));
        // the machine is still usable for the same indexes
        applied(putKv("ns", "a", "1"));
        assertEquals(2, sm.appliedIndex());
    }

    @Test
    void closedMachineRefusesWork() {
        sm.close();
        assertThrows(StateMachineException.class, () -> sm.apply(new LogEntry(1, putKv("ns", "k", "v"))));
        sm.close(); // idempotent
    }
}
