package io.rns.statemachine;

import io.rns.log.v1.BrokerQueue;
import io.rns.log.v1.ChangeWritePerm;
import io.rns.log.v1.DeleteKv;
import io.rns.log.v1.DeleteTopic;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.OpenSession;
import io.rns.log.v1.PutKv;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.RegisterTopic;
import io.rns.log.v1.TopicQueueConfig;
import io.rns.log.v1.UnregisterBroker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The working state of one batch: starts from an image, applies records (RouteInfoManager semantics, made
 * deterministic), remembers which keys changed so the store can write exactly those, and builds the next image.
 * Confined to the apply thread; discarded if the batch fails.
 */
final class ImageBuilder {
    /** A changed kv key. */
    record KvKey(String namespace, String key) implements Comparable<KvKey> {
        @Override
        public int compareTo(KvKey o) {
            int c = namespace.compareTo(o.namespace);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private final RouteImage base;
    private final TopicMap.Builder<SortedMap<String, QueueConfig>> topics;
    private TreeMap<String, BrokerGroup> groups; // null until the first group change
    private TreeMap<String, SortedMap<String, String>> kv; // null until the first kv change
    private final Set<String> ownedNamespaces = new HashSet<>(); // kv inner maps that are private TreeMaps

    private final SortedSet<String> dirtyTopics = new TreeSet<>();
    private final SortedSet<String> dirtyGroups = new TreeSet<>();
    private final SortedSet<KvKey> dirtyKv = new TreeSet<>();
    private long appliedIndex;

    private final DedupTable dedup;
    /** Sessions changed by this batch; a null value = removed. */
    private final TreeMap<Long, ClientSession> changedSessions = new TreeMap<>();
    /** Tombstones changed by this batch; a null value = removed. */
    private final TreeMap<Tombstone.Key, Tombstone> changedTombstones = new TreeMap<>();
    private int sessionCount;
    private long clockMs;

    ImageBuilder(RouteImage base) {
        this(base, DedupTable.empty());
    }

    ImageBuilder(RouteImage base, DedupTable dedup) {
        this.base = base;
        this.topics = base.topicMap().toBuilder();
        this.appliedIndex = base.appliedIndex();
        this.dedup = dedup;
        this.sessionCount = dedup.size();
        this.clockMs = dedup.clockMs();
    }

    /** Sessions changed by this batch (null = removed), in id order. */
    SortedMap<Long, ClientSession> changedSessions() {
        return changedSessions;
    }

    /** Tombstones changed by this batch (null = removed), in key order. */
    SortedMap<Tombstone.Key, Tombstone> changedTombstones() {
        return changedTombstones;
    }

    /** The state machine's clock after this batch: the highest leader time applied so far. */
    long clockMs() {
        return clockMs;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    SortedSet<String> dirtyTopics() {
        return dirtyTopics;
    }

    SortedSet<String> dirtyGroups() {
        return dirtyGroups;
    }

    SortedSet<KvKey> dirtyKv() {
        return dirtyKv;
    }

    SortedMap<String, QueueConfig> topic(String topic) {
        return topics.get(topic);
    }

    BrokerGroup group(String brokerName) {
        return groups != null ? groups.get(brokerName) : base.brokerGroups().get(brokerName);
    }

    String kvValue(String namespace, String key) {
        SortedMap<String, SortedMap<String, String>> m = kv != null ? kv : base.kvMap();
        SortedMap<String, String> ns = m.get(namespace);
        return ns == null ? null : ns.get(key);
    }

    /**
     * Applies one record at {@code index} (greater than the current applied index) and advances the applied index,
     * also for a rejected record.
     *
     * @throws CorruptRecordException if the record's version or kind is not understood (the replica must halt)
     */
    ApplyResult apply(long index, LogRecord record) {
        if (index <= appliedIndex) {
            throw new IllegalArgumentException("index " + index + " <= applied index " + appliedIndex);
        }
        LogRecords.checkSupported(record);
        clockMs = Math.max(clockMs, record.getLeaderTimeMs());
        ApplyResult result;
        Optional<String> invalid = RecordValidator.validate(record);
        if (invalid.isPresent()) {
            result = new ApplyResult.Rejected(index, RejectReason.INVALID_RECORD, invalid.get());
        } else if (record.hasSession()) {
            result = applyInSession(index, record);
        } else {
            result = applyKind(index, record);
        }
        appliedIndex = index;
        return result;
    }

    /**
     * Exactly-once (log.proto ClientSession): an unknown or idle session refuses; a sequence number below the
     * session's last is a late copy and refused; the last one again returns its first result; a higher one applies
     * and becomes the last.
     */
    private ApplyResult applyInSession(long index, LogRecord record) {
        long id = record.getSession().getId();
        long seq = record.getSession().getSeq();
        ClientSession s = session(id);
        if (s == null) {
            return new ApplyResult.Rejected(index, RejectReason.SESSION_EXPIRED,
                    "session " + Long.toUnsignedString(id) + " is unknown or expired; open a new session");
        }
        if (s.idleAt(clockMs)) {
            putSession(id, null);
            return new ApplyResult.Rejected(index, RejectReason.SESSION_EXPIRED,
                    "session " + id + " expired: idle for " + (clockMs - s.lastActiveMs()) + " ms, its timeout is "
                            + s.timeoutMs() + " ms; open a new session");
        }
        if (Long.compareUnsigned(seq, s.lastSeq()) < 0) {
            return new ApplyResult.Rejected(index, RejectReason.STALE_SEQUENCE,
                    "session " + id + " already applied sequence " + s.lastSeq() + "; sequence "
                            + Long.toUnsignedString(seq) + " is a late copy of an older request and has no effect");
        }
        if (seq == s.lastSeq()) {
            return s.lastResult(); // a retry of the request applied last: its first result, nothing applied again
        }
        ApplyResult result = applyKind(index, record);
        putSession(id, s.applied(seq, clockMs, result));
        return result;
    }

    private ApplyResult applyKind(long index, LogRecord record) {
        return switch (record.getKindCase()) {
            case REGISTER_BROKER -> register(index, record.getLeaderTimeMs(), record.getRegisterBroker());
            case UNREGISTER_BROKER -> unregister(index, record.getUnregisterBroker());
            case DELETE_TOPIC -> deleteTopic(index, record.getDeleteTopic());
            case PUT_KV -> putKv(index, record.getPutKv());
            case DELETE_KV -> deleteKv(index, record.getDeleteKv());
            case CHANGE_WRITE_PERM -> changeWritePerm(index, record.getChangeWritePerm());
            case REGISTER_TOPIC -> registerTopic(index, record.getRegisterTopic());
            case OPEN_SESSION -> openSession(index, record.getOpenSession());
            case KIND_NOT_SET -> throw new CorruptRecordException("LogRecord at index " + index + " has no kind");
        };
    }

    /** The next image; call once, after the batch's store write succeeded. */
    RouteImage build() {
        SortedMap<String, BrokerGroup> g = base.brokerGroups();
        SortedMap<String, SortedSet<String>> clusters = base.clusterMap();
        if (groups != null) {
            g = Collections.unmodifiableSortedMap(groups);
            clusters = null; // derive again
        }
        SortedMap<String, SortedMap<String, String>> k = base.kvMap();
        if (kv != null) {
            for (String ns : ownedNamespaces) {
                SortedMap<String, String> inner = kv.get(ns);
                if (inner != null) {
                    kv.put(ns, Collections.unmodifiableSortedMap(inner));
                }
            }
            k = Collections.unmodifiableSortedMap(kv);
        }
        return new RouteImage(appliedIndex, topics.build(), g, clusters, k);
    }

    // ---------------------------------------------------------------------------------------------- records

    private ApplyResult register(long index, long leaderTimeMs, RegisterBroker r) {
        String name = r.getBrokerName();
        long id = r.getBrokerId();
        Optional<String> late = lateRegistration(r);
        if (late.isPresent()) {
            return new ApplyResult.Rejected(index, RejectReason.STALE_REGISTRATION, late.get());
        }
        BrokerGroup group = group(name);
        TreeMap<Long, BrokerMember> members = new TreeMap<>();
        if (group != null) {
            if (!group.cluster().equals(r.getCluster())) {
                for (Long other : group.members().keySet()) {
                    if (other != id) {
                        return new ApplyResult.Rejected(index, RejectReason.BROKER_NAME_CONFLICT,
                                "broker name '" + name + "' is registered in cluster '" + group.cluster()
                                        + "' by broker ids " + group.members().keySet() + "; cannot register it in '"
                                        + r.getCluster() + "'");
                    }
                }
                // only this very broker id is in the group: the group moves to the new cluster
            }
            members.putAll(group.members());
        }
        boolean existed = members.containsKey(id);
        // stock: topic config is (re)applied only if the data version changed (or first registration); see log.proto
        boolean versionUnchanged = RouteImage.sameVersionedRegistration(members.get(id), r);
        // stock rule: within a group one address has one id (e.g. a slave promoted to master re-registers as 0)
        members.values().removeIf(m -> m.brokerId() != id && m.addr().equals(r.getBrokerAddr()));
        members.put(id, new BrokerMember(r.getCluster(), name, id, r.getBrokerAddr(), r.getHaServerAddr(),
                r.getDataVersionTimestamp(), r.getDataVersionCounter(), index, leaderTimeMs, r.getLeaseTimeoutMs()));
        putGroup(new BrokerGroup(r.getCluster(), name, members));
        Tombstone.Key key = new Tombstone.Key(name, id);
        if (tombstone(key) != null) {
            putTombstone(key, null); // registered again: the fence has done its work
        }

        if (id == Limits.MASTER_ID) {
            for (TopicQueueConfig t : r.getTopicsList()) {
                QueueConfig q = RouteImage.toQueueConfig(t);
                SortedMap<String, QueueConfig> queues = topics.get(t.getTopic());
                if (queues != null && (q.equals(queues.get(name)) || (versionUnchanged && queues.containsKey(name)))) {
                    continue;
                }
                TreeMap<String, QueueConfig> next = queues == null ? new TreeMap<>() : new TreeMap<>(queues);
                next.put(name, q);
                putTopic(t.getTopic(), next);
            }
        }
        return new ApplyResult.Applied(index, index, existed);
    }

    private ApplyResult unregister(long index, UnregisterBroker r) {
        String name = r.getBrokerName();
        BrokerGroup group = group(name);
        BrokerMember m = group == null ? null : group.members().get(r.getBrokerId());
        if (m == null) {
            return new ApplyResult.Rejected(index, RejectReason.UNKNOWN_BROKER,
                    "broker " + name + "/" + r.getBrokerId() + " is not registered");
        }
        if (r.getBrokerEpoch() != 0 && r.getBrokerEpoch() != m.epoch()) {
            return new ApplyResult.Rejected(index, RejectReason.STALE_BROKER_EPOCH,
                    "broker " + name + "/" + r.getBrokerId() + " has epoch " + m.epoch() + ", record names epoch "
                            + Long.toUnsignedString(r.getBrokerEpoch()));
        }
        if (!r.getBrokerAddr().isEmpty() && !r.getBrokerAddr().equals(m.addr())) {
            return new ApplyResult.Rejected(index, RejectReason.UNKNOWN_BROKER, "broker " + name + "/" + r.getBrokerId()
                    + " addr mismatch: registered at " + m.addr() + ", record names " + r.getBrokerAddr());
        }
        if (r.getReason() == UnregisterBroker.Reason.REQUESTED) {
            tombstoneFor(m, index);
        }
        TreeMap<Long, BrokerMember> members = new TreeMap<>(group.members());
        members.remove(r.getBrokerId());
        if (!members.isEmpty()) {
            putGroup(new BrokerGroup(group.cluster(), name, members));
        } else {
            removeGroup(name);
            removeBrokerNameFromAllTopics(name);
        }
        return new ApplyResult.Applied(index, 0, true);
    }

    /**
     * Data-version fencing for brokers without sessions (see {@link Tombstone}): a versioned registration is refused
     * if, within {@link Limits#REGISTRATION_FENCE_MS}, the same broker at the same address was registered with a newer
     * version or asked to be unregistered at a version not older than this one — unless it was sent on a connection
     * opened after that registration or unregistration was applied (RegisterBroker.connection_since_index).
     */
    private Optional<String> lateRegistration(RegisterBroker r) {
        if (r.getDataVersionTimestamp() == 0 && r.getDataVersionCounter() == 0) {
            return Optional.empty(); // unversioned (native clients): sessions fence those
        }
        String who = "broker " + r.getBrokerName() + "/" + r.getBrokerId() + " at " + r.getBrokerAddr();
        String version = version(r.getDataVersionTimestamp(), r.getDataVersionCounter());
        Tombstone t = tombstone(new Tombstone.Key(r.getBrokerName(), r.getBrokerId()));
        long since = r.getConnectionSinceIndex();
        if (t != null && t.holdsAt(clockMs) && since < t.atIndex() && t.addr().equals(r.getBrokerAddr())
                && compareVersions(r.getDataVersionTimestamp(), r.getDataVersionCounter(), t.dataVersionTimestamp(),
                        t.dataVersionCounter()) <= 0) {
            return Optional.of(who + " asked to be unregistered " + (clockMs - t.atMs()) + " ms ago at data version "
                    + version(t.dataVersionTimestamp(), t.dataVersionCounter()) + "; this registration carries "
                    + version + ", not newer: a late copy of an earlier registration, refused (it registers again "
                    + "with its next period)");
        }
        BrokerGroup g = group(r.getBrokerName());
        BrokerMember m = g == null ? null : g.members().get(r.getBrokerId());
        if (m != null && since < m.epoch() && m.addr().equals(r.getBrokerAddr())
                && clockMs - m.registeredAtMs() <= Limits.REGISTRATION_FENCE_MS
                && compareVersions(r.getDataVersionTimestamp(), r.getDataVersionCounter(), m.dataVersionTimestamp(),
                        m.dataVersionCounter()) < 0) {
            return Optional
                    .of(who + " registered data version " + version(m.dataVersionTimestamp(), m.dataVersionCounter())
                            + " " + (clockMs - m.registeredAtMs()) + " ms ago; this registration carries the older "
                            + version + ": a late copy, refused so it cannot undo the newer one");
        }
        return Optional.empty();
    }

    /** RocketMQ DataVersion order: by timestamp, then counter. */
    private static int compareVersions(long ts1, long c1, long ts2, long c2) {
        int c = Long.compare(ts1, ts2);
        return c != 0 ? c : Long.compare(c1, c2);
    }

    private static String version(long timestamp, long counter) {
        return "(" + timestamp + ", " + counter + ")";
    }

    /** Leaves a tombstone for a broker that asked to go (versioned brokers only) and drops the ones that expired. */
    private void tombstoneFor(BrokerMember m, long index) {
        List<Tombstone.Key> old = new ArrayList<>();
        dedup.forEachTombstone((k, t) -> {
            if (!changedTombstones.containsKey(k) && !t.holdsAt(clockMs)) {
                old.add(k);
            }
        });
        changedTombstones.forEach((k, t) -> {
            if (t != null && !t.holdsAt(clockMs)) {
                old.add(k);
            }
        });
        for (Tombstone.Key k : old) {
            putTombstone(k, null);
        }
        if (m.dataVersionTimestamp() != 0 || m.dataVersionCounter() != 0) {
            Tombstone t = new Tombstone(m.brokerName(), m.brokerId(), m.addr(), m.dataVersionTimestamp(),
                    m.dataVersionCounter(), clockMs, index);
            putTombstone(t.key(), t);
        }
    }

    /** O(topics): only when a whole group disappears. */
    private void removeBrokerNameFromAllTopics(String brokerName) {
        List<String> affected = new ArrayList<>();
        topics.forEach((topic, queues) -> {
            if (queues.containsKey(brokerName)) {
                affected.add(topic);
            }
        });
        for (String topic : affected) {
            removeQueues(topic, Set.of(brokerName));
        }
    }

    private ApplyResult deleteTopic(long index, DeleteTopic r) {
        String topic = r.getTopic();
        SortedMap<String, QueueConfig> queues = topics.get(topic);
        if (queues == null) {
            return new ApplyResult.Applied(index, 0, false);
        }
        if (r.getCluster().isEmpty()) {
            topics.remove(topic);
            dirtyTopics.add(topic);
            return new ApplyResult.Applied(index, 0, true);
        }
        Set<String> names = new HashSet<>();
        for (String brokerName : queues.keySet()) {
            BrokerGroup g = group(brokerName);
            if (g != null && g.cluster().equals(r.getCluster())) {
                names.add(brokerName);
            }
        }
        return new ApplyResult.Applied(index, 0, removeQueues(topic, names));
    }

    /** Every queue data of the broker name: WIPE clears the write bit, ADD sets read+write (stock). O(topics). */
    private ApplyResult changeWritePerm(long index, ChangeWritePerm r) {
        String name = r.getBrokerName();
        List<String> affected = new ArrayList<>();
        topics.forEach((topic, queues) -> {
            if (queues.containsKey(name)) {
                affected.add(topic);
            }
        });
        for (String topic : affected) {
            SortedMap<String, QueueConfig> queues = topics.get(topic);
            QueueConfig q = queues.get(name);
            int perm = RouteImage.changedPerm(q.perm(), r.getOp());
            if (perm != q.perm()) {
                TreeMap<String, QueueConfig> next = new TreeMap<>(queues);
                next.put(name, new QueueConfig(q.readQueueNums(), q.writeQueueNums(), perm, q.topicSysFlag()));
                putTopic(topic, next);
            }
        }
        return new ApplyResult.Applied(index, 0, !affected.isEmpty());
    }

    /** Queue data of registered broker names only (stock registerTopic); the others are skipped. */
    private ApplyResult registerTopic(long index, RegisterTopic r) {
        SortedMap<String, QueueConfig> queues = topics.get(r.getTopic());
        TreeMap<String, QueueConfig> next = queues == null ? new TreeMap<>() : new TreeMap<>(queues);
        boolean changed = false;
        for (BrokerQueue b : r.getQueuesList()) {
            if (group(b.getBrokerName()) == null) {
                continue;
            }
            QueueConfig q = new QueueConfig(b.getReadQueueNums(), b.getWriteQueueNums(), b.getPerm(),
                    b.getTopicSysFlag());
            changed |= !q.equals(next.put(b.getBrokerName(), q));
        }
        if (changed) {
            putTopic(r.getTopic(), next);
        }
        return new ApplyResult.Applied(index, 0, queues != null);
    }

    /** A new session with id = index; first every idle session is expired (O(sessions); sessions open rarely). */
    private ApplyResult openSession(long index, OpenSession r) {
        List<Long> idle = new ArrayList<>();
        dedup.forEach((id, s) -> {
            if (!changedSessions.containsKey(id) && s.idleAt(clockMs)) {
                idle.add(id);
            }
        });
        changedSessions.forEach((id, s) -> {
            if (s != null && s.idleAt(clockMs)) {
                idle.add(id);
            }
        });
        for (Long id : idle) {
            putSession(id, null);
        }
        if (sessionCount >= r.getMaxSessions()) {
            return new ApplyResult.Rejected(index, RejectReason.TOO_MANY_SESSIONS,
                    sessionCount + " client sessions are open (limit " + r.getMaxSessions()
                            + ", session.max-open); wait for idle sessions to expire");
        }
        putSession(index, new ClientSession(index, 0, clockMs, Integer.toUnsignedLong(r.getTimeoutMs()), null));
        return new ApplyResult.Applied(index, 0, false);
    }

    private ApplyResult putKv(long index, PutKv r) {
        boolean existed = kvValue(r.getNamespace(), r.getKey()) != null;
        writableNamespace(r.getNamespace()).put(r.getKey(), r.getValue());
        dirtyKv.add(new KvKey(r.getNamespace(), r.getKey()));
        return new ApplyResult.Applied(index, 0, existed);
    }

    private ApplyResult deleteKv(long index, DeleteKv r) {
        if (kvValue(r.getNamespace(), r.getKey()) == null) {
            return new ApplyResult.Applied(index, 0, false);
        }
        SortedMap<String, String> ns = writableNamespace(r.getNamespace());
        ns.remove(r.getKey());
        if (ns.isEmpty()) {
            kv.remove(r.getNamespace());
            ownedNamespaces.remove(r.getNamespace());
        }
        dirtyKv.add(new KvKey(r.getNamespace(), r.getKey()));
        return new ApplyResult.Applied(index, 0, true);
    }

    // ---------------------------------------------------------------------------------------------- primitives

    private ClientSession session(long id) {
        return changedSessions.containsKey(id) ? changedSessions.get(id) : dedup.get(id);
    }

    private Tombstone tombstone(Tombstone.Key key) {
        return changedTombstones.containsKey(key) ? changedTombstones.get(key) : dedup.tombstone(key);
    }

    private void putTombstone(Tombstone.Key key, Tombstone t) {
        changedTombstones.put(key, t);
    }

    /** Puts ({@code s} non-null) or removes a session, keeping the count. */
    private void putSession(long id, ClientSession s) {
        boolean existed = session(id) != null;
        changedSessions.put(id, s);
        sessionCount += (s != null ? 1 : 0) - (existed ? 1 : 0);
    }

    /** Removes the named broker names' queues from the topic, dropping the topic if none is left. */
    private boolean removeQueues(String topic, Set<String> brokerNames) {
        SortedMap<String, QueueConfig> queues = topics.get(topic);
        if (queues == null) {
            return false;
        }
        TreeMap<String, QueueConfig> next = new TreeMap<>(queues);
        if (!next.keySet().removeAll(brokerNames)) {
            return false;
        }
        if (next.isEmpty()) {
            topics.remove(topic);
            dirtyTopics.add(topic);
        } else {
            putTopic(topic, next);
        }
        return true;
    }

    private void putTopic(String topic, TreeMap<String, QueueConfig> queues) {
        topics.put(topic, Collections.unmodifiableSortedMap(queues));
        dirtyTopics.add(topic);
    }

    private void putGroup(BrokerGroup g) {
        writableGroups().put(g.brokerName(), g);
        dirtyGroups.add(g.brokerName());
    }

    private void removeGroup(String brokerName) {
        writableGroups().remove(brokerName);
        dirtyGroups.add(brokerName);
    }

    private TreeMap<String, BrokerGroup> writableGroups() {
        if (groups == null) {
            groups = new TreeMap<>(base.brokerGroups());
        }
        return groups;
    }

    private SortedMap<String, String> writableNamespace(String namespace) {
        if (kv == null) {
            kv = new TreeMap<>(base.kvMap());
        }
        if (ownedNamespaces.add(namespace)) {
            SortedMap<String, String> current = kv.get(namespace);
            kv.put(namespace, current == null ? new TreeMap<>() : new TreeMap<>(current));
        }
        return kv.get(namespace);
    }
}
