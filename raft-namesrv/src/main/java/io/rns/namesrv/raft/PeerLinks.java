package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.rpc.RaftClientService;
import com.alipay.sofa.jraft.util.Endpoint;
import io.rns.rpc.transport.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a follower's Raft client connections to the other voters open, so an election does not start by opening
 * them. jraft opens a peer connection on first use: only the leader sends requests, so followers hold none to each
 * other, and a follower that stood for election paid a bolt connection set-up (~10–20 ms here) to every voter before
 * its pre-vote and vote could go out — twice after a graceful leader transfer (the departing leader and the other
 * follower), once after a crash (docs/benchmarks.md, failover). A leader's replicators keep their own connections, so
 * the leader skips this. Runs on its own thread: opening a connection to an unreachable host blocks for jraft's
 * connect timeout, which must not delay anything else.
 */
final class PeerLinks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);
    static final long PERIOD_MS = 2_000;

    private final JraftNode raft;
    private final Supplier<List<String>> voters;
    private final ScheduledExecutorService thread;

    PeerLinks(JraftNode raft, Supplier<List<String>> voters) {
        this.raft = raft;
        this.voters = voters;
        this.thread = Executors
                .newSingleThreadScheduledExecutor(DaemonThreads.named("rns-peer-links-" + raft.config.nodeId()));
    }

    void start() {
        thread.scheduleWithFixedDelay(this::openMissing, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Opens a connection to every other voter that has none; a leader, a closing node or an unknown voter list skip. */
    void openMissing() {
        Node n = raft.node();
        List<String> all = voters.get();
        if (raft.closing() || !(n instanceof NodeImpl impl) || n.isLeader() || all == null) {
            return;
        }
        RaftClientService rpc = impl.getRpcService();
        String self = n.getNodeId().getPeerId().getEndpoint().toString();
        for (String voter : all) {
            if (voter.equals(self)) {
                continue;
            }
            try {
                Endpoint ep = JRaftUtils.getEndPoint(voter);
                if (ep != null && !rpc.isConnected(ep)) {
                    rpc.checkConnection(ep, true); // opens it; a refused or timed-out connect is tried next period
                }
            } catch (RuntimeException e) {
                log.debug("node {}: could not open a Raft connection to {}: {}", raft.config.nodeId(), voter,
                        e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
