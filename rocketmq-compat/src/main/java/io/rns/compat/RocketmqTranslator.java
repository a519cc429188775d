package io.rns.compat;

import com.alibaba.fastjson2.JSONWriter;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ChangeWritePermRequest;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.DeleteTopicRequest;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetBrokerRequest;
import io.rns.rpc.v1.GetBrokerResponse;
import io.rns.rpc.v1.GetClusterInfoRequest;
import io.rns.rpc.v1.GetTopicRouteRequest;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.KvDeleteRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvListRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterTopicRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.UnitFilter;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.WritePermChange;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.help.FAQUrl;
import org.apache.rocketmq.common.namesrv.NamesrvUtil;
import org.apache.rocketmq.remoting.exception.RemotingCommandException;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.BrokerMemberGroup;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.GetBrokerMemberGroupResponseBody;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.header.GetBrokerMemberGroupRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.GetTopicsByClusterRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.AddWritePermOfBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.BrokerHeartbeatRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.DeleteKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.DeleteTopicFromNamesrvRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVListByNamespaceRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.PutKVConfigRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.QueryDataVersionRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterTopicRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.UnRegisterBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.WipeWritePermOfBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * RocketMQ request codes onto native requests and back. Every code is answered: the codes it knows with stock
 * semantics (see README "Use RNS with an existing RocketMQ cluster"), any other with 3 REQUEST_CODE_NOT_SUPPORTED.
 * Native errors map as TOPIC_NOT_FOUND → 17, KEY_NOT_FOUND → 22, OVERLOADED → 2 SYSTEM_BUSY, anything else → 1
 * SYSTEM_ERROR with a remark naming the RNS code and message.
 */
final class RocketmqTranslator {
    /** Optional ext field of any read: the consistency level (LINEARIZABLE, LEASE, SEQUENTIAL, STALE). */
    static final String CONSISTENCY_EXT = "rnsConsistency";

    enum Kind {
        QUERY,
        WRITE,
        UNSUPPORTED
    }

    /** The native call, with the RocketMQ channel as its inbound context. */
    interface NativeCall extends BiFunction<RequestEnvelope, InboundContext, CompletableFuture<ResponseEnvelope>> {}

    private final NamesrvConfig config;
    private final NativeCall nativeCall;

    RocketmqTranslator(NamesrvConfig config, NativeCall nativeCall) {
        this.config = config;
        this.nativeCall = nativeCall;
    }

    static Kind kindOf(int code) {
        return switch (code) {
            case RequestCode.GET_ROUTEINFO_BY_TOPIC,
                    RequestCode.GET_BROKER_CLUSTER_INFO,
                    RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
                    RequestCode.GET_TOPICS_BY_CLUSTER,
                    RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS,
                    RequestCode.GET_UNIT_TOPIC_LIST,
                    RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST,
                    RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
                    RequestCode.GET_KV_CONFIG,
                    RequestCode.GET_KVLIST_BY_NAMESPACE,
                    RequestCode.GET_NAMESRV_CONFIG,
                    RequestCode.GET_BROKER_MEMBER_GROUP -> Kind.QUERY;
            case RequestCode.REGISTER_BROKER,
                    RequestCode.UNREGISTER_BROKER,
                    RequestCode.PUT_KV_CONFIG,
                    RequestCode.DELETE_KV_CONFIG,
                    RequestCode.DELETE_TOPIC_IN_NAMESRV,
                    RequestCode.UPDATE_NAMESRV_CONFIG,
                    RequestCode.QUERY_DATA_VERSION,
                    RequestCode.BROKER_HEARTBEAT,
                    RequestCode.WIPE_WRITE_PERM_OF_BROKER,
                    RequestCode.ADD_WRITE_PERM_OF_BROKER,
                    RequestCode.REGISTER_TOPIC_IN_NAMESRV -> Kind.WRITE;
            default -> Kind.UNSUPPORTED;
        };
    }

    static RemotingCommand notSupported(int code) {
        return RemotingCommand.createResponseCommand(
                ResponseCode.REQUEST_CODE_NOT_SUPPORTED, "request type " + code + " not supported");
    }

