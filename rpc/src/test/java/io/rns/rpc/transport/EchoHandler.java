package io.rns.rpc.transport;

import io.rns.rpc.v1.*;

import java.util.concurrent.CompletableFuture;

/** Answers every request body with the matching response body, derived from the request's content. */
final class EchoHandler implements RequestHandler {
    static ResponseHeader okHeader() {
        return ResponseHeader.newBuilder().setCode(ErrorCode.OK).setNodeId("n1").setRole(Role.LEADER).setTerm(7)
                .setAppliedIndex(42).build();
    }

    static ResponseEnvelope echo(RequestEnvelope req) {
        ResponseEnvelope.Builder b = ResponseEnvelope.newBuilder().setRequestId(999_999).setHeader(okHeader());
        switch (req.getBodyCase()) {
            case REGISTER_BROKER -> b.setRegisterBroker(
                    RegisterBrokerResponse.newBuilder().setBrokerEpoch(req.getRegisterBroker().getBrokerId() + 100)
                            .setChanged(true).setMasterAddr(req.getRegisterBroker().getBrokerAddr()));
            case UNREGISTER_BROKER -> b.setUnregisterBroker(UnregisterBrokerResponse.getDefaultInstance());
            case GET_TOPIC_ROUTE -> b.setGetTopicRoute(GetTopicRouteResponse.newBuilder()
                    .setRoute(TopicRoute.newBuilder().setTopic(req.getGetTopicRoute().getTopic())
                            .addQueueDatas(QueueData.newBuilder().setBrokerName("b1").setReadQueueNums(4)
                                    .setWriteQueueNums(4).setPerm(6))
                            .addBrokerDatas(BrokerData.newBuilder().setCluster("c").setBrokerName("b1")
                                    .putBrokerAddrs(0, "10.0.0.1:10911"))));
            case GET_CLUSTER_INFO -> b.setGetClusterInfo(GetClusterInfoResponse.newBuilder()
                    .putBrokerAddrTable("b1", BrokerData.newBuilder().setBrokerName("b1").setCluster("c").build())
                    .putClusterAddrTable("c", ClusterBrokerNames.newBuilder().addBrokerNames("b1").build()));
            case LIST_TOPICS ->
                b.setListTopics(ListTopicsResponse.newBuilder().addTopics("t-" + req.getListTopics().getCluster()));
            case DELETE_TOPIC -> b.setDeleteTopic(
                    DeleteTopicResponse.newBuilder().setExisted(!req.getDeleteTopic().getTopic().isEmpty()));
            case KV_PUT -> b.setKvPut(KvPutResponse.getDefaultInstance());
            case KV_GET -> b.setKvGet(
                    KvGetResponse.newBuilder().setValue(req.getKvGet().getNamespace() + "/" + req.getKvGet().getKey()));
            case KV_DELETE -> b.setKvDelete(KvDeleteResponse.newBuilder().setExisted(true));
            case KV_LIST -> b.setKvList(KvListResponse.newBuilder().putEntries("ns", req.getKvList().getNamespace()));
            case GET_NODE_STATUS -> b.setGetNodeStatus(
                    GetNodeStatusResponse.newBuilder().setNodeId("n1").setMode("raft").setRole(Role.LEADER));
            case HEARTBEAT -> b.setHeartbeat(HeartbeatResponse.newBuilder().setLeaseTimeoutMs(10_000)
                    .setHeartbeatIntervalMs((int) req.getHeartbeat().getBrokerEpoch()));
            case LIST_BROKER_LEASES -> b.setListBrokerLeases(ListBrokerLeasesResponse.newBuilder().setLeaderId("n1")
                    .addLeases(BrokerLease.newBuilder().setBrokerName("b1").setLeaseRemainingMs(-5).setSuspect(true)));
            case BROKER_CONNECTION_CLOSED ->
                b.setBrokerConnectionClosed(BrokerConnectionClosedResponse.getDefaultInstance());
            case GET_BROKER -> b.setGetBroker(
                    GetBrokerResponse.newBuilder().setBrokerName(req.getGetBroker().getBrokerName()).setBrokerEpoch(9));
            case CHANGE_WRITE_PERM -> b.setChangeWritePerm(
                    ChangeWritePermResponse.newBuilder().setTopicCount(req.getChangeWritePerm().getChangeValue()));
            case REGISTER_TOPIC -> b.setRegisterTopic(
                    RegisterTopicResponse.newBuilder().addSkippedBrokerNames(req.getRegisterTopic().getTopic()));
            case OPEN_SESSION ->
                b.setOpenSession(OpenSessionResponse.newBuilder().setSessionId(41).setTimeoutMs(600_000));
            case SAVE_SNAPSHOT -> b.setSaveSnapshot(SaveSnapshotResponse.newBuilder()
                    .setTransferId(req.getSaveSnapshot().getTransferId()).setOffset(req.getSaveSnapshot().getOffset())
                    .setData(com.google.protobuf.ByteString.copyFromUtf8("chunk")).setTotalBytes(1 << 21));
            case LIST_PEERS -> b.setListPeers(ListPeersResponse.newBuilder().setLeaderId("n1"));
            case ADD_PEER -> b.setAddPeer(AddPeerResponse.getDefaultInstance());
            case REMOVE_PEER -> b.setRemovePeer(RemovePeerResponse.getDefaultInstance());
            case TRANSFER_LEADERSHIP -> b.setTransferLeadership(TransferLeadershipResponse.newBuilder()
                    .setPreviousLeaderId(req.getTransferLeadership().getNodeId()));
            case BROKER_CONNECTIONS -> b.setBrokerConnections(
                    BrokerConnectionsResponse.newBuilder().setOpen((int) req.getBrokerConnections().getBrokerId()));
            case WATCH -> b.setWatch(WatchResponse.newBuilder().setRevision(req.getWatch().getFromRevision() + 1));
            case BODY_NOT_SET -> b.setHeader(okHeader().toBuilder().setCode(ErrorCode.UNSUPPORTED_REQUEST));
        }
        return b.build();
    }

    @Override
    public CompletableFuture<ResponseEnvelope> handle(RequestEnvelope request, InboundContext ctx) {
        return CompletableFuture.completedFuture(echo(request));
    }
}
