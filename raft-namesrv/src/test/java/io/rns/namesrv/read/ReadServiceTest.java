package io.rns.namesrv.read;

import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.namesrv.leaderless.LeaderlessConsensus;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ReadOptions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadServiceTest {
    @TempDir
    Path dir;

    @Test
    void leaderlessServesUnspecifiedAsStaleAndRefusesEveryStrongerLevel() {
        try (InMemoryConsensus c = new InMemoryConsensus(dir)) {
            c.onlyLocalReadsReason = LeaderlessConsensus.ONLY_LOCAL_READS;
            ReadService reads = new ReadService(c, c, Consistency.LINEARIZABLE);
            assertEquals(Consistency.STALE, reads.read(ReadOptions.getDefaultInstance(), 1000).join().served());
            for (Consistency level : new Consistency[]{Consistency.LINEARIZABLE, Consistency.LEASE,
                    Consistency.SEQUENTIAL}) {
                CompletionException e = Assertions.assertThrows(CompletionException.class,
                        () -> reads.read(ReadOptions.newBuilder().setConsistency(level).build(), 1000).join());
                RnsException api = (RnsException) e.getCause();
                assertEquals(ErrorCode.CONSISTENCY_NOT_SUPPORTED, api.code());
                assertTrue(api.getMessage().contains("leaderless"));
            }
        }
    }

    @Test
    void raftModeUsesTheConfiguredDefault() {
        try (InMemoryConsensus c = new InMemoryConsensus(dir)) {
            assertEquals(Consistency.LEASE, new ReadService(c, c, Consistency.LEASE)
                    .read(ReadOptions.getDefaultInstance(), 1000).join().served());
        }
    }

    @Test
    void theTestOnlyUnsafePathSkipsTheBarrierAndMislabels() {
        try (InMemoryConsensus c = new InMemoryConsensus(dir)) {
            c.barrierFailure = new ConsensusException(ConsensusException.Kind.NO_QUORUM, "cut off");
            ReadOptions lin = ReadOptions.newBuilder().setConsistency(Consistency.LINEARIZABLE).build();
            // the safe path fails without quorum ...
            Assertions.assertThrows(CompletionException.class,
                    () -> new ReadService(c, c, Consistency.LINEARIZABLE).read(lin, 1000).join());
            // ... the deliberately unsafe one answers anyway and claims LINEARIZABLE: the lie the chaos checker must
            // catch
            assertEquals(Consistency.LINEARIZABLE,
                    new ReadService(c, c, Consistency.LINEARIZABLE, true).read(lin, 1000).join().served());
        }
    }

    @Test
    void onlyAReadThatResolvesToStaleIsAnsweredAtOnce() {
        try (InMemoryConsensus c = new InMemoryConsensus(dir)) {
            ReadService raft = new ReadService(c, c, Consistency.LINEARIZABLE);
            assertTrue(raft.answersAtOnce(ReadOptions.newBuilder().setConsistency(Consistency.STALE).build()));
            assertTrue(raft.answersAtOnce(
                    ReadOptions.newBuilder().setConsistency(Consistency.STALE).setMaxStalenessMs(500).build()));
            for (Consistency level : new Consistency[]{Consistency.LINEARIZABLE, Consistency.LEASE,
                    Consistency.SEQUENTIAL}) {
                assertFalse(raft.answersAtOnce(ReadOptions.newBuilder().setConsistency(level).build()), level.name());
            }
            assertFalse(raft.answersAtOnce(ReadOptions.getDefaultInstance()), "the default here is LINEARIZABLE");
            assertFalse(raft.answersAtOnce(ReadOptions.newBuilder().setConsistencyValue(99).build()),
                    "an unknown level takes the normal path to its refusal");
            assertTrue(new ReadService(c, c, Consistency.STALE).answersAtOnce(ReadOptions.getDefaultInstance()));
            c.onlyLocalReadsReason = LeaderlessConsensus.ONLY_LOCAL_READS;
            assertTrue(new ReadService(c, c, Consistency.LINEARIZABLE).answersAtOnce(ReadOptions.getDefaultInstance()),
                    "leaderless serves an unspecified level STALE");
        }
    }
}