    CompletableFuture<RemotingCommand> handle(RemotingCommand req, InboundContext ctx) throws Exception {
        return switch (req.getCode()) {
            case RequestCode.REGISTER_BROKER -> registerBroker(req, ctx);
            case RequestCode.UNREGISTER_BROKER -> unregisterBroker(req, ctx);
            case RequestCode.GET_ROUTEINFO_BY_TOPIC -> routeInfo(req, ctx);
            case RequestCode.GET_BROKER_CLUSTER_INFO -> clusterInfo(req, ctx);
            case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER -> topics(req, ctx, "", UnitFilter.UNIT_FILTER_NONE);
            case RequestCode.GET_TOPICS_BY_CLUSTER ->
                topics(
                        req,
                        ctx,
                        header(req, GetTopicsByClusterRequestHeader.class).getCluster(),
                        UnitFilter.UNIT_FILTER_NONE);
            case RequestCode.GET_UNIT_TOPIC_LIST -> topics(req, ctx, "", UnitFilter.UNIT);
            case RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST -> topics(req, ctx, "", UnitFilter.HAS_UNIT_SUB);
            case RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST ->
                topics(req, ctx, "", UnitFilter.HAS_UNIT_SUB_NOT_UNIT);
            case RequestCode.QUERY_DATA_VERSION -> queryDataVersion(req, ctx);
            case RequestCode.BROKER_HEARTBEAT -> brokerHeartbeat(req, ctx);
            case RequestCode.WIPE_WRITE_PERM_OF_BROKER -> changeWritePerm(req, ctx, WritePermChange.WIPE_WRITE);
            case RequestCode.ADD_WRITE_PERM_OF_BROKER -> changeWritePerm(req, ctx, WritePermChange.ADD_WRITE);
            case RequestCode.REGISTER_TOPIC_IN_NAMESRV -> registerTopic(req, ctx);
            case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS -> systemTopics(req, ctx);
            case RequestCode.GET_BROKER_MEMBER_GROUP -> brokerMemberGroup(req, ctx);
            case RequestCode.PUT_KV_CONFIG -> kvPut(req, ctx);
            case RequestCode.GET_KV_CONFIG -> kvGet(req, ctx);
            case RequestCode.DELETE_KV_CONFIG -> kvDelete(req, ctx);
            case RequestCode.GET_KVLIST_BY_NAMESPACE -> kvList(req, ctx);
            case RequestCode.DELETE_TOPIC_IN_NAMESRV -> deleteTopic(req, ctx);
            case RequestCode.GET_NAMESRV_CONFIG -> CompletableFuture.completedFuture(namesrvConfig());
            case RequestCode.UPDATE_NAMESRV_CONFIG -> CompletableFuture.completedFuture(updateNamesrvConfig(req));
            default -> CompletableFuture.completedFuture(notSupported(req.getCode()));
        };
    }

    // ------------------------------------------------------------------------------------------------------------
    // Native plumbing

