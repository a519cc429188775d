package io.rns.client;

import io.rns.rpc.transport.MemberSpec;
import io.rns.rpc.transport.RpcClientOptions;
import io.rns.rpc.v1.AddPeerRequest;
import io.rns.rpc.v1.AddPeerResponse;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.DeleteTopicResponse;
import io.rns.rpc.v1.GetClusterInfoRequest;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.GetNodeStatusRequest;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.GetTopicRouteRequest;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.HeartbeatResponse;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.ListBrokerLeasesRequest;
import io.rns.rpc.v1.ListBrokerLeasesResponse;
import io.rns.rpc.v1.ListPeersRequest;
import io.rns.rpc.v1.ListPeersResponse;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RemovePeerRequest;
import io.rns.rpc.v1.RemovePeerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.TransferLeadershipRequest;
import io.rns.rpc.v1.TransferLeadershipResponse;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.UnregisterBrokerResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static io.rns.client.Replies.nonNull;

/**
 * Client of an RNS cluster: immutable, thread-safe, built by {@link #builder()}.
 *
 * <p><b>Writes</b> (register, unregister, deleteTopic, kvPut, kvDelete) go to the last known leader (learned from any
 * response header), else to the current endpoint. NOT_LEADER with a usable leader hint is followed at once; other
 * retriable failures (and transport failures) move to the next endpoint round-robin after a backoff, bounded by
 * {@link RetryPolicy#maxAttempts()} and the overall timeout. All RNS writes are idempotent, so a write whose
 * outcome is unknown is retried too; a final {@link NamesrvException} then has {@code outcomeUnknown() == true}.
 *
 * <p><b>Heartbeats</b> and the <b>lease table</b> ({@link #heartbeat}, {@link #listBrokerLeases}) are not writes but
 * are served by the leader: they are routed and retried like writes, and their outcome is never "unknown".
 *
 * <p><b>Reads</b> go to a sticky endpoint (random start, seedable) and move on failure. Every read carries
 * {@code min_index = max(CallOptions.minIndex, highestSeenIndex())}, so reads are monotonic across node switches,
 * and the requested consistency (default from the builder).
 *
 * <p>All methods throw {@link NamesrvException} on failure (not-found is an error too: TOPIC_NOT_FOUND,
 * KEY_NOT_FOUND). A {@link CallOptions#node()} pins one node: one attempt, no failover.
 *
 * <p><b>Cluster mode.</b> Everything above is {@link ClusterMode#RAFT}. The mode is set by
 * {@link Builder#mode(ClusterMode)}; the default, {@link ClusterMode#AUTO}, learns it from the {@code mode} of the
 * first GetNodeStatus answer of any endpoint, lazily on the first call that depends on it (typed reads and writes,
 * {@link #callAsync}, {@link #mode()}), and caches it. Calls pinned to a node ask that node first.
 *
 * <p><b>Leaderless mode</b> ({@link ClusterMode#LEADERLESS}, the stock RocketMQ NameServer design: nodes never talk
 * to each other, each has its own table, index and broker epochs, and serves only STALE reads), as a RocketMQ broker
 * and client behave:
 * <ul>
 *   <li>Reads default to STALE, unless {@link Builder#defaultConsistency} was set explicitly: then that level is sent
 *       as-is and the node refuses a level it cannot serve (CONSISTENCY_NOT_SUPPORTED); the client never downgrades.
 *       Reads go to a node picked at random (the client's seedable random) and stay on it until a call to it fails
 *       with a transport error or a retriable error, then move round-robin to the next node. No min_index floor is
 *       sent ({@link CallOptions#minIndex()} is sent as given) and {@link #highestSeenIndex()} stays 0: indexes are
 *       per node and not comparable.</li>
 *   <li>Writes (registerBroker, unregisterBroker, deleteTopic, kvPut, kvDelete) fan out to <em>every</em> endpoint in
 *       parallel, one attempt per endpoint (no retry, as a broker's registration round), and return when all have
 *       answered (or timed out). The call <em>succeeds if at least one node succeeded</em>; the returned
 *       {@link Reply} carries the first successful endpoint's value and header, and {@link Reply#perEndpoint()} every
 *       endpoint's outcome (failed nodes are only reported there, as a RocketMQ broker only logs them). If every node
 *       failed, the first endpoint's {@link NamesrvException} is thrown, its message listing every endpoint's error
 *       ({@code outcomeUnknown} if any node's outcome is unknown). Note that a node's answer is node-local: e.g.
 *       each node assigns its own broker epoch. A write pinned with {@link CallOptions#node()} goes to that node
 *       only.</li>
 *   <li>Heartbeats and the lease table go to the sticky node unless pinned (each node has its own epochs and
 *       leases; {@link BrokerRegistrar} heartbeats every node with its own epoch).</li>
 * </ul>
 */
