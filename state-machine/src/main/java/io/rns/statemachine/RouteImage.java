package io.rns.statemachine;

import io.rns.log.v1.ChangeWritePerm;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.TopicQueueConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * An immutable view of the route table at one applied index. Published by {@link RouteStateMachine} through one
 * volatile reference; readers take no lock and may keep an image as long as they like.
 *
 * <p>Structure and the cost of the next image (built once per applied batch, see {@link ImageBuilder}):
 * <ul>
 *   <li>topics: a {@link TopicMap} topic -> (broker name -> queue config), a persistent hash trie, so a batch
 *       touching k topics costs O(k log32 n) plus a copy of each touched topic's small inner map;</li>
 *   <li>broker groups: a sorted map copied when any group changes (groups number in the hundreds); untouched
 *       {@link BrokerGroup} objects are shared; the derived cluster map is recomputed only when groups change;</li>
 *   <li>kv: namespace -> sorted map; the outer map and each touched namespace's map are copied on change.</li>
 * </ul>
 * The sorted topic set is computed lazily on first use and cached per image. {@link #topicsOfCluster} scans all
 * topics (O(topics)).
 */
public final class RouteImage {
    private static final RouteImage EMPTY = new RouteImage(0, TopicMap.empty(),
            Collections.unmodifiableSortedMap(new TreeMap<>()), null,
            Collections.unmodifiableSortedMap(new TreeMap<>()));

    private final long appliedIndex;
    private final TopicMap<SortedMap<String, QueueConfig>> topics;
    private final SortedMap<String, BrokerGroup> groups;
    private final SortedMap<String, SortedSet<String>> clusters;
    private final SortedMap<String, SortedMap<String, String>> kv;
    private final int brokerCount;
    /** Lazily computed sorted topic names; benign race (the value is immutable and always the same). */
    private volatile SortedSet<String> sortedTopics;

    /**
     * @param groups   unmodifiable
     * @param clusters the derived cluster map if the caller has it (groups unchanged), else null to derive it
     * @param kv       unmodifiable, with unmodifiable non-empty inner maps
     */
    RouteImage(long appliedIndex, TopicMap<SortedMap<String, QueueConfig>> topics,
            SortedMap<String, BrokerGroup> groups, SortedMap<String, SortedSet<String>> clusters,
            SortedMap<String, SortedMap<String, String>> kv) {
        this.appliedIndex = appliedIndex;
        this.topics = topics;
        this.groups = groups;
        this.kv = kv;
        int members = 0;
        for (BrokerGroup g : groups.values()) {
            members += g.members().size();
        }
        this.brokerCount = members;
        this.clusters = clusters != null ? clusters : deriveClusters(groups);
    }

    private static SortedMap<String, SortedSet<String>> deriveClusters(SortedMap<String, BrokerGroup> groups) {
        TreeMap<String, SortedSet<String>> byCluster = new TreeMap<>();
        for (BrokerGroup g : groups.values()) {
            byCluster.computeIfAbsent(g.cluster(), c -> new TreeSet<>()).add(g.brokerName());
        }
        byCluster.replaceAll((c, names) -> Collections.unmodifiableSortedSet(names));
        return Collections.unmodifiableSortedMap(byCluster);
    }

    /** The image of an empty store at applied index 0. */
    public static RouteImage empty() {
        return EMPTY;
    }

    /** The log index of the last entry whose effects this image contains. */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The topic's queues and the groups of the broker names serving it; empty if the topic has no queue. */
    public Optional<TopicRouteView> route(String topic) {
        SortedMap<String, QueueConfig> queues = topic == null ? null : topics.get(topic);
        if (queues == null) {
            return Optional.empty();
        }
        List<BrokerGroup> brokers = new ArrayList<>(queues.size());
        for (String brokerName : queues.keySet()) {
            BrokerGroup g = groups.get(brokerName);
            if (g != null) {
                brokers.add(g);
            }
        }
        return Optional.of(new TopicRouteView(topic, queues, Collections.unmodifiableList(brokers)));
    }

    /** Every topic with at least one queue, sorted. */
    public SortedSet<String> topics() {
        SortedSet<String> s = sortedTopics;
        if (s == null) {
            TreeSet<String> t = new TreeSet<>();
            topics.forEach((k, v) -> t.add(k));
            s = Collections.unmodifiableSortedSet(t);
            sortedTopics = s;
        }
        return s;
    }

    /** Topics with at least one queue on a broker name of that cluster, sorted. O(topics). */
    public SortedSet<String> topicsOfCluster(String cluster) {
        SortedSet<String> names = cluster == null ? null : clusters.get(cluster);
        TreeSet<String> result = new TreeSet<>();
        if (names != null && !names.isEmpty()) {
            topics.forEach((topic, queues) -> {
                for (String brokerName : queues.keySet()) {
                    if (names.contains(brokerName)) {
                        result.add(topic);
                        return;
                    }
                }
            });
        }
        return Collections.unmodifiableSortedSet(result);
    }

    /** Broker name to group, sorted. */
    public SortedMap<String, BrokerGroup> brokerGroups() {
        return groups;
    }

    /** Cluster to its broker names, derived from the groups (a cluster exists while it has a group). */
    public SortedMap<String, SortedSet<String>> clusters() {
        return clusters;
    }

    public Optional<BrokerGroup> brokerGroup(String brokerName) {
        return Optional.ofNullable(brokerName == null ? null : groups.get(brokerName));
    }

    public Optional<BrokerMember> broker(String brokerName, long brokerId) {
        BrokerGroup g = brokerName == null ? null : groups.get(brokerName);
        return g == null ? Optional.empty() : Optional.ofNullable(g.members().get(brokerId));
    }

    public Optional<String> kv(String namespace, String key) {
        SortedMap<String, String> ns = namespace == null ? null : kv.get(namespace);
        return ns == null || key == null ? Optional.empty() : Optional.ofNullable(ns.get(key));
    }

    /** The namespace's keys and values, sorted; empty if the namespace has none. */
    public SortedMap<String, String> kvNamespace(String namespace) {
        SortedMap<String, String> ns = namespace == null ? null : kv.get(namespace);
        return ns != null ? ns : Collections.emptySortedMap();
    }

    /** Namespaces with at least one key, sorted. */
    public SortedSet<String> kvNamespaces() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(kv.keySet()));
    }

    public int topicCount() {
        return topics.size();
    }

    /** Number of registered brokers (members of all groups). */
    public int brokerCount() {
        return brokerCount;
    }

    /**
     * False iff applying {@code r} would change nothing but the member's epoch and registration time: the member
     * exists with the same cluster, addr, haAddr and data version, and (for a master) every topic in {@code r} already
     * has an identical queue config under r's broker name (with the same non-zero data version: has any queue
     * config under it, see {@link #sameVersionedRegistration}), and the same lease timeout. An invalid record is
     * always a change (apply rejects it).
     */
    public boolean wouldChange(RegisterBroker r) {
        return RecordValidator.validate(r).isPresent() || wouldChangeValid(r);
    }

    /**
     * {@link #wouldChange} for a record already known to be valid ({@link RecordValidator#validate} empty), e.g. built
     * from a request that passed the node's request validation, whose rules include the record's: the check an
     * unchanged re-registration (every broker, every 30 s) would otherwise run twice.
     */
    public boolean wouldChangeValid(RegisterBroker r) {
        BrokerMember m = broker(r.getBrokerName(), r.getBrokerId()).orElse(null);
        if (m == null || !m.cluster().equals(r.getCluster()) || !m.addr().equals(r.getBrokerAddr())
                || !m.haAddr().equals(r.getHaServerAddr()) || m.dataVersionTimestamp() != r.getDataVersionTimestamp()
                || m.dataVersionCounter() != r.getDataVersionCounter() || m.leaseTimeoutMs() != r.getLeaseTimeoutMs()) {
            return true;
        }
        if (r.getBrokerId() != Limits.MASTER_ID) {
            return false;
        }
        boolean versionUnchanged = sameVersionedRegistration(m, r);
        for (TopicQueueConfig t : r.getTopicsList()) {
            SortedMap<String, QueueConfig> queues = topics.get(t.getTopic());
            QueueConfig q = queues == null ? null : queues.get(r.getBrokerName());
            if (q == null || (!versionUnchanged && !q.equals(toQueueConfig(t)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True iff {@code r} re-registers member {@code m} (same cluster and addr) with the same non-zero data version:
     * then, as in stock RocketMQ, its topic configs are taken only for topics that lack this broker name (an
     * unchanged periodic re-registration must not undo e.g. a wiped write permission). A 0/0 data version means
     * "not versioned" (native clients) and never counts as unchanged.
     */
    static boolean sameVersionedRegistration(BrokerMember m, RegisterBroker r) {
        return m != null && (r.getDataVersionTimestamp() != 0 || r.getDataVersionCounter() != 0)
                && m.cluster().equals(r.getCluster()) && m.addr().equals(r.getBrokerAddr())
                && m.dataVersionTimestamp() == r.getDataVersionTimestamp()
                && m.dataVersionCounter() == r.getDataVersionCounter();
    }

    /** The permission after a ChangeWritePerm (stock: WIPE clears bit 2, ADD sets exactly read+write). */
    public static int changedPerm(int perm, ChangeWritePerm.Op op) {
        return switch (op) {
            case WIPE -> perm & ~Limits.PERM_WRITE;
            case ADD -> Limits.PERM_READ | Limits.PERM_WRITE;
            default -> throw new IllegalArgumentException("unknown write-perm op " + op);
        };
    }

    /** How many topics have queue data of this broker name. O(topics). */
    public int queueCountOf(String brokerName) {
        int[] n = {0};
        topics.forEach((topic, queues) -> {
            if (queues.containsKey(brokerName)) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Every topic and its queues (broker name -> config), in no particular order. */
    public void forEachTopic(BiConsumer<String, SortedMap<String, QueueConfig>> action) {
        topics.forEach(action);
    }

    static QueueConfig toQueueConfig(TopicQueueConfig t) {
        return new QueueConfig(t.getReadQueueNums(), t.getWriteQueueNums(), t.getPerm(), t.getTopicSysFlag());
    }

    // ---------------------------------------------------------------------------------------------- internals

    TopicMap<SortedMap<String, QueueConfig>> topicMap() {
        return topics;
    }

    SortedMap<String, SortedMap<String, String>> kvMap() {
        return kv;
    }

    SortedMap<String, SortedSet<String>> clusterMap() {
        return clusters;
    }

    /** Same route state and kv, ignoring the applied index. */
    public boolean sameContent(RouteImage other) {
        return other != null && topics.equals(other.topics) && groups.equals(other.groups) && kv.equals(other.kv);
    }

    /** Equal applied index and equal content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof RouteImage other && appliedIndex == other.appliedIndex && sameContent(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appliedIndex, topics.hashCode(), groups, kv);
    }

    @Override
    public String toString() {
        return "RouteImage{appliedIndex=" + appliedIndex + ", topics=" + topics.size() + ", groups=" + groups.size()
                + ", brokers=" + brokerCount + ", clusters=" + clusters.keySet() + ", kvNamespaces=" + kv.size() + "}";
    }
}
