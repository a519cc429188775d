package io.rns.namesrv.cluster;

import com.alipay.sofa.jraft.CliService;
import com.alipay.sofa.jraft.RaftServiceFactory;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.consensus.NodeState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 14, peer port: each member's Raft port listens on the member's own address only, and jraft's CLI requests
 * (which would let anyone who reaches the port reset or change the configuration) are not served there.
 */
@Tag("cluster")
class PeerPortClusterTest extends ClusterTestBase {
    private static final String GROUP = "rns"; // JraftNode.GROUP_ID

    @Test
    void thePeerPortListensOnTheMembersAddressOnlyAndServesNoCliRequest() throws Exception {
        cluster = new MiniCluster(3, dir, 1000, 0).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
        String leaderId = cluster.config(leader).nodeId();

        for (int i = 0; i < 3; i++) {
            Member m = cluster.config(i).self();
            // every 127.x.y.z address reaches this host's loopback: a wildcard listener would accept this connection
            int port = m.raftPort();
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.2", port), 2000);
                }
            }, "node " + m.id() + ": raft port " + port + " answers on 127.0.0.2, so it listens beyond " + m.host());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(m.host(), port), 2000); // and it does listen on its own address
            } catch (IOException e) {
                throw new AssertionError("node " + m.id() + ": raft port not reachable on " + m.raftAddress(), e);
            }
        }

        CliOptions opts = new CliOptions();
        opts.setTimeoutMs(3000);
        opts.setMaxRetry(0);
        CliService cli = RaftServiceFactory.createAndInitCliService(opts);
        try {
            for (int i = 0; i < 3; i++) {
                Member m = cluster.config(i).self();
                PeerId target = new PeerId(m.host(), m.raftPort());
                // ResetPeer makes a node's configuration "just me": a follower would elect itself, a split brain
                Status st = cli.resetPeer(GROUP, target, new Configuration(List.of(target)));
                System.out.println("jraft CLI ResetPeer to " + m.id() + " (" + target + "): " + st);
                assertFalse(st.isOk(), "node " + m.id() + " accepted a jraft CLI ResetPeer from the network");
            }
        } finally {
            cli.shutdown();
        }

        // a non-member peer: a connection from 127.0.0.2 (no member's host; the members are on 127.0.0.1) is closed at
        // once without a byte sent, while one from a member's address stays open
        for (int i = 0; i < 3; i++) {
            Member m = cluster.config(i).self();
            try (Socket stranger = new Socket(); Socket member = new Socket()) {
                stranger.bind(new InetSocketAddress("127.0.0.2", 0));
                stranger.connect(new InetSocketAddress(m.host(), m.raftPort()), 2000);
                stranger.setSoTimeout(3000);
                assertEquals(-1, readOrReset(stranger), "node " + m.id() + " kept a connection from 127.0.0.2 open");
                member.connect(new InetSocketAddress(m.host(), m.raftPort()), 2000);
                member.setSoTimeout(1000);
                assertThrows(SocketTimeoutException.class, () -> member.getInputStream().read(),
                        "node " + m.id() + " closed a connection from its own member address");
            }
        }

        // nothing changed: same leader, every node still sees the three members
        for (int i = 0; i < 3; i++) {
            NodeState s = cluster.node(i).consensus().state();
            assertEquals(leaderId, s.leaderId(), "leader seen by node " + i);
            assertEquals(List.of("n1", "n2", "n3"),
                    cluster.node(i).consensus().peers().stream().map(NodeState.Peer::id).sorted().toList(),
                    "members seen by node " + i);
        }
    }

    /** -1 once the peer closed the connection (a reset counts as closed too). */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