public final class NamesrvClient implements AutoCloseable {
    private final ClientSettings settings;
    private final ClientEngine engine;
    private final Caller caller;
    private final ModeResolver modes;

    private NamesrvClient(ClientSettings settings) {
        this.settings = settings;
        this.engine = new ClientEngine(settings);
        this.caller = engine.caller();
        this.modes = engine.modes();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> endpoints() {
        return settings.endpoints();
    }

    public Duration requestTimeout() {
        return settings.requestTimeout();
    }

    public Duration overallTimeout() {
        return settings.overallTimeout();
    }

    public RetryPolicy retryPolicy() {
        return settings.retryPolicy();
    }
    /**
     * The builder's default read level (LINEARIZABLE unless set). In leaderless mode reads default to STALE instead
     * unless it was set explicitly: see {@link #effectiveDefaultConsistency()}.
     */
    public Consistency defaultConsistency() {
        return settings.defaultConsistency();
    }
    /** The mode given to the builder ({@link ClusterMode#AUTO} unless set); {@link #mode()} resolves it. */
    public ClusterMode configuredMode() {
        return modes.configured();
    }

    /** Client sessions this client has opened so far (exactly-once writes; 0 in leaderless mode). */
    public int sessionsOpened() {
        return engine.caller().sessions().opened();
    }

    public String clientId() {
        return settings.clientId();
    }

    public RpcClientOptions rpcOptions() {
        return settings.rpcOptions();
    }

    /**
     * The cluster's mode: the configured one, or (AUTO) the one learned from the first GetNodeStatus answer of any
     * endpoint, asked now if not yet known (one attempt per endpoint, the sticky endpoint first), then cached.
     *
     * @throws NamesrvException if the mode is AUTO, not yet known, and no endpoint answered GetNodeStatus (nothing
     *                          is cached then; the next call asks again)
     */
    public ClusterMode mode() {
        return modes.modeFor(null);
    }

    /** The level reads are sent with when their CallOptions name none, in the (resolved) {@link #mode()}. */
    public Consistency effectiveDefaultConsistency() {
        mode();
        return caller.effectiveDefaultConsistency();
    }

    /**
     * The highest applied index seen in any OK response; the floor of every read's min_index. Always 0 in leaderless
     * mode (indexes are per node there).
     */
    public long highestSeenIndex() {
        return caller.highestSeenIndex();
    }

    /** The leader endpoint this client currently believes in, or {@code null}. */
    public String knownLeader() {
        return caller.router().leader();
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    public Reply<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest request) {
        return registerBroker(request, CallOptions.DEFAULT);
    }

    public Reply<RegisterBrokerResponse> registerBroker(RegisterBrokerRequest request, CallOptions options) {
        return call(RequestEnvelope.newBuilder().setRegisterBroker(request), options, false,
                ResponseEnvelope.BodyCase.REGISTER_BROKER, ResponseEnvelope::getRegisterBroker);
    }

    public Reply<UnregisterBrokerResponse> unregisterBroker(UnregisterBrokerRequest request) {
        return unregisterBroker(request, CallOptions.DEFAULT);
    }

    public Reply<UnregisterBrokerResponse> unregisterBroker(UnregisterBrokerRequest request, CallOptions options) {
        return call(RequestEnvelope.newBuilder().setUnregisterBroker(request), options, false,
                ResponseEnvelope.BodyCase.UNREGISTER_BROKER, ResponseEnvelope::getUnregisterBroker);
    }

    /** @param clusterOrNull {@code null} or empty = delete the topic everywhere */
    public Reply<DeleteTopicResponse> deleteTopic(String topic, String clusterOrNull) {
        return deleteTopic(topic, clusterOrNull, CallOptions.DEFAULT);
    }

    public Reply<DeleteTopicResponse> deleteTopic(String topic, String clusterOrNull, CallOptions options) {
        DeleteTopicRequest.Builder r = DeleteTopicRequest.newBuilder().setTopic(nonNull(topic, "topic"));
        if (clusterOrNull != null)
            r.setCluster(clusterOrNull);
        return call(RequestEnvelope.newBuilder().setDeleteTopic(r), options, false,
                ResponseEnvelope.BodyCase.DELETE_TOPIC, ResponseEnvelope::getDeleteTopic);
    }

    public Reply<Void> kvPut(String namespace, String key, String value) {
        return kvPut(namespace, key, value, CallOptions.DEFAULT);
    }

    public Reply<Void> kvPut(String namespace, String key, String value, CallOptions options) {
        KvPutRequest r = KvPutRequest.newBuilder().setNamespace(nonNull(namespace, "namespace"))
                .setKey(nonNull(key, "key")).setValue(nonNull(value, "value")).build();
        return call(RequestEnvelope.newBuilder().setKvPut(r), options, false, ResponseEnvelope.BodyCase.KV_PUT,
                x -> null);
    }

    /** @return whether the key existed */
    public Reply<Boolean> kvDelete(String namespace, String key) {
        return kvDelete(namespace, key, CallOptions.DEFAULT);
    }

    public Reply<Boolean> kvDelete(String namespace, String key, CallOptions options) {
        KvDeleteRequest r = KvDeleteRequest.newBuilder().setNamespace(nonNull(namespace, "namespace"))
                .setKey(nonNull(key, "key")).build();
        return call(RequestEnvelope.newBuilder().setKvDelete(r), options, false, ResponseEnvelope.BodyCase.KV_DELETE,
                x -> x.getKvDelete().getExisted());
    }

    // ---- liveness (served by the leader; never a log entry) ----------------------------------------------------

    /**
     * One broker heartbeat. Routed like a write (known leader first, NOT_LEADER hints followed) and retried on
     * retriable failures: a heartbeat is idempotent. Never {@code outcomeUnknown}. STALE_BROKER_EPOCH (the epoch is
     * not the current registration's) and UNKNOWN_BROKER (expired or unregistered) are not retriable: re-register.
     * {@link BrokerRegistrar} does all of that on a schedule. In leaderless mode it goes to the sticky node unless
     * pinned with {@link CallOptions#node()} (each node has its own epoch for the broker).
     */
    public Reply<HeartbeatResponse> heartbeat(HeartbeatRequest request) {
        return heartbeat(request, CallOptions.DEFAULT);
    }

    public Reply<HeartbeatResponse> heartbeat(HeartbeatRequest request, CallOptions options) {
        Objects.requireNonNull(request, "request");
        return engine.leader(RequestEnvelope.newBuilder().setHeartbeat(request), options,
                ResponseEnvelope.BodyCase.HEARTBEAT, ResponseEnvelope::getHeartbeat);
    }

    /** The leader's lease table (every registered broker's lease as the leader tracks it); routed like a write. */
    public Reply<ListBrokerLeasesResponse> listBrokerLeases() {
        return listBrokerLeases(CallOptions.DEFAULT);
    }

    public Reply<ListBrokerLeasesResponse> listBrokerLeases(CallOptions options) {
        return engine.leader(
                RequestEnvelope.newBuilder().setListBrokerLeases(ListBrokerLeasesRequest.getDefaultInstance()), options,
                ResponseEnvelope.BodyCase.LIST_BROKER_LEASES, ResponseEnvelope::getListBrokerLeases);
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    /** @throws NamesrvException with code TOPIC_NOT_FOUND if the topic has no route */
    public Reply<TopicRoute> getTopicRoute(String topic) {
        return getTopicRoute(topic, CallOptions.DEFAULT);
    }

    public Reply<TopicRoute> getTopicRoute(String topic, CallOptions options) {
        return call(
                RequestEnvelope.newBuilder()
                        .setGetTopicRoute(GetTopicRouteRequest.newBuilder().setTopic(nonNull(topic, "topic"))),
                options, true, ResponseEnvelope.BodyCase.GET_TOPIC_ROUTE, x -> x.getGetTopicRoute().getRoute());
    }

    public Reply<GetClusterInfoResponse> getClusterInfo() {
        return getClusterInfo(CallOptions.DEFAULT);
    }

    public Reply<GetClusterInfoResponse> getClusterInfo(CallOptions options) {
        return call(RequestEnvelope.newBuilder().setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance()), options,
                true, ResponseEnvelope.BodyCase.GET_CLUSTER_INFO, ResponseEnvelope::getGetClusterInfo);
    }

    /** @param clusterOrNull {@code null} or empty = topics of all clusters; the list is sorted */
    public Reply<List<String>> listTopics(String clusterOrNull) {
        return listTopics(clusterOrNull, CallOptions.DEFAULT);
    }

    public Reply<List<String>> listTopics(String clusterOrNull, CallOptions options) {
        ListTopicsRequest.Builder r = ListTopicsRequest.newBuilder();
        if (clusterOrNull != null)
            r.setCluster(clusterOrNull);
        return call(RequestEnvelope.newBuilder().setListTopics(r), options, true, ResponseEnvelope.BodyCase.LIST_TOPICS,
                x -> List.copyOf(x.getListTopics().getTopicsList()));
    }

    /** @throws NamesrvException with code KEY_NOT_FOUND if there is no such key */
    public Reply<String> kvGet(String namespace, String key) {
        return kvGet(namespace, key, CallOptions.DEFAULT);
    }

    public Reply<String> kvGet(String namespace, String key, CallOptions options) {
        KvGetRequest r = KvGetRequest.newBuilder().setNamespace(nonNull(namespace, "namespace"))
                .setKey(nonNull(key, "key")).build();
        return call(RequestEnvelope.newBuilder().setKvGet(r), options, true, ResponseEnvelope.BodyCase.KV_GET,
                x -> x.getKvGet().getValue());
    }

    /** @return the namespace's entries, sorted by key */
    public Reply<Map<String, String>> kvList(String namespace) {
        return kvList(namespace, CallOptions.DEFAULT);
    }

    public Reply<Map<String, String>> kvList(String namespace, CallOptions options) {
        KvListRequest r = KvListRequest.newBuilder().setNamespace(nonNull(namespace, "namespace")).build();
        return call(RequestEnvelope.newBuilder().setKvList(r), options, true, ResponseEnvelope.BodyCase.KV_LIST,
                x -> Collections.unmodifiableMap(new TreeMap<>(x.getKvList().getEntriesMap())));
    }

    /**
     * Status of one node.
     *
     * @param endpointOrNull {@code host:port} to ask that node only (no failover); {@code null} = any node
     */
    public Reply<GetNodeStatusResponse> nodeStatus(String endpointOrNull) {
        return nodeStatus(endpointOrNull, CallOptions.DEFAULT);
    }

    public Reply<GetNodeStatusResponse> nodeStatus(String endpointOrNull, CallOptions options) {
        CallOptions o = options == null ? CallOptions.DEFAULT : options;
        if (endpointOrNull != null)
            o = o.withNode(endpointOrNull);
        // routed like a read (sticky endpoint) but sends no ReadOptions: status is always local
        Reply<GetNodeStatusResponse> r = engine.local(
                RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance()), o,
                ResponseEnvelope.BodyCase.GET_NODE_STATUS, ResponseEnvelope::getGetNodeStatus);
        if (!modes.known())
            modes.learn(r.value().getMode()); // AUTO: any status answer tells the mode
        return r;
    }

