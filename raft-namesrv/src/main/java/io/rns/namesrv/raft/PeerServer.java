package io.rns.namesrv.raft;

import com.alipay.remoting.ConnectionEventType;
import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.rpc.ProtobufMsgFactory;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.rpc.impl.PingRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.AppendEntriesRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.GetFileRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.InstallSnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.ReadIndexRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.RequestVoteRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.TimeoutNowRequestProcessor;
import io.rns.namesrv.config.Member;

import java.util.List;

/**
 * The peer (Raft) port of a member. Unlike jraft's {@code RaftRpcServerFactory.createRaftRpcServer}, which listens on
 * the wildcard address and also serves jraft's CLI requests (AddPeer, RemovePeer, ResetPeer, ChangePeers,
 * TransferLeader, Snapshot, learners — one unauthenticated message could force a configuration change), this server
 * listens on the member's own raft address only and serves only what one member asks of another: AppendEntries,
 * RequestVote (and pre-vote), InstallSnapshot with GetFile, TimeoutNow, ReadIndex and Ping. Membership changes go
 * through the node's own admin requests (AddPeer/RemovePeer/TransferLeadership on the client port). With a
 * {@link PeerFilter}, a connection from an address that is no member's is closed as soon as it opens, and every
 * processor refuses such a connection too. With {@link PeerTls} ({@code raft.tls=true}), a connection speaks mutual TLS
 * and is served only once the other end's certificate names a member's host.
 */
final class PeerServer {
    static {
        ProtobufMsgFactory.load(); // the message registry the processors decode with (the factory's static init)
    }

    private PeerServer() {
    }

    /**
     * A server bound to {@code self}'s raft host and port (not started: jraft's group starts it); with a filter, every
     * processor answers only the connections it admits; with {@code tls}, mutual TLS.
     */
    static RpcServer create(Member self, PeerFilter filter, PeerTls tls) {
        // manageConnection=true as jraft's own factory: the server tracks connections, so the AppendEntries
        // processor hears when a leader's connection closes
        com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(self.host(), self.raftPort(),
                true);
        if (filter != null) { // a stranger's connection is closed when it opens, before it can send anything
            bolt.addConnectionEventProcessor(ConnectionEventType.CONNECT, filter::onConnect);
        }
        if (tls != null) { // TLS with a client certificate naming a member, before bolt's decoder sees a byte
            bolt.option(BoltServerOption.EXTENDED_NETTY_CHANNEL_HANDLER, tls.serverHandlers());
        }
        BoltRpcServer server = new BoltRpcServer(bolt);
        AppendEntriesRequestProcessor appendEntries = new AppendEntriesRequestProcessor(null);
        server.registerConnectionClosedEventListener(appendEntries);
        for (RpcProcessor<?> p : List.of(appendEntries, new GetFileRequestProcessor(null),
                new InstallSnapshotRequestProcessor(null), new RequestVoteRequestProcessor(null),
                new PingRequestProcessor(null), new TimeoutNowRequestProcessor(null),
                new ReadIndexRequestProcessor(null))) {
            server.registerProcessor(filter == null ? p : filter.guard(p));
        }
        return server;
    }
}
