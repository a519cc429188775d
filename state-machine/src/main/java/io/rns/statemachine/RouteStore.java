package io.rns.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rns.store.v1.StoreMeta;
import io.rns.store.v1.StoredBrokerGroup;
import io.rns.store.v1.StoredKv;
import io.rns.store.v1.StoredMember;
import io.rns.store.v1.StoredQueue;
import io.rns.store.v1.StoredSession;
import io.rns.store.v1.StoredTombstone;
import io.rns.store.v1.StoredTopic;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The state machine's RocksDB. Key layout (one byte prefix + UTF-8):
 * <ul>
 *   <li>{@code M} -> {@link StoreMeta} (format version, applied index);</li>
 *   <li>{@code T<topic>} -> {@link StoredTopic} (queues sorted by broker name);</li>
 *   <li>{@code B<brokerName>} -> {@link StoredBrokerGroup} (members sorted by id);</li>
 *   <li>{@code K<namespace>\0<key>} -> {@link StoredKv} (namespaces cannot contain NUL);</li>
 *   <li>{@code S<8-byte big-endian id>} -> {@link StoredSession} (client sessions, see {@link DedupTable});</li>
 *   <li>{@code X<brokerName>\0<8-byte big-endian id>} -> {@link StoredTombstone} (see {@link Tombstone}).</li>
 * </ul>
 * Values are a pure function of the state, so replicas hold byte-identical key/value contents. WAL on, sync off: the
 * Raft log is the source of truth and replays entries above the stored applied index after a crash; RocksDB recovers
 * to a consistent prefix of its WAL, and the applied index is in the same WriteBatch as the data.
 */
final class RouteStore implements AutoCloseable {
    static final int STORE_FORMAT_VERSION = 1;
    private static final byte META = 'M';
    private static final byte TOPIC = 'T';
    private static final byte GROUP = 'B';
    private static final byte KV = 'K';
    private static final byte SESSION = 'S';
    private static final byte TOMBSTONE = 'X';
    private static final byte[] META_KEY = {META};

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;

