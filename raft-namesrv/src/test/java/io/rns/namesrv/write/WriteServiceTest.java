package io.rns.namesrv.write;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.UnregisterBroker;
import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.Role;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.WritePermChange;
import io.rns.statemachine.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write path on its own: request + image -> record or "no change" -> a sealed outcome, against a stand-in. */
class WriteServiceTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    InMemoryConsensus consensus;
    WriteService writes;

    @BeforeEach
    void setUp() {
        consensus = new InMemoryConsensus(dir);
        writes = new WriteService(consensus, consensus, consensus,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), true);
    }

    @AfterEach
    void tearDown() {
        consensus.close();
    }

    private static RegisterBrokerRequest broker(String name, String... topics) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder().setCluster("c1").setBrokerName(name)
                .setBrokerAddr("127.0.0.1:10911");
        for (String t : topics) {
            b.addTopics(TopicConfig.newBuilder().setTopic(t).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6));
        }
        return b.build();
    }

    private WriteOutcome.Applied applied(WriteOutcome o) {
        return assertInstanceOf(WriteOutcome.Applied.class, o);
    }

    @Test
    void aNewRegistrationIsProposedAndAppliedWithItsIndexAsEpoch() {
        WriteOutcome.Applied a = applied(writes.register(broker("b1", "t1"), 10_000, 1000).join());
        assertEquals(1, consensus.proposed.size());
        LogRecord rec = consensus.proposed.get(0);
        assertEquals(NOW, rec.getLeaderTimeMs(), "time enters as a field the leader put into the record");
        assertEquals(10_000, rec.getRegisterBroker().getLeaseTimeoutMs());
        assertEquals(a.index(), a.result().brokerEpoch(), "a registration's epoch is its log index");
        assertTrue(a.after().route("t1").isPresent(), "the outcome carries the image that includes the write");
        assertSame(consensus.image(), a.after());
    }

    @Test
    void anIdenticalRegistrationIsUnchangedAfterALeaseBarrierAndWritesNoEntry() {
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        int barriers = consensus.barriers;
        WriteOutcome o = writes.register(broker("b1", "t1"), 10_000, 1000).join();
        WriteOutcome.Unchanged u = assertInstanceOf(WriteOutcome.Unchanged.class, o);
        assertEquals(1, consensus.proposed.size(), "a heartbeat, not a log entry");
        assertEquals(barriers + 1, consensus.barriers, "'no change' is confirmed by a barrier");
        assertEquals(Boolean.TRUE, consensus.lastBarrierLease, "write.unchanged-barrier=LEASE");
        assertSame(consensus.image(), u.image());
    }

    @Test
    void aWriteAppliedDuringTheBarrierMakesTheNoChangeAnswerReChecked() {
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        long epoch = consensus.image().broker("b1", 0).orElseThrow().epoch();
        consensus.beforeBarrier = () -> writes.unregister(UnregisterBrokerRequest.newBuilder().setCluster("c1")
                .setBrokerName("b1").setBrokerAddr("127.0.0.1:10911").setBrokerEpoch(epoch).build(), 1000).join();
        WriteOutcome.Applied a = applied(writes.register(broker("b1", "t1"), 10_000, 1000).join());
        assertEquals(3, consensus.proposed.size(), "registration, the concurrent unregister, the re-registration");
        assertTrue(a.after().broker("b1", 0).isPresent());
    }

    @Test
    void aStaleEpochIsADeterministicRejectionNotAFailure() {
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        WriteOutcome o = writes.unregister(UnregisterBrokerRequest.newBuilder().setCluster("c1").setBrokerName("b1")
                .setBrokerAddr("127.0.0.1:10911").setBrokerEpoch(999).build(), 1000).join();
        WriteOutcome.Rejected r = assertInstanceOf(WriteOutcome.Rejected.class, o);
        assertEquals(RejectReason.STALE_BROKER_EPOCH, r.reason().reason());
        assertTrue(consensus.image().broker("b1", 0).isPresent(), "nothing changed");
    }

    @Test
    void anExpiryIsAConditionalExpiredUnregisterBuiltByTheRecordFactory() {
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        long epoch = consensus.image().broker("b1", 0).orElseThrow().epoch();
        WriteOutcome.Applied a = applied(writes.expire("c1", "b1", 0, "127.0.0.1:10911", epoch, 1000).join());
        UnregisterBroker u = consensus.proposed.get(1).getUnregisterBroker();
        assertEquals(UnregisterBroker.Reason.EXPIRED, u.getReason());
        assertEquals(epoch, u.getBrokerEpoch());
        assertFalse(a.after().broker("b1", 0).isPresent());
        // an expiry of an epoch that is no longer current loses the race and changes nothing
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        assertInstanceOf(WriteOutcome.Rejected.class,
                writes.expire("c1", "b1", 0, "127.0.0.1:10911", epoch, 1000).join());
        assertTrue(consensus.image().broker("b1", 0).isPresent());
    }

    @Test
    void adminWritesThatChangeNothingWriteNothing() {
        writes.register(broker("b1", "t1"), 10_000, 1000).join();
        int before = consensus.proposed.size();
        assertInstanceOf(WriteOutcome.Unchanged.class,
                writes.deleteTopic(DeleteTopicRequest.newBuilder().setTopic("nope").build(), 1000).join());
        assertInstanceOf(WriteOutcome.Unchanged.class,
                writes.kvDelete(KvDeleteRequest.newBuilder().setNamespace("ns").setKey("k").build(), 1000).join());
        applied(writes.kvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v").build(), 1000)
                .join());
        assertInstanceOf(WriteOutcome.Unchanged.class, writes
                .kvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v").build(), 1000).join());
        ChangeWritePermRequest wipe = ChangeWritePermRequest.newBuilder().setBrokerName("b1")
                .setChange(WritePermChange.WIPE_WRITE).build();
        applied(writes.changeWritePerm(wipe, 1000).join());
        assertInstanceOf(WriteOutcome.Unchanged.class, writes.changeWritePerm(wipe, 1000).join());
        assertEquals(before + 2, consensus.proposed.size(), "only the kv put and the first wipe were logged");
    }

    @Test
    void replicationFailuresFailTheFutureWithTheirKind() {
        consensus.role = Role.FOLLOWER;
        CompletionException e = assertThrows(CompletionException.class,
                () -> writes.register(broker("b1", "t1"), 10_000, 1000).join());
        ConsensusException c = assertInstanceOf(ConsensusException.class, e.getCause());
        assertEquals(ConsensusException.Kind.NOT_LEADER, c.kind());
    }

    @Test
    void anUnknownWritePermChangeIsRefusedBeforeAnythingIsProposed() {
        assertThrows(IllegalArgumentException.class, () -> writes.changeWritePerm(ChangeWritePermRequest.newBuilder()
                .setBrokerName("b1").setChange(WritePermChange.WRITE_PERM_CHANGE_UNSPECIFIED).build(), 1000));
        assertTrue(consensus.proposed.isEmpty());
    }
}
