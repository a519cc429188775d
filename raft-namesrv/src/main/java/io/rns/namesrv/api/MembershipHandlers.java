package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.AddPeerRequest;
import io.rns.rpc.v1.AddPeerResponse;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ListPeersResponse;
import io.rns.rpc.v1.PeerStatus;
import io.rns.rpc.v1.RemovePeerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.TransferLeadershipResponse;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * ListPeers, AddPeer, RemovePeer, TransferLeadership (raft mode only). Changes are served by the leader: a follower
 * forwards once, like a write, or answers NOT_LEADER with the leader hint. The engine calls live in raft/ only.
 */
record MembershipHandlers(NamesrvConfig config, Consensus consensus, Responses responses) {
    /** Membership exists in raft mode only: checked before anything else, on the receiving node. */
    void requireRaft(String what) {
        if (config.mode() != NamesrvConfig.Mode.RAFT) {
            throw new RnsException(ErrorCode.UNSUPPORTED_REQUEST, what + " needs raft mode: this node runs "
                    + config.mode().name().toLowerCase(Locale.ROOT) + " (no group, no members to change)");
        }
    }

    static List<PeerStatus> toWire(List<NodeState.Peer> peers, String leaderId) {
        return peers.stream()
                .map(p -> PeerStatus.newBuilder().setNodeId(p.id()).setRaftAddr(p.raftAddr())
                        .setClientAddr(p.clientAddr()).setLeader(p.id().equals(leaderId)).setAlive(p.alive()).build())
                .toList();
    }

    /** This node's view, answered locally (like node status): the leader's current configuration or the last committed one. */
    CompletableFuture<ResponseEnvelope> list(RequestEnvelope req) {
        NodeState s = consensus.state();
        String leader = s.leaderId() == null ? "" : s.leaderId();
        ListPeersResponse.Builder b = ListPeersResponse.newBuilder().setLeaderId(leader)
                .addAllPeers(toWire(consensus.peers(), leader));
        return CompletableFuture
                .completedFuture(responses.ok(ResponseEnvelope.newBuilder().setListPeers(b), Consistency.STALE));
    }

    /** The checks of add_peer, on the receiving node before any forward. */
    void validateAdd(RequestEnvelope req) {
        requireRaft("add_peer");
        member(req.getAddPeer());
    }

    private static Member member(AddPeerRequest r) {
        try {
            return new Member(r.getNodeId(), r.getHost(), (int) Math.min(r.getRaftPort(), 65536),
                    (int) Math.min(r.getClientPort(), 65536));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RnsException.invalid("add_peer: " + e.getMessage());
        }
    }

    CompletableFuture<ResponseEnvelope> add(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        return consensus.addPeer(member(req.getAddPeer()), timeoutMs).thenApply(peers -> responses.ok(ResponseEnvelope
                .newBuilder().setAddPeer(AddPeerResponse.newBuilder().addAllPeers(toWire(peers, leaderId()))), null));
    }

    void validateRemove(RequestEnvelope req) {
        requireRaft("remove_peer");
        if (req.getRemovePeer().getNodeId().isEmpty()) {
            throw RnsException.invalid("remove_peer.node_id is required");
        }
    }

    CompletableFuture<ResponseEnvelope> remove(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        return consensus.removePeer(req.getRemovePeer().getNodeId(), timeoutMs)
                .thenApply(peers -> responses.ok(ResponseEnvelope.newBuilder()
                        .setRemovePeer(RemovePeerResponse.newBuilder().addAllPeers(toWire(peers, leaderId()))), null));
    }

    void validateTransfer(RequestEnvelope req) {
        requireRaft("transfer_leadership");
        if (req.getTransferLeadership().getNodeId().isEmpty()) {
            throw RnsException.invalid("transfer_leadership.node_id is required");
        }
    }

    CompletableFuture<ResponseEnvelope> transfer(RequestEnvelope req, InboundContext ctx, long timeoutMs) {
        return consensus.transferLeadership(req.getTransferLeadership().getNodeId())
                .thenApply(
                        v -> responses.ok(
                                ResponseEnvelope.newBuilder().setTransferLeadership(
                                        TransferLeadershipResponse.newBuilder().setPreviousLeaderId(config.nodeId())),
                                null));
    }

    private String leaderId() {
        String l = consensus.state().leaderId();
        return l == null ? "" : l;
    }
}