    private RouteStore(Path dir, Options options, WriteOptions writeOptions, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    static RouteStore open(Path dir) {
        Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(4);
        WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
        try {
            RocksDB db = RocksDB.open(options, dir.toString());
            return new RouteStore(dir, options, writeOptions, db);
        } catch (RocksDBException e) {
            writeOptions.close();
            options.close();
            throw new StateMachineException("cannot open state-machine store at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing store read only (offline inspection; works next to a running node, which holds the write
     * lock, and then shows its last flushed state).
     */
    static RouteStore openReadOnly(Path dir) {
        if (!java.nio.file.Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new StateMachineException("no state-machine store at " + dir + " (no RocksDB CURRENT file)");
        }
        Options options = new Options().setCreateIfMissing(false);
        WriteOptions writeOptions = new WriteOptions();
        try {
            return new RouteStore(dir, options, writeOptions, RocksDB.openReadOnly(options, dir.toString()));
        } catch (RocksDBException e) {
            writeOptions.close();
            options.close();
            throw new StateMachineException(
                    "cannot open state-machine store at " + dir + " read-only: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Writes raw keys and values (a restore into a new store) in batches, then flushes them to SST files. */
    void putAll(Iterable<byte[][]> entries) {
        try (WriteBatch batch = new WriteBatch(); FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (byte[][] e : entries) {
                batch.put(e[0], e[1]);
                if (batch.count() >= 10_000) {
                    db.write(writeOptions, batch);
                    batch.clear();
                }
            }
            db.write(writeOptions, batch);
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new StateMachineException("cannot write state-machine store at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A RocksDB integer property ({@code rocksdb.estimate-num-keys}, ...); -1 if RocksDB does not answer. */
    long longProperty(String name) {
        try {
            return db.getLongProperty(name);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Reads every block of every SST file and checks its checksum (RocksDB's own). */
    void verifyChecksums() {
        try {
            db.verifyChecksum();
        } catch (RocksDBException e) {
            throw new StateMachineException("state-machine store at " + dir + " fails its checksums: " + e.getMessage(),
                    e);
        }
    }

    /** Reads the whole store into an image. */
    RouteImage load() {
        long applied = 0;
        boolean sawMeta = false;
        TopicMap.Builder<SortedMap<String, QueueConfig>> topics = TopicMap.<SortedMap<String, QueueConfig>>empty()
                .toBuilder();
        TreeMap<String, BrokerGroup> groups = new TreeMap<>();
        TreeMap<String, SortedMap<String, String>> kv = new TreeMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] value = it.value();
                switch (key[0]) {
                    case META -> {
                        StoreMeta meta = StoreMeta.parseFrom(value);
                        if (meta.getFormatVersion() != STORE_FORMAT_VERSION) {
                            throw new StateMachineException("store at " + dir + " has format version "
                                    + meta.getFormatVersion() + ", this code understands " + STORE_FORMAT_VERSION);
                        }
                        applied = meta.getAppliedIndex();
                        sawMeta = true;
                    }
                    case TOPIC -> {
                        StoredTopic t = StoredTopic.parseFrom(value);
                        TreeMap<String, QueueConfig> queues = new TreeMap<>();
                        for (StoredQueue q : t.getQueuesList()) {
                            queues.put(q.getBrokerName(), new QueueConfig(q.getReadQueueNums(), q.getWriteQueueNums(),
                                    q.getPerm(), q.getTopicSysFlag()));
                        }
                        topics.put(t.getTopic(), Collections.unmodifiableSortedMap(queues));
                    }
                    case GROUP -> {
                        StoredBrokerGroup g = StoredBrokerGroup.parseFrom(value);
                        TreeMap<Long, BrokerMember> members = new TreeMap<>();
                        for (StoredMember m : g.getMembersList()) {
                            members.put(m.getBrokerId(),
                                    new BrokerMember(g.getCluster(), g.getBrokerName(), m.getBrokerId(), m.getAddr(),
                                            m.getHaAddr(), m.getDataVersionTimestamp(), m.getDataVersionCounter(),
                                            m.getEpoch(), m.getRegisteredAtMs(), m.getLeaseTimeoutMs()));
                        }
                        groups.put(g.getBrokerName(), new BrokerGroup(g.getCluster(), g.getBrokerName(), members));
                    }
                    case KV -> {
                        StoredKv e = StoredKv.parseFrom(value);
                        kv.computeIfAbsent(e.getNamespace(), n -> new TreeMap<>()).put(e.getKey(), e.getValue());
                    }
                    case SESSION, TOMBSTONE -> {
                        // read by loadDedup
                    }
                    default -> throw new StateMachineException(
                            "store at " + dir + " has a key with unknown prefix " + (key[0] & 0xff));
                }
            }
            it.status();
        } catch (InvalidProtocolBufferException e) {
            throw new StateMachineException("store at " + dir + " holds an undecodable value: " + e.getMessage(), e);
        } catch (RocksDBException e) {
            throw new StateMachineException("cannot read state-machine store at " + dir + ": " + e.getMessage(), e);
        }
        if (!sawMeta && (topics.size() > 0 || !groups.isEmpty() || !kv.isEmpty())) {
            throw new StateMachineException("store at " + dir + " has data but no applied index");
        }
        kv.replaceAll((ns, m) -> Collections.unmodifiableSortedMap(m));
        return new RouteImage(applied, topics.build(), Collections.unmodifiableSortedMap(groups), null,
                Collections.unmodifiableSortedMap(kv));
    }

    /** Reads the client sessions, the tombstones and the state machine's clock. */
    DedupTable loadDedup() {
        TreeMap<Long, ClientSession> sessions = new TreeMap<>();
        TreeMap<Tombstone.Key, Tombstone> tombstones = new TreeMap<>();
        long clock = 0;
        try (RocksIterator it = db.newIterator()) {
            it.seek(META_KEY);
            if (it.isValid() && it.key().length == 1 && it.key()[0] == META) {
                clock = StoreMeta.parseFrom(it.value()).getClockMs();
            }
            for (it.seek(new byte[]{SESSION}); it.isValid() && it.key()[0] == SESSION; it.next()) {
                ClientSession c = decodeSession(StoredSession.parseFrom(it.value()));
                sessions.put(c.id(), c);
            }
            for (it.seek(new byte[]{TOMBSTONE}); it.isValid() && it.key()[0] == TOMBSTONE; it.next()) {
                StoredTombstone t = StoredTombstone.parseFrom(it.value());
                Tombstone x = new Tombstone(t.getBrokerName(), t.getBrokerId(), t.getAddr(),
                        t.getDataVersionTimestamp(), t.getDataVersionCounter(), t.getAtMs(), t.getAtIndex());
                tombstones.put(x.key(), x);
            }
            it.status();
        } catch (InvalidProtocolBufferException e) {
            throw new StateMachineException("store at " + dir + " holds an undecodable session: " + e.getMessage(), e);
        } catch (RocksDBException e) {
            throw new StateMachineException("cannot read state-machine store at " + dir + ": " + e.getMessage(), e);
        }
        return new DedupTable(sessions, tombstones, clock);
    }

    /** Writes every key the builder changed and the new applied index in one WriteBatch. */
    void write(ImageBuilder b) {
        try (WriteBatch batch = new WriteBatch()) {
            for (String topic : b.dirtyTopics()) {
                byte[] key = key(TOPIC, topic);
                SortedMap<String, QueueConfig> queues = b.topic(topic);
                if (queues == null) {
                    batch.delete(key);
                } else {
                    batch.put(key, encodeTopic(topic, queues));
                }
            }
            for (String name : b.dirtyGroups()) {
                byte[] key = key(GROUP, name);
                BrokerGroup g = b.group(name);
                if (g == null) {
                    batch.delete(key);
                } else {
                    batch.put(key, encodeGroup(g));
                }
            }
            for (ImageBuilder.KvKey k : b.dirtyKv()) {
                byte[] key = kvKey(k.namespace(), k.key());
                String value = b.kvValue(k.namespace(), k.key());
                if (value == null) {
                    batch.delete(key);
                } else {
                    batch.put(key, StoredKv.newBuilder().setNamespace(k.namespace()).setKey(k.key()).setValue(value)
                            .build().toByteArray());
                }
            }
            for (Map.Entry<Long, ClientSession> e : b.changedSessions().entrySet()) {
                byte[] key = sessionKey(e.getKey());
                if (e.getValue() == null) {
                    batch.delete(key);
                } else {
                    batch.put(key, encodeSession(e.getValue()));
                }
            }
            for (Map.Entry<Tombstone.Key, Tombstone> e : b.changedTombstones().entrySet()) {
                byte[] key = tombstoneKey(e.getKey());
                Tombstone t = e.getValue();
                if (t == null) {
                    batch.delete(key);
                } else {
                    batch.put(key,
                            StoredTombstone.newBuilder().setBrokerName(t.brokerName()).setBrokerId(t.brokerId())
                                    .setAddr(t.addr()).setDataVersionTimestamp(t.dataVersionTimestamp())
                                    .setDataVersionCounter(t.dataVersionCounter()).setAtMs(t.atMs())
                                    .setAtIndex(t.atIndex()).build().toByteArray());
                }
            }
            batch.put(META_KEY, StoreMeta.newBuilder().setFormatVersion(STORE_FORMAT_VERSION)
                    .setAppliedIndex(b.appliedIndex()).setClockMs(b.clockMs()).build().toByteArray());
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StateMachineException(
                    "state-machine store write failed at applied index " + b.appliedIndex() + ": " + e.getMessage(), e);
        }
    }

    /** A RocksDB checkpoint (hard links or copies of the live files) into {@code target}, which must not exist. */
    void checkpoint(Path target) {
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new SnapshotException("cannot create checkpoint in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Every key and value in key order (for tests and diagnostics). */
    void forEach(BiConsumer<byte[], byte[]> action) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                action.accept(it.key(), it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StateMachineException("cannot read state-machine store at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
        writeOptions.close();
        options.close();
    }

    // ---------------------------------------------------------------------------------------------- encoding

    private static byte[] key(byte prefix, String name) {
        byte[] s = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[s.length + 1];
        k[0] = prefix;
        System.arraycopy(s, 0, k, 1, s.length);
        return k;
    }

    private static byte[] kvKey(String namespace, String key) {
        byte[] n = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] s = key.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[1 + n.length + 1 + s.length];
        k[0] = KV;
        System.arraycopy(n, 0, k, 1, n.length);
        k[1 + n.length] = 0;
        System.arraycopy(s, 0, k, 2 + n.length, s.length);
        return k;
    }

    private static byte[] tombstoneKey(Tombstone.Key k) {
        byte[] n = k.brokerName().getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[1 + n.length + 1 + 8];
        key[0] = TOMBSTONE;
        System.arraycopy(n, 0, key, 1, n.length);
        key[1 + n.length] = 0;
        for (int i = 0; i < 8; i++) {
            key[2 + n.length + i] = (byte) (k.brokerId() >>> (56 - 8 * i));
        }
        return key;
    }

    private static byte[] sessionKey(long id) {
        byte[] k = new byte[9];
        k[0] = SESSION;
        for (int i = 0; i < 8; i++) {
            k[1 + i] = (byte) (id >>> (56 - 8 * i));
        }
        return k;
    }

    private static byte[] encodeSession(ClientSession c) {
        StoredSession.Builder b = StoredSession.newBuilder().setId(c.id()).setLastSeq(c.lastSeq())
                .setLastActiveMs(c.lastActiveMs()).setTimeoutMs((int) c.timeoutMs());
        if (c.lastResult() instanceof ApplyResult.Applied a) {
            b.setResultIndex(a.index()).setResultBrokerEpoch(a.brokerEpoch()).setResultExisted(a.existed());
        } else if (c.lastResult() instanceof ApplyResult.Rejected r) {
            b.setResultIndex(r.index()).setResultRejectReason(r.reason().ordinal() + 1)
                    .setResultRejectMessage(r.message());
        }
        return b.build().toByteArray();
    }

    private ClientSession decodeSession(StoredSession s) {
        ApplyResult result = null;
        if (s.getLastSeq() != 0) {
            int reason = s.getResultRejectReason();
            if (reason == 0) {
                result = new ApplyResult.Applied(s.getResultIndex(), s.getResultBrokerEpoch(), s.getResultExisted());
            } else if (reason <= RejectReason.values().length) {
                result = new ApplyResult.Rejected(s.getResultIndex(), RejectReason.values()[reason - 1],
                        s.getResultRejectMessage());
            } else {
                throw new StateMachineException(
                        "store at " + dir + " holds session " + s.getId() + " with unknown reject reason " + reason);
            }
        }
        return new ClientSession(s.getId(), s.getLastSeq(), s.getLastActiveMs(),
                Integer.toUnsignedLong(s.getTimeoutMs()), result);
    }

    private static byte[] encodeTopic(String topic, SortedMap<String, QueueConfig> queues) {
        StoredTopic.Builder t = StoredTopic.newBuilder().setTopic(topic);
        for (Map.Entry<String, QueueConfig> e : queues.entrySet()) {
            QueueConfig q = e.getValue();
            t.addQueues(StoredQueue.newBuilder().setBrokerName(e.getKey()).setReadQueueNums(q.readQueueNums())
                    .setWriteQueueNums(q.writeQueueNums()).setPerm(q.perm()).setTopicSysFlag(q.topicSysFlag()));
        }
        return t.build().toByteArray();
    }

    private static byte[] encodeGroup(BrokerGroup g) {
        StoredBrokerGroup.Builder b = StoredBrokerGroup.newBuilder().setCluster(g.cluster())
                .setBrokerName(g.brokerName());
        for (BrokerMember m : g.members().values()) {
            b.addMembers(StoredMember.newBuilder().setBrokerId(m.brokerId()).setAddr(m.addr()).setHaAddr(m.haAddr())
                    .setDataVersionTimestamp(m.dataVersionTimestamp()).setDataVersionCounter(m.dataVersionCounter())
                    .setEpoch(m.epoch()).setRegisteredAtMs(m.registeredAtMs()).setLeaseTimeoutMs(m.leaseTimeoutMs()));
        }
        return b.build().toByteArray();
    }
}