    /**
     * The request's header from its ext fields. Required ({@code @CFNotNull}) fields that are missing fail with the
     * stock message "the custom field <name> is null" (rocketmq-remoting 5.5.0 would otherwise hand back nulls).
     */
    static <T extends org.apache.rocketmq.remoting.CommandCustomHeader> T header(RemotingCommand req, Class<T> type)
            throws RemotingCommandException {
        Map<String, String> ext = req.getExtFields() == null ? Map.of() : req.getExtFields();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(org.apache.rocketmq.remoting.annotation.CFNotNull.class)
                        && !java.lang.reflect.Modifier.isStatic(f.getModifiers())
                        && ext.get(f.getName()) == null) {
                    throw new RemotingCommandException(
                            "the custom field <" + f.getName() + "> is null (request code " + req.getCode() + ")");
                }
            }
        }
        return req.decodeCommandCustomHeader(type);
    }

    private CompletableFuture<RemotingCommand> call(
            RequestEnvelope.Builder env, InboundContext ctx, Function<ResponseEnvelope, RemotingCommand> onOk) {
        return callNative(env.setClientId("rocketmq:" + ctx.remoteAddress()).build(), ctx)
                .thenApply(r -> r.getHeader().getCode() == ErrorCode.OK ? onOk.apply(r) : mapError(r.getHeader()));
    }

    /**
     * The native call, retried while the cluster has no usable leader (NOT_LEADER without a leader to forward to,
     * NO_QUORUM, SHUTTING_DOWN: nothing was applied) until the request's deadline. Native clients retry by
     * themselves; RocketMQ brokers do not (the next attempt is their next 30 s registration), so without this a
     * registration that reaches a follower during an election would be lost for 30 s.
     */
    CompletableFuture<ResponseEnvelope> callNative(RequestEnvelope env, InboundContext ctx) {
        return nativeCall.apply(env, ctx).thenCompose(r -> {
            if (!notAppliedAndRetriable(r.getHeader().getCode())) {
                return CompletableFuture.completedFuture(r);
            }
            long leftMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(ctx.deadlineNanos() - System.nanoTime());
            if (leftMs < 2 * RETRY_BACKOFF_MS) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture.supplyAsync(
                            () -> null,
                            CompletableFuture.delayedExecutor(
                                    RETRY_BACKOFF_MS, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .thenCompose(x -> callNative(env, ctx));
        });
    }

    static final long RETRY_BACKOFF_MS = 200;

    static boolean notAppliedAndRetriable(ErrorCode code) {
        return code == ErrorCode.NOT_LEADER || code == ErrorCode.NO_QUORUM || code == ErrorCode.SHUTTING_DOWN;
    }

    /** A native error answer as a RocketMQ response. */
    static RemotingCommand mapError(ResponseHeader h) {
        return switch (h.getCode()) {
            case TOPIC_NOT_FOUND -> RemotingCommand.createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, h.getMessage());
            case KEY_NOT_FOUND -> RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND, h.getMessage());
            case OVERLOADED ->
                RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_BUSY, "[RNS OVERLOADED] " + h.getMessage());
            default ->
                RemotingCommand.createResponseCommand(
                        ResponseCode.SYSTEM_ERROR,
                        "[RNS " + h.getCode().name() + "] " + h.getMessage()
                                + (h.getLeaderHint().isEmpty() ? "" : " (leader: " + h.getLeaderHint() + ")"));
        };
    }

    /** A failure of the translation itself (bad header, bad body, bug) as a RocketMQ response. */
    static RemotingCommand failure(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String msg = e instanceof RemotingCommandException || e instanceof IllegalArgumentException
                ? e.getMessage()
                : e.toString();
        return RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, msg);
    }

    private static RemotingCommand ok() {
        return RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
    }

    private static RemotingCommand ok(byte[] body) {
        RemotingCommand r = ok();
        r.setBody(body);
        return r;
    }

    /** The read level: the ext field {@value #CONSISTENCY_EXT} if given, else the node's default (STALE when leaderless). */
    ReadOptions readOptions(RemotingCommand req) {
        String s = req.getExtFields() == null ? null : req.getExtFields().get(CONSISTENCY_EXT);
        Consistency c;
        if (s == null || s.isEmpty()) {
            c = config.mode() == NamesrvConfig.Mode.LEADERLESS ? Consistency.STALE : config.defaultConsistency();
        } else {
            c = parseConsistency(s);
        }
        return ReadOptions.newBuilder().setConsistency(c).build();
    }

    static Consistency parseConsistency(String s) {
        try {
            Consistency c = Consistency.valueOf(s.trim().toUpperCase(Locale.ROOT));
            if (c != Consistency.CONSISTENCY_UNSPECIFIED && c != Consistency.UNRECOGNIZED) {
                return c;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("invalid ext field " + CONSISTENCY_EXT + "='" + s
                + "': must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE");
    }

    // ------------------------------------------------------------------------------------------------------------
    // 103 REGISTER_BROKER, 104 UNREGISTER_BROKER

    /** crc32 & 0x7FFFFFFF, as the broker computes bodyCrc32. */
    static int crc32(byte[] body) {
        CRC32 c = new CRC32();
        c.update(body, 0, body.length);
        return (int) (c.getValue() & 0x7FFFFFFF);
    }

    /** The broker's topic configs and data version from a REGISTER_BROKER body, parsed as stock does for {@code version}. */
    static TopicConfigSerializeWrapper parseRegisterBody(byte[] body, boolean compressed, int version)
            throws IOException {
        TopicConfigSerializeWrapper w;
        if (body == null || body.length == 0) {
            w = new TopicConfigSerializeWrapper();
        } else if (version >= MQVersion.Version.V3_0_11.ordinal()) {
            RegisterBrokerBody b = RegisterBrokerBody.decode(body, compressed, MQVersion.value2Version(version));
            TopicConfigAndMappingSerializeWrapper tw = b.getTopicConfigSerializeWrapper();
            w = tw == null ? new TopicConfigSerializeWrapper() : tw;
        } else {
            w = TopicConfigSerializeWrapper.decode(body, TopicConfigSerializeWrapper.class);
        }
        if (w == null) {
            throw new IOException("REGISTER_BROKER body is not a RegisterBrokerBody/TopicConfigSerializeWrapper");
        }
        if (w.getDataVersion() == null) {
            w.setDataVersion(new DataVersion());
        }
        return w;
    }

    /** Header + parsed body → native registration (bound to the connection; lease from heartbeatTimeoutMillis or config). */
    RegisterBrokerRequest toNativeRegister(RegisterBrokerRequestHeader h, TopicConfigSerializeWrapper w) {
        RegisterBrokerRequest.Builder b = RegisterBrokerRequest.newBuilder()
                .setCluster(h.getClusterName())
                .setBrokerName(h.getBrokerName())
                .setBrokerId(h.getBrokerId())
                .setBrokerAddr(h.getBrokerAddr())
                .setHaServerAddr(h.getHaServerAddr() == null ? "" : h.getHaServerAddr())
                .setDataVersion(io.rns.rpc.v1.DataVersion.newBuilder()
                        .setTimestamp(w.getDataVersion().getTimestamp())
                        .setCounter(
                                w.getDataVersion().getCounter() == null
                                        ? 0
                                        : w.getDataVersion().getCounter().get()))
                .setLeaseTimeoutMs(leaseMs(h.getHeartbeatTimeoutMillis()))
                .setBindConnection(true);
        if (w.getTopicConfigTable() != null) {
            // sorted: the same registration always makes the same native request (and the same log record)
            for (TopicConfig t : new TreeMap<>(w.getTopicConfigTable()).values()) {
                b.addTopics(io.rns.rpc.v1.TopicConfig.newBuilder()
                        .setTopic(t.getTopicName())
                        .setReadQueueNums(t.getReadQueueNums())
                        .setWriteQueueNums(t.getWriteQueueNums())
                        .setPerm(t.getPerm())
                        .setTopicSysFlag(t.getTopicSysFlag()));
            }
        }
        return b.build();
    }

    /** heartbeatTimeoutMillis if the broker sent one (clamped to the liveness bounds), else rocketmq.broker-lease-ms. */
    int leaseMs(Long heartbeatTimeoutMillis) {
        if (heartbeatTimeoutMillis == null || heartbeatTimeoutMillis <= 0) {
            return config.rocketmq().brokerLeaseMs();
        }
        long v = Math.max(
                config.liveness().minLeaseMs(), Math.min(config.liveness().maxLeaseMs(), heartbeatTimeoutMillis));
        return (int) v;
    }

    private CompletableFuture<RemotingCommand> registerBroker(RemotingCommand req, InboundContext ctx)
            throws Exception {
        RegisterBrokerRequestHeader h = header(req, RegisterBrokerRequestHeader.class);
        byte[] body = req.getBody();
        if (h.getBodyCrc32() != null && h.getBodyCrc32() != 0 && body != null && crc32(body) != h.getBodyCrc32()) {
            return CompletableFuture.completedFuture(
                    RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, "crc32 not match"));
        }
        TopicConfigSerializeWrapper w;
        try {
            w = parseRegisterBody(body, h.isCompressed(), req.getVersion());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(RemotingCommand.createResponseCommand(
                    ResponseCode.SYSTEM_ERROR,
                    "cannot parse the REGISTER_BROKER body (compressed=" + h.isCompressed() + ", version="
                            + req.getVersion() + "): " + e));
        }
        RegisterBrokerRequest r = toNativeRegister(h, w);
        ReadOptions read = readOptions(req);
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setClientId("rocketmq-broker:" + ctx.remoteAddress())
                                .setRegisterBroker(r)
                                .build(),
                        ctx)
                .thenCompose(resp -> {
                    if (resp.getHeader().getCode() != ErrorCode.OK) {
                        return CompletableFuture.completedFuture(mapError(resp.getHeader()));
                    }
                    RemotingCommand out = ok();
                    if (!resp.getRegisterBroker().getMasterAddr().isEmpty()) {
                        out.addExtField("masterAddr", resp.getRegisterBroker().getMasterAddr());
                    }
                    if (!resp.getRegisterBroker().getHaServerAddr().isEmpty()) {
                        out.addExtField("haServerAddr", resp.getRegisterBroker().getHaServerAddr());
                    }
                    if (req.isOnewayRPC()) {
                        return CompletableFuture.completedFuture(out);
                    }
                    // stock returns the ORDER_TOPIC_CONFIG namespace (if any) to the broker
                    return callNative(
                                    RequestEnvelope.newBuilder()
                                            .setRead(read)
                                            .setClientId("rocketmq-broker:" + ctx.remoteAddress())
                                            .setKvList(KvListRequest.newBuilder()
                                                    .setNamespace(NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG))
                                            .build(),
                                    ctx)
                            .thenApply(kv -> {
                                if (kv.getHeader().getCode() == ErrorCode.OK
                                        && kv.getKvList().getEntriesCount() > 0) {
                                    KVTable t = new KVTable();
                                    t.setTable(new HashMap<>(kv.getKvList().getEntriesMap()));
                                    out.setBody(t.encode());
                                }
                                return out;
                            });
                });
    }

    private CompletableFuture<RemotingCommand> unregisterBroker(RemotingCommand req, InboundContext ctx)
            throws Exception {
        UnRegisterBrokerRequestHeader h = header(req, UnRegisterBrokerRequestHeader.class);
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setClientId("rocketmq:" + ctx.remoteAddress())
                                .setUnregisterBroker(UnregisterBrokerRequest.newBuilder()
                                        .setCluster(h.getClusterName())
                                        .setBrokerName(h.getBrokerName())
                                        .setBrokerId(h.getBrokerId())
                                        .setBrokerAddr(h.getBrokerAddr()))
                                .build(),
                        ctx)
                // a broker unregisters from every listed node in turn: the first removes it cluster-wide, and stock
                // answers the others 0 too (removing an absent broker is a no-op there)
                .thenApply(r ->
                        r.getHeader().getCode() == ErrorCode.OK || r.getHeader().getCode() == ErrorCode.UNKNOWN_BROKER
                                ? ok()
                                : mapError(r.getHeader()));
    }

    // ------------------------------------------------------------------------------------------------------------
    // 105 GET_ROUTEINFO_BY_TOPIC, 106 GET_BROKER_CLUSTER_INFO, topic lists

    static TopicRouteData toTopicRouteData(TopicRoute route) {
        TopicRouteData d = new TopicRouteData();
        List<QueueData> qds = new ArrayList<>();
        for (io.rns.rpc.v1.QueueData q : route.getQueueDatasList()) {
            QueueData qd = new QueueData();
            qd.setBrokerName(q.getBrokerName());
            qd.setReadQueueNums(q.getReadQueueNums());
            qd.setWriteQueueNums(q.getWriteQueueNums());
            qd.setPerm(q.getPerm());
            qd.setTopicSysFlag(q.getTopicSysFlag());
            qds.add(qd);
        }
        List<BrokerData> bds = new ArrayList<>();
        for (io.rns.rpc.v1.BrokerData b : route.getBrokerDatasList()) {
            bds.add(toBrokerData(b));
        }
        d.setQueueDatas(qds);
        d.setBrokerDatas(bds);
        d.setFilterServerTable(new HashMap<>());
        return d;
    }

    static BrokerData toBrokerData(io.rns.rpc.v1.BrokerData b) {
        return new BrokerData(b.getCluster(), b.getBrokerName(), new HashMap<>(new TreeMap<>(b.getBrokerAddrsMap())));
    }

    /** Stock: standard JSON (quoted map keys, sorted) for version ≥ V4_9_4 or acceptStandardJsonOnly, else fastjson's own. */
    static byte[] encodeRoute(TopicRouteData d, int version, Boolean acceptStandardJsonOnly) {
        if (version >= MQVersion.Version.V4_9_4.ordinal() || Boolean.TRUE.equals(acceptStandardJsonOnly)) {
            return d.encode(
                    JSONWriter.Feature.BrowserCompatible,
                    JSONWriter.Feature.MapSortField,
                    JSONWriter.Feature.WriteNonStringKeyAsString);
        }
        return d.encode();
    }

    static String noRouteRemark(String topic) {
        return "No topic route info in name server for the topic: " + topic
                + FAQUrl.suggestTodo(FAQUrl.APPLY_TOPIC_URL);
    }

    private CompletableFuture<RemotingCommand> routeInfo(RemotingCommand req, InboundContext ctx) throws Exception {
        GetRouteInfoRequestHeader h = header(req, GetRouteInfoRequestHeader.class);
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setRead(readOptions(req))
                                .setClientId("rocketmq:" + ctx.remoteAddress())
                                .setGetTopicRoute(
                                        GetTopicRouteRequest.newBuilder().setTopic(h.getTopic()))
                                .build(),
                        ctx)
                .thenApply(r -> {
                    ErrorCode code = r.getHeader().getCode();
                    if (code == ErrorCode.TOPIC_NOT_FOUND
                            || (code == ErrorCode.OK
                                    && r.getGetTopicRoute().getRoute().getBrokerDatasCount() == 0)) {
                        return RemotingCommand.createResponseCommand(
                                ResponseCode.TOPIC_NOT_EXIST, noRouteRemark(h.getTopic()));
                    }
                    if (code != ErrorCode.OK) {
                        return mapError(r.getHeader());
                    }
                    return ok(encodeRoute(
                            toTopicRouteData(r.getGetTopicRoute().getRoute()),
                            req.getVersion(),
                            h.getAcceptStandardJsonOnly()));
                });
    }

    static ClusterInfo toClusterInfo(io.rns.rpc.v1.GetClusterInfoResponse c) {
        ClusterInfo info = new ClusterInfo();
        Map<String, BrokerData> brokers = new HashMap<>();
        c.getBrokerAddrTableMap().forEach((name, b) -> brokers.put(name, toBrokerData(b)));
        Map<String, Set<String>> clusters = new HashMap<>();
        c.getClusterAddrTableMap()
                .forEach(
                        (cluster, names) -> clusters.put(cluster, new java.util.HashSet<>(names.getBrokerNamesList())));
        info.setBrokerAddrTable(brokers);
        info.setClusterAddrTable(clusters);
        return info;
    }

    private CompletableFuture<io.rns.rpc.v1.GetClusterInfoResponse> nativeClusterInfo(
            RemotingCommand req, InboundContext ctx, RemotingCommand[] error) {
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setRead(readOptions(req))
                                .setClientId("rocketmq:" + ctx.remoteAddress())
                                .setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance())
                                .build(),
                        ctx)
                .thenApply(r -> {
                    if (r.getHeader().getCode() != ErrorCode.OK) {
                        error[0] = mapError(r.getHeader());
                        return null;
                    }
                    return r.getGetClusterInfo();
                });
    }

    private CompletableFuture<RemotingCommand> clusterInfo(RemotingCommand req, InboundContext ctx) {
        RemotingCommand[] error = {null};
        return nativeClusterInfo(req, ctx, error)
                .thenApply(c -> c == null ? error[0] : ok(toClusterInfo(c).encode()));
    }

    private CompletableFuture<RemotingCommand> topics(
            RemotingCommand req, InboundContext ctx, String cluster, UnitFilter filter) {
        return call(
                RequestEnvelope.newBuilder()
                        .setRead(readOptions(req))
                        .setListTopics(ListTopicsRequest.newBuilder()
                                .setCluster(cluster == null ? "" : cluster)
                                .setUnitFilter(filter)),
                ctx,
                r -> {
                    TopicList list = new TopicList();
                    list.setTopicList(new LinkedHashSet<>(r.getListTopics().getTopicsList()));
                    return ok(list.encode());
                });
    }

    /** 304: stock lists cluster names and broker names as "system topics", plus the address of some broker. */
    private CompletableFuture<RemotingCommand> systemTopics(RemotingCommand req, InboundContext ctx) {
        RemotingCommand[] error = {null};
        return nativeClusterInfo(req, ctx, error).thenApply(c -> {
            if (c == null) {
                return error[0];
            }
            TopicList list = new TopicList();
            Set<String> names = new TreeSet<>();
            String addr = null;
            for (var e : new TreeMap<>(c.getClusterAddrTableMap()).entrySet()) {
                names.add(e.getKey());
                names.addAll(e.getValue().getBrokerNamesList());
            }
            for (io.rns.rpc.v1.BrokerData b : new TreeMap<>(c.getBrokerAddrTableMap()).values()) {
                if (addr == null && !b.getBrokerAddrsMap().isEmpty()) {
                    addr = new TreeMap<>(b.getBrokerAddrsMap()).firstEntry().getValue();
                }
            }
            list.setTopicList(names);
            list.setBrokerAddr(addr);
            return ok(list.encode());
        });
    }

    /** 901 (5.x acting-master): the broker group's members. */
    private CompletableFuture<RemotingCommand> brokerMemberGroup(RemotingCommand req, InboundContext ctx)
            throws Exception {
        GetBrokerMemberGroupRequestHeader h = header(req, GetBrokerMemberGroupRequestHeader.class);
        RemotingCommand[] error = {null};
        return nativeClusterInfo(req, ctx, error).thenApply(c -> {
            if (c == null) {
                return error[0];
            }
            BrokerMemberGroup g = new BrokerMemberGroup(h.getClusterName(), h.getBrokerName());
            io.rns.rpc.v1.BrokerData b = c.getBrokerAddrTableMap().get(h.getBrokerName());
            if (b != null && b.getCluster().equals(h.getClusterName())) {
                g.getBrokerAddrs().putAll(new TreeMap<>(b.getBrokerAddrsMap()));
            }
            GetBrokerMemberGroupResponseBody body = new GetBrokerMemberGroupResponseBody();
            body.setBrokerMemberGroup(g);
            return ok(body.encode());
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // 322 QUERY_DATA_VERSION, 904 BROKER_HEARTBEAT

    /** What the route table holds for a broker (null if it is not registered with that cluster and address). */
    private record Known(GetBrokerResponse broker) {}

    /**
     * Native GetBroker (at the request's read level) for name + id, kept only if cluster and address match (stock
     * keys its live table by cluster + address). Completes with an error answer in {@code error[0]} and null on a
     * native failure other than UNKNOWN_BROKER.
     */
    private CompletableFuture<Known> lookup(
            RemotingCommand req,
            InboundContext ctx,
            String cluster,
            String name,
            long id,
            String addr,
            RemotingCommand[] error) {
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setRead(readOptions(req))
                                .setClientId("rocketmq-broker:" + ctx.remoteAddress())
                                .setGetBroker(GetBrokerRequest.newBuilder()
                                        .setBrokerName(name)
                                        .setBrokerId(id))
                                .build(),
                        ctx)
                .thenApply(r -> {
                    ErrorCode code = r.getHeader().getCode();
                    if (code == ErrorCode.UNKNOWN_BROKER) {
                        return new Known(null);
                    }
                    if (code != ErrorCode.OK) {
                        error[0] = mapError(r.getHeader());
                        return null;
                    }
                    GetBrokerResponse b = r.getGetBroker();
                    return new Known(
                            b.getCluster().equals(cluster) && b.getBrokerAddr().equals(addr) ? b : null);
                });
    }

    /**
     * A native heartbeat for the broker at the epoch just read. STALE_BROKER_EPOCH (it re-registered in between)
     * and UNKNOWN_BROKER (it left in between) are no failure for the RocketMQ caller: stock refreshes whatever
     * live entry exists and answers 0 either way. Any other native error is the answer.
     */
    private CompletableFuture<RemotingCommand> heartbeat(
            GetBrokerResponse b, InboundContext ctx, Function<Void, RemotingCommand> onDone) {
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setClientId("rocketmq-broker:" + ctx.remoteAddress())
                                .setHeartbeat(HeartbeatRequest.newBuilder()
                                        .setCluster(b.getCluster())
                                        .setBrokerName(b.getBrokerName())
                                        .setBrokerId(b.getBrokerId())
                                        .setBrokerAddr(b.getBrokerAddr())
                                        .setBrokerEpoch(b.getBrokerEpoch())
                                        .setBindConnection(true))
                                .build(),
                        ctx)
                .thenApply(r -> switch (r.getHeader().getCode()) {
                    case OK, STALE_BROKER_EPOCH, UNKNOWN_BROKER -> onDone.apply(null);
                    default -> mapError(r.getHeader());
                });
    }

    static RemotingCommand dataVersionAnswer(DataVersion asked, GetBrokerResponse known) {
        boolean changed = known == null
                || asked == null
                || asked.getTimestamp() != known.getDataVersion().getTimestamp()
                || asked.getCounter() == null
                || asked.getCounter().get() != known.getDataVersion().getCounter();
        RemotingCommand out = ok();
        out.addExtField("changed", Boolean.toString(changed));
        if (known != null) {
            DataVersion stored = new DataVersion();
            stored.setTimestamp(known.getDataVersion().getTimestamp());
            stored.setCounter(new java.util.concurrent.atomic.AtomicLong(
                    known.getDataVersion().getCounter()));
            out.setBody(stored.encode());
        }
        return out;
    }

    /**
     * 322: changed = the broker's data version differs from the stored one (or the broker is unknown, so that it
     * re-registers); body = the stored data version (none if unknown); a known broker's lease is refreshed.
     * RNS stores timestamp and counter of a data version, not stateVersion: only those two are compared.
     */
    private CompletableFuture<RemotingCommand> queryDataVersion(RemotingCommand req, InboundContext ctx)
            throws Exception {
        QueryDataVersionRequestHeader h = header(req, QueryDataVersionRequestHeader.class);
        DataVersion asked = req.getBody() == null || req.getBody().length == 0
                ? null
                : DataVersion.decode(req.getBody(), DataVersion.class);
        RemotingCommand[] error = {null};
        return resolveId(req, ctx, h.getBrokerName(), h.getBrokerAddr(), h.getBrokerId(), error)
                .thenCompose(id -> {
                    if (id == null) {
                        return CompletableFuture.completedFuture(error[0]);
                    }
                    if (id < 0) {
                        return CompletableFuture.completedFuture(dataVersionAnswer(asked, null));
                    }
                    return lookup(req, ctx, h.getClusterName(), h.getBrokerName(), id, h.getBrokerAddr(), error)
                            .thenCompose(k -> {
                                if (k == null) {
                                    return CompletableFuture.completedFuture(error[0]);
                                }
                                RemotingCommand answer = dataVersionAnswer(asked, k.broker());
                                if (k.broker() == null) {
                                    return CompletableFuture.completedFuture(answer);
                                }
                                return heartbeat(k.broker(), ctx, v -> answer);
                            });
                });
    }

    /**
     * The broker id: the header's, else the id under which the group's address table holds the address (-1 if none;
     * null with {@code error[0]} set on a native failure).
     */
    private CompletableFuture<Long> resolveId(
            RemotingCommand req,
            InboundContext ctx,
            String brokerName,
            String addr,
            Long brokerId,
            RemotingCommand[] error) {
        if (brokerId != null) {
            return CompletableFuture.completedFuture(brokerId);
        }
        return nativeClusterInfo(req, ctx, error).thenApply(c -> {
            if (c == null) {
                return null;
            }
            io.rns.rpc.v1.BrokerData b = c.getBrokerAddrTableMap().get(brokerName);
            if (b != null) {
                for (var e : new TreeMap<>(b.getBrokerAddrsMap()).entrySet()) {
                    if (e.getValue().equals(addr)) {
                        return e.getKey();
                    }
                }
            }
            return -1L;
        });
    }

    /**
     * 904 (5.x): refreshes a registered broker's lease; an unknown broker is answered 0 like stock (which only
     * touches an existing live entry). Without brokerId the id is taken from the group's address table.
     */
    private CompletableFuture<RemotingCommand> brokerHeartbeat(RemotingCommand req, InboundContext ctx)
            throws Exception {
        BrokerHeartbeatRequestHeader h = header(req, BrokerHeartbeatRequestHeader.class);
        RemotingCommand[] error = {null};
        CompletableFuture<Long> id = resolveId(req, ctx, h.getBrokerName(), h.getBrokerAddr(), h.getBrokerId(), error);
        return id.thenCompose(i -> {
            if (i == null) {
                return CompletableFuture.completedFuture(error[0]);
            }
            if (i < 0) {
                return CompletableFuture.completedFuture(ok());
            }
            return lookup(req, ctx, h.getClusterName(), h.getBrokerName(), i, h.getBrokerAddr(), error)
                    .thenCompose(k -> {
                        if (k == null) {
                            return CompletableFuture.completedFuture(error[0]);
                        }
                        if (k.broker() == null) {
                            return CompletableFuture.completedFuture(ok());
                        }
                        return heartbeat(k.broker(), ctx, v -> ok());
                    });
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // 205/327 write perm, 217 register topic

    private CompletableFuture<RemotingCommand> changeWritePerm(
            RemotingCommand req, InboundContext ctx, WritePermChange change) throws Exception {
        String brokerName = change == WritePermChange.WIPE_WRITE
                ? header(req, WipeWritePermOfBrokerRequestHeader.class).getBrokerName()
                : header(req, AddWritePermOfBrokerRequestHeader.class).getBrokerName();
        return call(
                RequestEnvelope.newBuilder()
                        .setChangeWritePerm(ChangeWritePermRequest.newBuilder()
                                .setBrokerName(brokerName)
                                .setChange(change)),
                ctx,
                r -> {
                    RemotingCommand out = ok();
                    out.addExtField(
                            change == WritePermChange.WIPE_WRITE ? "wipeTopicCount" : "addTopicCount",
                            Integer.toString(r.getChangeWritePerm().getTopicCount()));
                    return out;
                });
    }

    /** 217 (5.x registerTopic): queue datas of registered broker names go into the topic; stock answers 0 always. */
    private CompletableFuture<RemotingCommand> registerTopic(RemotingCommand req, InboundContext ctx) throws Exception {
        RegisterTopicRequestHeader h = header(req, RegisterTopicRequestHeader.class);
        TopicRouteData d = req.getBody() == null || req.getBody().length == 0
                ? null
                : TopicRouteData.decode(req.getBody(), TopicRouteData.class);
        if (d == null || d.getQueueDatas() == null || d.getQueueDatas().isEmpty()) {
            return CompletableFuture.completedFuture(ok()); // stock: nothing to register
        }
        RegisterTopicRequest.Builder b = RegisterTopicRequest.newBuilder().setTopic(h.getTopic());
        List<QueueData> qds = new ArrayList<>(d.getQueueDatas());
        qds.sort(java.util.Comparator.comparing(
                QueueData::getBrokerName, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        for (QueueData q : qds) {
            b.addQueueDatas(io.rns.rpc.v1.QueueData.newBuilder()
                    .setBrokerName(q.getBrokerName() == null ? "" : q.getBrokerName())
                    .setReadQueueNums(q.getReadQueueNums())
                    .setWriteQueueNums(q.getWriteQueueNums())
                    .setPerm(q.getPerm())
                    .setTopicSysFlag(q.getTopicSysFlag()));
        }
        return call(RequestEnvelope.newBuilder().setRegisterTopic(b), ctx, r -> ok());
    }

    // ------------------------------------------------------------------------------------------------------------
    // KV config, delete topic

    private CompletableFuture<RemotingCommand> kvPut(RemotingCommand req, InboundContext ctx) throws Exception {
        PutKVConfigRequestHeader h = header(req, PutKVConfigRequestHeader.class);
        return call(
                RequestEnvelope.newBuilder()
                        .setKvPut(KvPutRequest.newBuilder()
                                .setNamespace(h.getNamespace())
                                .setKey(h.getKey())
                                .setValue(h.getValue())),
                ctx,
                r -> ok());
    }

    private CompletableFuture<RemotingCommand> kvGet(RemotingCommand req, InboundContext ctx) throws Exception {
        GetKVConfigRequestHeader h = header(req, GetKVConfigRequestHeader.class);
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setRead(readOptions(req))
                                .setClientId("rocketmq:" + ctx.remoteAddress())
                                .setKvGet(KvGetRequest.newBuilder()
                                        .setNamespace(h.getNamespace())
                                        .setKey(h.getKey()))
                                .build(),
                        ctx)
                .thenApply(r -> {
                    if (r.getHeader().getCode() == ErrorCode.KEY_NOT_FOUND) {
                        return RemotingCommand.createResponseCommand(
                                ResponseCode.QUERY_NOT_FOUND,
                                "No config item, Namespace: " + h.getNamespace() + " Key: " + h.getKey());
                    }
                    if (r.getHeader().getCode() != ErrorCode.OK) {
                        return mapError(r.getHeader());
                    }
                    RemotingCommand out = ok();
                    out.addExtField("value", r.getKvGet().getValue());
                    return out;
                });
    }

    private CompletableFuture<RemotingCommand> kvDelete(RemotingCommand req, InboundContext ctx) throws Exception {
        DeleteKVConfigRequestHeader h = header(req, DeleteKVConfigRequestHeader.class);
        return call(
                RequestEnvelope.newBuilder()
                        .setKvDelete(KvDeleteRequest.newBuilder()
                                .setNamespace(h.getNamespace())
                                .setKey(h.getKey())),
                ctx,
                r -> ok());
    }

    private CompletableFuture<RemotingCommand> kvList(RemotingCommand req, InboundContext ctx) throws Exception {
        GetKVListByNamespaceRequestHeader h = header(req, GetKVListByNamespaceRequestHeader.class);
        return callNative(
                        RequestEnvelope.newBuilder()
                                .setRead(readOptions(req))
                                .setClientId("rocketmq:" + ctx.remoteAddress())
                                .setKvList(KvListRequest.newBuilder().setNamespace(h.getNamespace()))
                                .build(),
                        ctx)
                .thenApply(r -> {
                    if (r.getHeader().getCode() == ErrorCode.KEY_NOT_FOUND
                            || (r.getHeader().getCode() == ErrorCode.OK
                                    && r.getKvList().getEntriesCount() == 0)) {
                        return RemotingCommand.createResponseCommand(
                                ResponseCode.QUERY_NOT_FOUND, "No config item, Namespace: " + h.getNamespace());
                    }
                    if (r.getHeader().getCode() != ErrorCode.OK) {
                        return mapError(r.getHeader());
                    }
                    KVTable t = new KVTable();
                    t.setTable(new HashMap<>(r.getKvList().getEntriesMap()));
                    return ok(t.encode());
                });
    }

    private CompletableFuture<RemotingCommand> deleteTopic(RemotingCommand req, InboundContext ctx) throws Exception {
        DeleteTopicFromNamesrvRequestHeader h = header(req, DeleteTopicFromNamesrvRequestHeader.class);
        return call(
                RequestEnvelope.newBuilder()
                        .setDeleteTopic(DeleteTopicRequest.newBuilder()
                                .setTopic(h.getTopic())
                                .setCluster(h.getClusterName() == null ? "" : h.getClusterName())),
                ctx,
                r -> ok());
    }

    // ------------------------------------------------------------------------------------------------------------
    // 318/319 namesrv config

    /** 319: the node's effective configuration as properties text (sorted keys). */
    RemotingCommand namesrvConfig() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(config.describe())
                .forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return ok(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * 318: RNS has no runtime-changeable keys (a node's configuration is one immutable value; members and consistency
     * settings must agree across the group), so every key is refused with 16 NO_PERMISSION naming it.
     */
    static RemotingCommand updateNamesrvConfig(RemotingCommand req) throws IOException {
        byte[] body = req.getBody();
        if (body == null || body.length == 0) {
            return RemotingCommand.createResponseCommand(
                    ResponseCode.SYSTEM_ERROR,
                    "UPDATE_NAMESRV_CONFIG without a body (properties text) changes nothing");
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(body, StandardCharsets.UTF_8)));
        if (p.isEmpty()) {
            return RemotingCommand.createResponseCommand(
                    ResponseCode.SYSTEM_ERROR, "UPDATE_NAMESRV_CONFIG body holds no key=value line");
        }
        String keys = String.join(", ", new TreeSet<>(p.stringPropertyNames()));
        return RemotingCommand.createResponseCommand(
                ResponseCode.NO_PERMISSION,
                "Can not update config in black list: "
                        + keys
                        + " (RNS: no configuration key can be changed at runtime; edit the node's properties file and "
                        + "restart it)");
    }
}
