package io.rns.namesrv.api;

import io.rns.log.v1.LogRecord;
import io.rns.log.v1.PutKv;
import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.TestContexts;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.read.ReadService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.SaveSnapshotRequest;
import io.rns.rpc.v1.SaveSnapshotResponse;
import io.rns.statemachine.BackupFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** save_snapshot: chunking, the transfer table's bounds and expiry, and every refusal named. */
class SnapshotHandlersTest {
    @TempDir
    Path dir;

    private InMemoryConsensus consensus;
    private SnapshotHandlers handlers;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void setUp() {
        NamesrvConfig config = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 1001, 1002))).dataDir(dir).build();
        consensus = new InMemoryConsensus(dir.resolve("sm"));
        for (int i = 0; i < 200; i++) {
            consensus.propose(LogRecord.newBuilder().setFormatVersion(1)
                    .setPutKv(PutKv.newBuilder().setNamespace("ns").setKey("key-" + i).setValue("value-" + i)).build(),
                    1000).join();
        }
        // a 4 KiB frame limit: chunks of 512 bytes, so the backup takes many of them
        handlers = new SnapshotHandlers("n1", new ReadService(consensus, consensus, Consistency.LINEARIZABLE),
                new Responses(config, consensus), Runnable::run, consensus::exportBackup, 4096, now::get);
    }

    @AfterEach
    void tearDown() {
        consensus.close();
    }

    private ResponseEnvelope call(long transfer, long offset) {
        RequestEnvelope req = RequestEnvelope.newBuilder()
                .setSaveSnapshot(SaveSnapshotRequest.newBuilder().setTransferId(transfer).setOffset(offset)).build();
        try {
            return handlers.save(req, ctx(), 5000).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Test
    void chunksReassembleIntoTheBackup() {
        SaveSnapshotResponse first = call(0, 0).getSaveSnapshot();
        assertTrue(first.getTotalBytes() > 10 * 512, "many chunks: " + first.getTotalBytes());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        SaveSnapshotResponse r = first;
        while (true) {
            assertEquals(all.size(), r.getOffset());
            assertTrue(r.getData().size() <= 512, "chunk of " + r.getData().size());
            all.writeBytes(r.getData().toByteArray());
            if (all.size() == first.getTotalBytes()) {
                break;
            }
            r = call(first.getTransferId(), all.size()).getSaveSnapshot();
        }
        BackupFile.Info info = BackupFile.verify(all.toByteArray(), "test");
        assertEquals(consensus.appliedIndex(), info.appliedIndex());
        assertEquals(first.getSha256(), info.sha256());
        // a chunk can be asked again (a retry after a lost answer)
        assertArrayEquals(first.getData().toByteArray(),
                call(first.getTransferId(), 0).getSaveSnapshot().getData().toByteArray());
    }

    @Test
    void refusalsAreNamed() {
        long id = call(0, 0).getSaveSnapshot().getTransferId();
        long total = call(id, 0).getSaveSnapshot().getTotalBytes();
        assertRefused(() -> call(id, total + 1), ErrorCode.INVALID_ARGUMENT, "past the end");
        assertRefused(() -> call(0, 10), ErrorCode.INVALID_ARGUMENT, "offset must be 0");
        assertRefused(() -> call(id + 1, 0), ErrorCode.INVALID_ARGUMENT, "unknown or expired");
        // a second transfer fits, a third does not (memory stays bounded), until one expires
        call(0, 0);
        assertRefused(() -> call(0, 0), ErrorCode.OVERLOADED, "already serving 2 backups");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(SnapshotHandlers.TTL_MS + 1));
        assertRefused(() -> call(id, 0), ErrorCode.INVALID_ARGUMENT, "unknown or expired");
        assertEquals(0, call(0, 0).getSaveSnapshot().getOffset(), "slots free again after the TTL");
    }

    private static void assertRefused(Runnable call, ErrorCode code, String text) {
        RnsException e = assertThrows(RnsException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static InboundContext ctx() {
        return TestContexts.from("127.0.0.1:1");
    }
}