    // ---- backup (raft mode; leaderless nodes answer UNSUPPORTED_REQUEST) ----------------------------------------

    /**
     * Saves a backup of the cluster's state into {@code file} (which must not exist): one node (any, or
     * {@code options.node()}) runs a read barrier at {@code options}' level (LINEARIZABLE by default), copies its
     * whole store at one applied index, and sends it in chunks; the file appears only once complete and checked.
     *
     * @throws NamesrvException if a node refuses or fails (an expired transfer: start again)
     * @throws java.io.UncheckedIOException if the file exists or cannot be written
     * @throws IllegalStateException if the node sent an inconsistent or corrupt backup
     */
    public SavedSnapshot saveSnapshot(java.nio.file.Path file, CallOptions options) {
        return SnapshotDownload.run(engine, java.util.Objects.requireNonNull(file, "file"), options);
    }

    // ---- membership (raft mode; leaderless nodes answer UNSUPPORTED_REQUEST) -----------------------------------

    /**
     * The voting members as one node knows them (the leader: its current configuration; others: the last committed
     * one). Routed like node status (any node, or {@code options.node()}); answered locally, never forwarded.
     */
    public Reply<ListPeersResponse> listPeers(CallOptions options) {
        return engine.local(RequestEnvelope.newBuilder().setListPeers(ListPeersRequest.getDefaultInstance()), options,
                ResponseEnvelope.BodyCase.LIST_PEERS, ResponseEnvelope::getListPeers);
    }

