package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.RaftOutter;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.google.protobuf.Message;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.PutKv;
import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jraft adapter: batches applied in one write, closures answered with results, corruption halts the replica. */
class RouteFsmTest {
    @TempDir
    Path dir;

    /** A scripted jraft Iterator over (index, bytes, closure) entries that records setErrorAndRollback. */
    static final class ScriptedIterator implements Iterator {
        final List<ByteBuffer> data = new ArrayList<>();
        final List<Closure> dones = new ArrayList<>();
        final long firstIndex;
        int pos;
        Long rolledBack;
        Status error;

        ScriptedIterator(long firstIndex) {
            this.firstIndex = firstIndex;
        }

        ScriptedIterator add(byte[] bytes, Closure done) {
            data.add(ByteBuffer.wrap(bytes));
            dones.add(done);
            return this;
        }

        @Override
        public ByteBuffer getData() {
            return data.get(pos);
        }

        @Override
        public long getIndex() {
            return firstIndex + pos;
        }

        @Override
        public long getTerm() {
            return 1;
        }

        @Override
        public Closure done() {
            return dones.get(pos);
        }

        @Override
        public void setAutoCommitPerLog(boolean status) {
        }

        @Override
        public boolean commit() {
            return false;
        }

        @Override
        public void commitAndSnapshotSync(Closure done) {
        }

        @Override
        public void setErrorAndRollback(long ntail, Status st) {
            rolledBack = ntail;
            error = st;
        }

        @Override
        public boolean hasNext() {
            return error == null && pos < data.size();
        }

        @Override
        public ByteBuffer next() {
            ByteBuffer b = data.get(pos);
            pos++;
            return b;
        }
    }

    static byte[] put(String key) {
        return LogRecords.encode(LogRecord.newBuilder().setFormatVersion(1)
                .setPutKv(PutKv.newBuilder().setNamespace("ns").setKey(key).setValue("v")).build());
    }

    @Test
    void appliesABatchAndAnswersTheLeadersClosuresWithTheirResults() {
        try (RouteStateMachine sm = RouteStateMachine.open(dir)) {
            RouteFsm fsm = new RouteFsm("n1", sm);
            ProposalClosure c1 = new ProposalClosure(Runnable::run);
            ProposalClosure c3 = new ProposalClosure(Runnable::run);
            ScriptedIterator it = new ScriptedIterator(1).add(put("a"), c1).add(put("b"), null).add(put("c"), c3);
            ByteBuffer original = it.data.get(0);
            fsm.onApply(it);
            assertNull(it.error);
            assertEquals(3, sm.appliedIndex());
            assertInstanceOf(ApplyResult.Applied.class, c1.future.join());
            assertEquals(3, c3.future.join().index());
            assertEquals(0, original.position(), "the entry's buffer must not be consumed (jraft re-sends it)");
            assertTrue(sm.image().kv("ns", "b").isPresent());
        }
    }

    @Test
    void anUndecodableEntryHaltsAfterApplyingTheEntriesBeforeIt() {
        try (RouteStateMachine sm = RouteStateMachine.open(dir)) {
            RouteFsm fsm = new RouteFsm("n1", sm);
            ProposalClosure c1 = new ProposalClosure(Runnable::run);
            ScriptedIterator it = new ScriptedIterator(1).add(put("a"), c1)
                    .add("not a record".getBytes(StandardCharsets.UTF_8), null).add(put("c"), null);
            fsm.onApply(it);
            assertNotNull(it.error, "corruption must halt the replica, never skip");
            assertEquals(1L, it.rolledBack, "only the corrupt entry is rolled back; the good one before it is applied");
            assertEquals(1, sm.appliedIndex());
            assertTrue(c1.future.isDone());
            assertTrue(sm.image().kv("ns", "c").isEmpty(), "nothing after the corrupt entry is applied");
            assertNotNull(fsm.haltReason());
            assertTrue(fsm.haltReason().contains("entry 2"), fsm.haltReason());
        }
    }

    /** A jraft SnapshotWriter over a directory that records the files registered with it. */
    static final class RecordingWriter extends SnapshotWriter {
        final Path path;
        final List<String> files = new CopyOnWriteArrayList<>();

        RecordingWriter(Path path) {
            this.path = path;
        }

        @Override
        public boolean saveMeta(RaftOutter.SnapshotMeta meta) {
            return true;
        }

        @Override
        public boolean addFile(String name, Message meta) {
            return files.add(name);
        }

        @Override
        public boolean removeFile(String name) {
            return files.remove(name);
        }

        @Override
        public void close(boolean keepDataOnError) {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean init(Void opts) {
            return true;
        }

        @Override
        public void shutdown() {
        }

        @Override
        public String getPath() {
            return path.toString();
        }

        @Override
        public Set<String> listFiles() {
            return new HashSet<>(files);
        }

        @Override
        public Message getFileMeta(String name) {
            return null;
        }
    }

    @Test
    void aSnapshotIsFinishedOffTheApplyThreadAndHoldsTheCheckpointedIndex() throws Exception {
        try (RouteStateMachine sm = RouteStateMachine.open(dir.resolve("store"))) {
            RouteFsm fsm = new RouteFsm("n1", sm);
            fsm.onApply(new ScriptedIterator(1).add(put("a"), null).add(put("b"), null));
            RecordingWriter writer = new RecordingWriter(dir.resolve("snap"));
            CompletableFuture<String> doneOn = new CompletableFuture<>();
            AtomicReference<Status> status = new AtomicReference<>();
            fsm.onSnapshotSave(writer, st -> {
                status.set(st);
                doneOn.complete(Thread.currentThread().getName());
            });
            // entries applied after the checkpoint are not in this snapshot
            fsm.onApply(new ScriptedIterator(3).add(put("c"), null));
            String thread = doneOn.get(30, TimeUnit.SECONDS);
            assertTrue(status.get().isOk(), status.get().toString());
            assertEquals("rns-snapshot-save-n1", thread,
                    "done must run on the snapshot thread, not jraft's FSM thread");
            assertEquals(RouteStateMachine.SNAPSHOT_MANIFEST, writer.files.get(0));
            assertTrue(writer.files.size() > 1, writer.files.toString());
            assertEquals(2, fsm.lastSnapshotIndex());
            fsm.onShutdown();

            try (RouteStateMachine restored = RouteStateMachine.open(dir.resolve("restored"))) {
                restored.loadSnapshot(dir.resolve("snap"));
                assertEquals(2, restored.appliedIndex());
                assertTrue(restored.image().kv("ns", "b").isPresent());
                assertTrue(restored.image().kv("ns", "c").isEmpty());
            }
        }
    }

    @Test
    void aStoreFailureHaltsAndRollsBackTheWholeBatch() {
        RouteStateMachine sm = RouteStateMachine.open(dir);
        RouteFsm fsm = new RouteFsm("n1", sm);
        sm.close(); // every write now fails inside the store
        ScriptedIterator it = new ScriptedIterator(1).add(put("a"), null).add(put("b"), null);
        fsm.onApply(it);
        assertNotNull(it.error);
        assertEquals(2L, it.rolledBack);
    }
}
