package io.rns.compat;

import io.rns.compat.dispatch.RequestKind;
import io.rns.compat.dispatch.RocketmqTranslator;
import io.rns.compat.handler.Answers;
import io.rns.compat.handler.NativeErrors;
import io.rns.compat.register.BrokerRegistration;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.ChangeWritePermResponse;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetBrokerResponse;
import io.rns.rpc.v1.GetTopicRouteResponse;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.TopicRoute;
import io.rns.rpc.v1.UnitFilter;
import io.rns.rpc.v1.WritePermChange;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Translation without a cluster: a fake native dispatcher records what it was asked and answers what the test says. */
class RocketmqTranslatorTest {
    final List<RequestEnvelope> seen = new ArrayList<>();
    Function<RequestEnvelope, ResponseEnvelope> answer = r -> ok(ResponseEnvelope.newBuilder());

    static ResponseEnvelope ok(ResponseEnvelope.Builder b) {
        return b.setHeader(ResponseHeader.newBuilder().setCode(ErrorCode.OK)).build();
    }

    static ResponseEnvelope error(ErrorCode c, String msg) {
        return ResponseEnvelope.newBuilder().setHeader(ResponseHeader.newBuilder().setCode(c).setMessage(msg)).build();
    }

    static NamesrvConfig config(NamesrvConfig.Mode mode) {
        return NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 9781, 9771)))
                .rocketmqListenPort(9871).mode(mode).build();
    }

    RocketmqTranslator translator(NamesrvConfig.Mode mode) {
        return new RocketmqTranslator(config(mode), (env, ctx) -> {
            seen.add(env);
            return CompletableFuture.completedFuture(answer.apply(env));
        });
    }

    static final InboundContext CTX = new InboundContext() {
        @Override
        public String remoteAddress() {
            return "127.0.0.1:5555";
        }

        @Override
        public long connectionId() {
            return 1;
        }

        @Override
        public long deadlineNanos() {
            return System.nanoTime() + 5_000_000_000L;
        }

        @Override
        public boolean isConnectionOpen() {
            return true;
        }

        @Override
        public void onConnectionClose(Runnable r) {
        }
    };

    RemotingCommand run(RocketmqTranslator t, RemotingCommand req) throws Exception {
        return t.handle(req, CTX).get();
    }

    @Test
    void registerBrokerBecomesABoundNativeRegistrationWithTheBrokersTopicsAndDefaultLease() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        RemotingCommand r = run(t,
                RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(7, 123, "B", "A"), false));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        var reg = seen.get(0).getRegisterBroker();
        assertTrue(reg.getBindConnection());
        assertEquals(120_000, reg.getLeaseTimeoutMs());
        assertEquals(7, reg.getDataVersion().getCounter());
        assertEquals(123, reg.getDataVersion().getTimestamp());
        assertEquals(List.of("A", "B"), reg.getTopicsList().stream().map(x -> x.getTopic()).toList(), "sorted");
        assertEquals(6, reg.getTopics(0).getPerm());
        assertEquals("127.0.0.1:10912", reg.getHaServerAddr());
    }

    @Test
    void compressedBodyAndHeartbeatTimeoutAreHonoured() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        RemotingCommand req = RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911",
                RmqTestSupport.body(2, 9, "Z1", "Z2"), true);
        req.addExtField("heartbeatTimeoutMillis", "30000");
        assertEquals(ResponseCode.SUCCESS, run(t, req).getCode());
        assertEquals(2, seen.get(0).getRegisterBroker().getTopicsCount());
        assertEquals(30_000, seen.get(0).getRegisterBroker().getLeaseTimeoutMs());
        // a version-407 (4.9.7) compressed body parses too (no static-topic section)
        RemotingCommand old = RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(3, 9, "Z3"),
                true);
        old.setVersion(407);
        // re-encode for 4.9.7: the compressed format depends on the version; decode must accept what a 4.9.7 broker
        // sends
        assertEquals(ResponseCode.SUCCESS, run(t, old).getCode(), "version 407");
    }

    @Test
    void aBrokersUnchangedBodyMakesTheSameRegistrationWithTheNewHeadersAndAChangedBodyIsReadAnew() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        byte[] bytes = RmqTestSupport.body(7, 123, "B", "A").encode(false);
        assertEquals(ResponseCode.SUCCESS,
                run(t, RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", bytes.clone(), false)).getCode());
        // the same body again (the every-30-s re-registration), now with a heartbeat timeout and another cluster name
        RemotingCommand again = RmqTestSupport.register("C2", "b", 0, "127.0.0.1:10911", bytes.clone(), false);
        again.addExtField("heartbeatTimeoutMillis", "30000");
        assertEquals(ResponseCode.SUCCESS, run(t, again).getCode());
        // then a changed body of the same broker
        assertEquals(ResponseCode.SUCCESS, run(t,
                RmqTestSupport.register("C2", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(8, 124, "A", "C"), false))
                .getCode());

        List<RegisterBrokerRequest> regs = seen.stream().filter(e -> e.hasRegisterBroker())
                .map(e -> e.getRegisterBroker()).toList();
        assertEquals(3, regs.size());
        assertEquals(regs.get(0).getTopicsList(), regs.get(1).getTopicsList());
        assertEquals(regs.get(0).getDataVersion(), regs.get(1).getDataVersion());
        assertEquals("C", regs.get(0).getCluster());
        assertEquals("C2", regs.get(1).getCluster(), "header fields come from this request, not the remembered one");
        assertEquals(120_000, regs.get(0).getLeaseTimeoutMs());
        assertEquals(30_000, regs.get(1).getLeaseTimeoutMs());
        assertEquals(List.of("A", "C"), regs.get(2).getTopicsList().stream().map(x -> x.getTopic()).toList());
        assertEquals(8, regs.get(2).getDataVersion().getCounter());
    }

    @Test
    void crcMismatchIsRejectedWithTheStockRemarkAndNothingIsSent() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        RemotingCommand req = RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(1, 1, "T"),
                false);
        req.getBody()[5] ^= 0x20;
        RemotingCommand r = run(t, req);
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertEquals("crc32 not match", r.getRemark());
        assertTrue(seen.isEmpty());
    }

    @Test
    void missingRequiredHeaderFieldIsASystemErrorNamingIt() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        Exception e = Assertions.assertThrows(Exception.class,
                () -> run(t, RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("other", "x"))));
        RemotingCommand r = Answers.failure(e);
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertTrue(r.getRemark().contains("topic"), r.getRemark());
    }

    static ResponseEnvelope route() {
        return ok(ResponseEnvelope.newBuilder()
                .setGetTopicRoute(GetTopicRouteResponse.newBuilder()
                        .setRoute(TopicRoute.newBuilder().setTopic("T")
                                .addQueueDatas(QueueData.newBuilder().setBrokerName("b").setReadQueueNums(4)
                                        .setWriteQueueNums(4).setPerm(6))
                                .addBrokerDatas(BrokerData.newBuilder().setCluster("C").setBrokerName("b")
                                        .putBrokerAddrs(0, "127.0.0.1:10911")))));
    }

    @Test
    void routeJsonFlavourFollowsTheVersionAndAcceptStandardJsonOnly() throws Exception {
        answer = r -> route();
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        RemotingCommand modern = RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T"));
        String json = new String(run(t, modern).getBody(), StandardCharsets.UTF_8);
        assertTrue(json.contains("{\"0\":\"127.0.0.1:10911\"}"), json);
        assertTrue(json.contains("\"filterServerTable\":{}"), json);
        RemotingCommand old = RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T"));
        old.setVersion(400); // below V4_9_4
        String stock = new String(run(t, old).getBody(), StandardCharsets.UTF_8);
        assertTrue(stock.contains("{0:\"127.0.0.1:10911\"}"), "fastjson's own flavour: " + stock);
        RemotingCommand oldStd = RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC,
                Map.of("topic", "T", "acceptStandardJsonOnly", "true"));
        oldStd.setVersion(400);
        assertTrue(new String(run(t, oldStd).getBody(), StandardCharsets.UTF_8).contains("{\"0\":"));
        for (String j : List.of(json, stock)) {
            TopicRouteData d = TopicRouteData.decode(j.getBytes(StandardCharsets.UTF_8), TopicRouteData.class);
            assertEquals("127.0.0.1:10911", d.getBrokerDatas().get(0).getBrokerAddrs().get(0L));
        }
    }

    @Test
    void readsUseTheDefaultLevelOrTheExtFieldAndLeaderlessUsesStale() throws Exception {
        answer = r -> route();
        RocketmqTranslator raft = translator(NamesrvConfig.Mode.RAFT);
        run(raft, RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T")));
        run(raft, RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC,
                Map.of("topic", "T", "rnsConsistency", "stale")));
        run(translator(NamesrvConfig.Mode.LEADERLESS),
                RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T")));
        assertEquals(List.of(Consistency.LINEARIZABLE, Consistency.STALE, Consistency.STALE),
                seen.stream().map(e -> e.getRead().getConsistency()).toList());
        Exception e = Assertions.assertThrows(Exception.class, () -> run(raft, RmqTestSupport
                .request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T", "rnsConsistency", "strong"))));
        RemotingCommand r = Answers.failure(e);
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertTrue(r.getRemark().contains("rnsConsistency"), r.getRemark());
    }

    @Test
    void onlyAStaleRouteReadIsAnsweredAtOnceOnTheEventLoop() {
        RocketmqTranslator raft = translator(NamesrvConfig.Mode.RAFT);
        assertTrue(raft.answersAtOnce(RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC,
                Map.of("topic", "T", "rnsConsistency", "stale"))));
        assertFalse(
                raft.answersAtOnce(RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T"))),
                "the default level here is LINEARIZABLE: a barrier to wait for");
        assertFalse(raft.answersAtOnce(RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC,
                Map.of("topic", "T", "rnsConsistency", "lease"))));
        assertFalse(
                raft.answersAtOnce(RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC,
                        Map.of("topic", "T", "rnsConsistency", "strong"))),
                "a bad level goes the normal way to its refusal");
        assertFalse(
                raft.answersAtOnce(
                        RmqTestSupport.request(RequestCode.GET_BROKER_CLUSTER_INFO, Map.of("rnsConsistency", "stale"))),
                "a large STALE answer still goes to the query executor");
        assertTrue(translator(NamesrvConfig.Mode.LEADERLESS)
                .answersAtOnce(RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "T"))));
    }

    @Test
    void nativeErrorsMapOntoRocketmqCodes() {
        assertEquals(ResponseCode.TOPIC_NOT_EXIST,
                NativeErrors.answer(error(ErrorCode.TOPIC_NOT_FOUND, "x").getHeader()).getCode());
        assertEquals(ResponseCode.QUERY_NOT_FOUND,
                NativeErrors.answer(error(ErrorCode.KEY_NOT_FOUND, "x").getHeader()).getCode());
        assertEquals(ResponseCode.SYSTEM_BUSY,
                NativeErrors.answer(error(ErrorCode.OVERLOADED, "x").getHeader()).getCode());
        RemotingCommand r = NativeErrors.answer(error(ErrorCode.NO_QUORUM, "no leader").getHeader());
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertTrue(r.getRemark().contains("NO_QUORUM") && r.getRemark().contains("no leader"), r.getRemark());
    }

    @Test
    void unknownTopicIs17AndMissingKvIs22WithStockRemarks() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        answer = r -> error(ErrorCode.TOPIC_NOT_FOUND, "no route");
        RemotingCommand r = run(t, RmqTestSupport.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, Map.of("topic", "Nope")));
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, r.getCode());
        assertTrue(r.getRemark().startsWith("No topic route info in name server for the topic: Nope"));
        answer = x -> error(ErrorCode.KEY_NOT_FOUND, "none");
        r = run(t, RmqTestSupport.request(RequestCode.GET_KV_CONFIG, Map.of("namespace", "ns", "key", "k")));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, r.getCode());
        assertEquals("No config item, Namespace: ns Key: k", r.getRemark());
    }

    @Test
    void unknownCodesAre3AndConfigUpdatesAreRefusedNamingTheKey() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        assertEquals(RequestKind.UNSUPPORTED, t.kindOf(12345));
        RemotingCommand r = Answers.notSupported(12345);
        assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, r.getCode());
        assertEquals("request type 12345 not supported", r.getRemark());
        RemotingCommand upd = RmqTestSupport.request(RequestCode.UPDATE_NAMESRV_CONFIG, Map.of());
        upd.setBody("read.default-consistency=STALE\n".getBytes(StandardCharsets.UTF_8));
        r = run(t, upd);
        assertEquals(ResponseCode.NO_PERMISSION, r.getCode());
        assertTrue(r.getRemark().contains("read.default-consistency"), r.getRemark());
        r = run(t, RmqTestSupport.request(RequestCode.GET_NAMESRV_CONFIG, Map.of()));
        assertTrue(new String(r.getBody(), StandardCharsets.UTF_8).contains("rocketmq.listen-port=9871"));
        assertTrue(seen.isEmpty(), "config codes never reach the native dispatcher");
    }

    @Test
    void slaveRegistrationAnswersMasterAndHaAddress() throws Exception {
        answer = r -> r.hasRegisterBroker()
                ? ok(ResponseEnvelope.newBuilder()
                        .setRegisterBroker(RegisterBrokerResponse.newBuilder().setMasterAddr("127.0.0.1:10911")
                                .setHaServerAddr("127.0.0.1:10912").setBrokerEpoch(3)))
                : ok(ResponseEnvelope.newBuilder());
        RemotingCommand r = run(translator(NamesrvConfig.Mode.RAFT),
                RmqTestSupport.register("C", "b", 1, "127.0.0.1:10921", RmqTestSupport.body(1, 1), false));
        assertEquals("127.0.0.1:10911", r.getExtFields().get("masterAddr"));
        assertEquals("127.0.0.1:10912", r.getExtFields().get("haServerAddr"));
        assertNull(r.getBody(), "no ORDER_TOPIC_CONFIG entries: no body");
        assertNotNull(seen.stream().filter(RequestEnvelope::hasKvList).findFirst().orElse(null));
        assertFalse(seen.get(0).getRegisterBroker().getTopicsCount() > 0);
    }

    @Test
    void theOrderTopicConfigOfARegistrationIsReadAtTheRegistrationsIndexWithoutASecondBarrier() throws Exception {
        answer = r -> r.hasRegisterBroker()
                ? ResponseEnvelope.newBuilder()
                        .setRegisterBroker(RegisterBrokerResponse.newBuilder().setBrokerEpoch(40))
                        .setHeader(ResponseHeader.newBuilder().setCode(ErrorCode.OK).setAppliedIndex(41)).build()
                : ok(ResponseEnvelope.newBuilder());
        run(translator(NamesrvConfig.Mode.RAFT),
                RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(1, 1), false));
        RequestEnvelope kv = seen.stream().filter(RequestEnvelope::hasKvList).findFirst().orElseThrow();
        assertEquals(Consistency.SEQUENTIAL, kv.getRead().getConsistency(), kv.toString());
        assertEquals(41, kv.getRead().getMinIndex(), "the index the leader answered the registration at");
        // an explicit level is kept
        assertEquals(Consistency.STALE,
                BrokerRegistration
                        .afterRegistration(ReadOptions.newBuilder().setConsistency(Consistency.STALE).build(), 41)
                        .getConsistency());
    }

    @Test
    void queryDataVersionLooksUpThenHeartbeatsAtTheCurrentEpoch() throws Exception {
        answer = r -> r.hasGetBroker()
                ? ok(ResponseEnvelope.newBuilder()
                        .setGetBroker(GetBrokerResponse.newBuilder().setCluster("C").setBrokerName("b")
                                .setBrokerAddr("127.0.0.1:10911").setBrokerEpoch(42)
                                .setDataVersion(io.rns.rpc.v1.DataVersion.newBuilder().setTimestamp(9).setCounter(3))))
                : ok(ResponseEnvelope.newBuilder());
        RemotingCommand q = RmqTestSupport.request(RequestCode.QUERY_DATA_VERSION,
                Map.of("brokerName", "b", "brokerAddr", "127.0.0.1:10911", "clusterName", "C", "brokerId", "0"));
        org.apache.rocketmq.remoting.protocol.DataVersion dv = new org.apache.rocketmq.remoting.protocol.DataVersion();
        dv.setTimestamp(9);
        dv.setCounter(new AtomicLong(3));
        q.setBody(dv.encode());
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        RemotingCommand r = run(t, q);
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertEquals("false", r.getExtFields().get("changed"));
        assertEquals(2, seen.size());
        assertEquals(42, seen.get(1).getHeartbeat().getBrokerEpoch());
        assertEquals("127.0.0.1:10911", seen.get(1).getHeartbeat().getBrokerAddr());
        // another cluster or address is another broker (stock keys by cluster + address): changed, no heartbeat
        seen.clear();
        q.getExtFields().put("clusterName", "OTHER");
        r = run(t, q);
        assertEquals("true", r.getExtFields().get("changed"));
        assertNull(r.getBody());
        assertEquals(1, seen.size());
        // a native failure of the lookup is the answer (not a silent changed=false)
        answer = x -> error(ErrorCode.INTERNAL, "halted");
        r = run(t, q);
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertTrue(r.getRemark().contains("INTERNAL"), r.getRemark());
    }

    @Test
    void newCodesAreServedAndMapToNativeRequests() throws Exception {
        for (int code : new int[]{RequestCode.QUERY_DATA_VERSION, RequestCode.BROKER_HEARTBEAT,
                RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER,
                RequestCode.REGISTER_TOPIC_IN_NAMESRV}) {
            assertEquals(RequestKind.WRITE, translator(NamesrvConfig.Mode.RAFT).kindOf(code), "code " + code);
        }
        answer = r -> r.hasChangeWritePerm()
                ? ok(ResponseEnvelope.newBuilder()
                        .setChangeWritePerm(ChangeWritePermResponse.newBuilder().setTopicCount(5)))
                : ok(ResponseEnvelope.newBuilder());
        RocketmqTranslator t = translator(NamesrvConfig.Mode.LEADERLESS);
        RemotingCommand r = run(t,
                RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of("brokerName", "b")));
        assertEquals("5", r.getExtFields().get("wipeTopicCount"));
        assertEquals(WritePermChange.WIPE_WRITE, seen.get(0).getChangeWritePerm().getChange());
        r = run(t, RmqTestSupport.request(RequestCode.ADD_WRITE_PERM_OF_BROKER, Map.of("brokerName", "b")));
        assertEquals("5", r.getExtFields().get("addTopicCount"));
        Exception missing = Assertions.assertThrows(Exception.class,
                () -> run(t, RmqTestSupport.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER, Map.of())));
        assertEquals(ResponseCode.SYSTEM_ERROR, Answers.failure(missing).getCode());
        assertTrue(missing.getMessage().contains("<brokerName> is null"), missing.getMessage());
        seen.clear();
        run(t, RmqTestSupport.request(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, Map.of()));
        assertEquals(UnitFilter.HAS_UNIT_SUB_NOT_UNIT, seen.get(0).getListTopics().getUnitFilter());
        assertEquals(Consistency.STALE, seen.get(0).getRead().getConsistency(), "leaderless reads are STALE");
        // 217 without queue datas: 0 and nothing sent (stock)
        seen.clear();
        RemotingCommand empty = RmqTestSupport.request(RequestCode.REGISTER_TOPIC_IN_NAMESRV, Map.of("topic", "T"));
        assertEquals(ResponseCode.SUCCESS, run(t, empty).getCode());
        assertTrue(seen.isEmpty());
    }

    @Test
    void aRegistrationThatMeetsAnElectionIsRetriedUntilALeaderAnswers() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        int[] calls = {0};
        answer = r -> ++calls[0] < 3 ? error(ErrorCode.NO_QUORUM, "no leader")
                : ok(ResponseEnvelope.newBuilder()
                        .setRegisterBroker(RegisterBrokerResponse.newBuilder().setBrokerEpoch(5)));
        RemotingCommand r = run(t,
                RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(7, 123, "B"), false));
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        assertEquals(3, seen.stream().filter(RequestEnvelope::hasRegisterBroker).count(),
                "two NO_QUORUM answers, then the leader's");
    }

    @Test
    void anUnknownOutcomeIsNeverRetried() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        answer = r -> error(ErrorCode.OUTCOME_UNKNOWN, "leader stepped down");
        RemotingCommand r = run(t,
                RmqTestSupport.register("C", "b", 0, "127.0.0.1:10911", RmqTestSupport.body(7, 123, "B"), false));
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode());
        assertTrue(r.getRemark().contains("OUTCOME_UNKNOWN"), r.getRemark());
        assertEquals(1, seen.size());
    }

    static RemotingCommand unregisterRequest() {
        return RmqTestSupport.request(RequestCode.UNREGISTER_BROKER,
                Map.of("clusterName", "C", "brokerName", "b", "brokerId", "0", "brokerAddr", "127.0.0.1:10911"));
    }

    @Test
    void unregisteringABrokerAnotherNodeAlreadyRemovedAnswersSuccessLikeStock() throws Exception {
        RocketmqTranslator t = translator(NamesrvConfig.Mode.RAFT);
        answer = r -> error(ErrorCode.UNKNOWN_BROKER, "broker b/0 is not registered");
        RemotingCommand r = run(t, unregisterRequest());
        assertEquals(ResponseCode.SUCCESS, r.getCode(), r.getRemark());
        answer = x -> error(ErrorCode.INTERNAL, "halted");
        r = run(t, unregisterRequest());
        assertEquals(ResponseCode.SYSTEM_ERROR, r.getCode(), "other failures still reach the broker");
    }
}