    /**
     * Adds a voter, written {@code id@host:raftPort:clientPort} (as in the server's {@code members} setting). Routed
     * like a write; answers once the new configuration is committed. OUTCOME_UNKNOWN: check {@link #listPeers}.
     */
    public Reply<AddPeerResponse> addPeer(String memberSpec, CallOptions options) {
        AddPeerRequest r = parseMember(nonNull(memberSpec, "member"));
        return engine.leaderWrite(RequestEnvelope.newBuilder().setAddPeer(r), options,
                ResponseEnvelope.BodyCase.ADD_PEER, ResponseEnvelope::getAddPeer);
    }

    /** Removes a voter by id (the leader too: it steps down once the change commits). Routed like a write. */
    public Reply<RemovePeerResponse> removePeer(String nodeId, CallOptions options) {
        RemovePeerRequest r = RemovePeerRequest.newBuilder().setNodeId(nonNull(nodeId, "node id")).build();
        return engine.leaderWrite(RequestEnvelope.newBuilder().setRemovePeer(r), options,
                ResponseEnvelope.BodyCase.REMOVE_PEER, ResponseEnvelope::getRemovePeer);
    }

    /** Asks the leader to hand leadership to {@code nodeId}; answers once the transfer started. Routed like a write. */
    public Reply<TransferLeadershipResponse> transferLeadership(String nodeId, CallOptions options) {
        TransferLeadershipRequest r = TransferLeadershipRequest.newBuilder().setNodeId(nonNull(nodeId, "node id"))
                .build();
        return engine.leaderWrite(RequestEnvelope.newBuilder().setTransferLeadership(r), options,
                ResponseEnvelope.BodyCase.TRANSFER_LEADERSHIP, ResponseEnvelope::getTransferLeadership);
    }

