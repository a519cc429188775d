package io.rns.namesrv.api;

import com.google.protobuf.ByteString;
import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.read.ReadService;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.SaveSnapshotRequest;
import io.rns.rpc.v1.SaveSnapshotResponse;
import io.rns.statemachine.BackupFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code save_snapshot}: a backup taken after a read barrier at the request's level, kept in memory and handed out in
 * chunks by transfer id. At most {@link #MAX_TRANSFERS} transfers are kept; each for {@link #TTL_MS} after its last
 * request. A third one while two are live is refused OVERLOADED (retriable): backups are rare, and memory is bounded.
 */
final class SnapshotHandlers {
    private static final Logger log = LoggerFactory.getLogger(SnapshotHandlers.class);
    static final int MAX_TRANSFERS = 2;
    static final long TTL_MS = 60_000;
    private static final int MAX_CHUNK = 1 << 20;

    private final String nodeId;
    private final ReadService reads;
    private final Responses responses;
    private final Executor executor;
    private final BackupSource source;
    private final int chunkBytes;
    private final LongSupplier nanos;
    private final SecureRandom ids = new SecureRandom();
    private final Map<Long, Transfer> transfers = new HashMap<>();

    /** One backup being downloaded. */
    private static final class Transfer {
        final long id;
        final byte[] bytes;
        final BackupFile.Info info;
        final Consistency served;
        long lastUsedNanos;

        Transfer(long id, byte[] bytes, BackupFile.Info info, Consistency served, long now) {
            this.id = id;
            this.bytes = bytes;
            this.info = info;
            this.served = served;
            this.lastUsedNanos = now;
        }
    }

    SnapshotHandlers(String nodeId, ReadService reads, Responses responses, Executor executor, BackupSource source,
            int maxFrameBytes, LongSupplier nanos) {
        this.nodeId = nodeId;
        this.reads = reads;
        this.responses = responses;
        this.executor = executor;
        this.source = source;
        this.chunkBytes = Math.max(512, Math.min(MAX_CHUNK, maxFrameBytes - 4096));
        this.nanos = nanos;
    }

    CompletableFuture<ResponseEnvelope> save(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        SaveSnapshotRequest r = req.getSaveSnapshot();
        if (r.getTransferId() == 0) {
            if (r.getOffset() != 0) {
                throw RnsException.invalid("save_snapshot.offset must be 0 when starting a transfer (transfer_id 0)");
            }
            requireSlot();
            return reads.read(req.getRead(), timeoutMs, ctx::isConnectionOpen).thenCompose(view -> {
                try {
                    return CompletableFuture.supplyAsync(() -> start(view.served(), ctx), executor);
                } catch (RejectedExecutionException full) {
                    return CompletableFuture.failedFuture(full);
                }
            });
        }
        Transfer t = find(r.getTransferId());
        if (r.getOffset() > t.bytes.length) {
            throw RnsException.invalid("save_snapshot.offset " + r.getOffset() + " is past the end of transfer "
                    + Long.toUnsignedString(t.id) + " (" + t.bytes.length + " bytes)");
        }
        return CompletableFuture.completedFuture(chunk(t, (int) r.getOffset()));
    }

    private ResponseEnvelope start(Consistency served, InboundContext ctx) {
        long started = nanos.getAsLong();
        byte[] bytes = source.export();
        BackupFile.Info info = BackupFile.verify(bytes, "built by node " + nodeId); // our own bytes: a bug if bad
        Transfer t;
        synchronized (transfers) {
            requireSlot();
            long id;
            do {
                id = ids.nextLong();
            } while (id == 0 || transfers.containsKey(id));
            t = new Transfer(id, bytes, info, served, nanos.getAsLong());
            transfers.put(id, t);
        }
        log.info(
                "node {}: backup transfer {} for {}: {} bytes, {} entries, applied index {}, served {}, sha256 {},"
                        + " built in {} ms",
                nodeId, Long.toUnsignedString(t.id), ctx.remoteAddress(), bytes.length, info.entries(),
                info.appliedIndex(), served, info.sha256(), TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong() - started));
        return chunk(t, 0);
    }

    private ResponseEnvelope chunk(Transfer t, int offset) {
        int n = Math.min(chunkBytes, t.bytes.length - offset);
        SaveSnapshotResponse.Builder b = SaveSnapshotResponse.newBuilder().setTransferId(t.id).setOffset(offset)
                .setData(ByteString.copyFrom(t.bytes, offset, n)).setTotalBytes(t.bytes.length)
                .setAppliedIndex(t.info.appliedIndex()).setSha256(t.info.sha256());
        if (offset + n == t.bytes.length) {
            log.info("node {}: backup transfer {}: last chunk sent ({} bytes in all)", nodeId,
                    Long.toUnsignedString(t.id), t.bytes.length);
        }
        return responses.ok(ResponseEnvelope.newBuilder().setSaveSnapshot(b), t.served);
    }

    /** Refuses when no slot is free: before the barrier (early), and again when the backup is stored. */
    private void requireSlot() {
        synchronized (transfers) {
            expire();
            if (transfers.size() >= MAX_TRANSFERS) {
                throw overloaded();
            }
        }
    }

    private Transfer find(long id) {
        synchronized (transfers) {
            expire();
            Transfer t = transfers.get(id);
            if (t == null) {
                throw RnsException.invalid("save_snapshot.transfer_id " + Long.toUnsignedString(id)
                        + " is unknown or expired on node " + nodeId + " (a transfer is kept " + TTL_MS / 1000
                        + " s after its last request, on the node that started it); start the backup again");
            }
            t.lastUsedNanos = nanos.getAsLong();
            return t;
        }
    }

    private void expire() {
        long now = nanos.getAsLong();
        transfers.values().removeIf(t -> now - t.lastUsedNanos > TimeUnit.MILLISECONDS.toNanos(TTL_MS));
    }

    private RnsException overloaded() {
        return new RnsException(ErrorCode.OVERLOADED, "node " + nodeId + " is already serving " + MAX_TRANSFERS
                + " backups (each kept " + TTL_MS / 1000 + " s after its last request); try again later");
    }
}