    /** Parses {@code id@host:raftPort:clientPort}; {@link IllegalArgumentException} naming the problem otherwise. */
    public static AddPeerRequest parseMember(String spec) {
        MemberSpec m = MemberSpec.parse(spec);
        if (m.raftPort() < 1 || m.raftPort() > 65535 || m.clientPort() < 1 || m.clientPort() > 65535) {
            throw new IllegalArgumentException("member '" + spec + "': ports must be in [1, 65535]");
        }
        return AddPeerRequest.newBuilder().setNodeId(m.id()).setHost(m.host()).setRaftPort(m.raftPort())
                .setClientPort(m.clientPort()).build();
    }

    /** The engine, for {@link BrokerRegistrar}'s per-node calls in leaderless mode. */
    ClientEngine engine() {
        return engine;
    }

    // ---- generic -----------------------------------------------------------------------------------------------

    /**
     * Sends any request with this client's routing, retries and index tracking. Completes with the OK response or
     * exceptionally with a {@link NamesrvException} ({@link IllegalStateException} once closed). For reads
     * ({@code isRead}), {@code read} options are set from {@code options}; the request's {@code request_id},
     * {@code timeout_ms} and {@code client_id} are always set by the client.
     *
     * <p>In leaderless mode a write ({@code !isRead}) not pinned to a node fans out like the typed writes and
     * completes with the first successful endpoint's response (per-endpoint outcomes are only available from the
     * typed methods). In AUTO mode the first call may block to learn the mode ({@link #mode()}); if that fails the
     * future fails with its NamesrvException.
     */
    public CompletableFuture<ResponseEnvelope> callAsync(RequestEnvelope.Builder request, CallOptions options,
            boolean isRead) {
        return engine.callAsync(request, options, isRead);
    }

    /**
     * Starts a {@link RouteWatcher} over this client's nodes: its first poll reads at the client's default level, the
     * next ones are held up to 30 s each. Close the watcher (or this client) to stop it.
     */
    public RouteWatcher watch(RouteWatcher.Scope scope, RouteWatcher.Listener listener) {
        return watch(scope, listener, null, Duration.ofSeconds(30));
    }

    /**
     * As {@link #watch(RouteWatcher.Scope, RouteWatcher.Listener)}; {@code firstRead} is the level of the first poll
     * ({@code null} = the client's default) and {@code maxWait} how long a node holds a poll when nothing changes
     * (keep it below the nodes' rpc.idle-timeout-ms).
     */
    public RouteWatcher watch(RouteWatcher.Scope scope, RouteWatcher.Listener listener, Consistency firstRead,
            Duration maxWait) {
        RouteWatcher w = new RouteWatcher(caller, engine.scheduler(), scope, listener, firstRead, maxWait);
        w.start();
        return w;
    }

    /** Closes connections and threads; pending calls fail. */
    @Override
    public void close() {
        engine.close();
    }

    private <T> Reply<T> call(RequestEnvelope.Builder req, CallOptions options, boolean isRead,
            ResponseEnvelope.BodyCase expected, Function<ResponseEnvelope, T> extract) {
        return engine.call(req, options, isRead, expected, extract);
    }

    /** A validating builder; {@link #build()} throws {@link IllegalArgumentException} naming the bad setting. */
    public static final class Builder {
        private List<String> endpoints;
        private Duration requestTimeout = Duration.ofSeconds(3);
        private Duration overallTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Consistency defaultConsistency = Consistency.LINEARIZABLE;
        private String clientId = "rns-java-client";
        private String credentials;
        private RpcClientOptions rpcOptions = RpcClientOptions.defaults();
        private Long randomSeed;
        private boolean defaultConsistencyExplicit;
        private ClusterMode mode = ClusterMode.AUTO;
        private boolean exactlyOnce = true;

        private Builder() {
        }

        /** Required: the nodes' client addresses, {@code host:port}, at least one, no duplicates. */
        public Builder endpoints(List<String> endpoints) {
            this.endpoints = endpoints == null ? null : new ArrayList<>(endpoints);
            return this;
        }

        public Builder endpoints(String... endpoints) {
            return endpoints(endpoints == null ? null : Arrays.asList(endpoints));
        }

        /** Deadline of one attempt (default 3 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }
        /** Deadline of a whole call, across retries (default 10 s). */
        public Builder overallTimeout(Duration d) {
            this.overallTimeout = d;
            return this;
        }

        public Builder retryPolicy(RetryPolicy p) {
            this.retryPolicy = p;
            return this;
        }
        /**
         * Level of reads whose CallOptions name none (default LINEARIZABLE; in leaderless mode STALE). Set explicitly,
         * it is sent as-is in every mode: a leaderless node refuses LINEARIZABLE, LEASE and SEQUENTIAL with
         * CONSISTENCY_NOT_SUPPORTED, and the client never downgrades.
         */
        public Builder defaultConsistency(Consistency c) {
            this.defaultConsistency = c;
            this.defaultConsistencyExplicit = true;
            return this;
        }

        /** The cluster's mode (default {@link ClusterMode#AUTO}: learned from the first GetNodeStatus answer). */
        public Builder mode(ClusterMode m) {
            this.mode = m;
            return this;
        }
        /**
         * The account this client acts as, for nodes with auth.enabled=true (sent with every request; use TLS so it
         * cannot be read on the way). Null: none (the nodes' anonymous account).
         *
         * @throws IllegalArgumentException if the account name is empty or has a ':'
         */
        public Builder credentials(String account, String secret) {
            if (account == null) {
                this.credentials = null;
                return this;
            }
            if (account.isEmpty() || account.indexOf(':') >= 0 || secret == null) {
                throw new IllegalArgumentException("credentials: an account name without ':' and a secret are needed");
            }
            this.credentials = account + ":" + secret;
            return this;
        }

        /** Free-form id sent with every request, for server logs. */
        public Builder clientId(String id) {
            this.clientId = id;
            return this;
        }

        public Builder rpcOptions(RpcClientOptions o) {
            this.rpcOptions = o;
            return this;
        }
        /** Seeds the start endpoint choice and the backoff jitter (for reproducible tests). */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * Exactly-once writes (default true): in raft mode every write runs in a client session, so a retry is never
         * applied twice and a late copy of an earlier attempt cannot undo a later write (SESSION_EXPIRED and
         * STALE_SEQUENCE in {@link NamesrvException#code()}). False: at-least-once, as RocketMQ brokers write.
         */
        public Builder exactlyOnce(boolean on) {
            this.exactlyOnce = on;
            return this;
        }

        public NamesrvClient build() {
            return new NamesrvClient(new ClientSettings(endpoints, requestTimeout, overallTimeout, retryPolicy,
                    defaultConsistency, defaultConsistencyExplicit, clientId, rpcOptions, randomSeed, mode, exactlyOnce,
                    credentials));
        }
    }
}
