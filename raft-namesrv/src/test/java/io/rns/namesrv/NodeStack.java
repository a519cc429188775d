package io.rns.namesrv;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rns.namesrv.api.LeaderForwarding;
import io.rns.namesrv.api.RequestDispatcher;
import io.rns.namesrv.api.RequestMetrics;
import io.rns.namesrv.api.Responses;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.base.MonotonicClock;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.liveness.BrokerKey;
import io.rns.namesrv.liveness.ConnectionRegistry;
import io.rns.namesrv.liveness.LivenessService;
import io.rns.namesrv.read.ReadService;
import io.rns.namesrv.write.WriteService;
import io.rns.rpc.v1.Consistency;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The node's services wired over an {@link InMemoryConsensus} as {@code NamesrvNode} wires them over a real engine
 * (no transport, no forwarding client: a follower answers NOT_LEADER), for tests of the node's logic.
 */
public final class NodeStack {
    public final WriteService writes;
    public final LivenessService liveness;
    public final RequestDispatcher dispatcher;
    /** What the dispatcher recorded (request counts and latencies). */
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /**
     * @param readDefault        the node's default read level
     * @param onConnectionClosed what the node does when a bound broker connection closes (here, or reported by another
     *                           node)
     */
    public NodeStack(NamesrvConfig config, InMemoryConsensus consensus, Clock wall, MonotonicClock monotonic,
            Consistency readDefault, BiConsumer<BrokerKey, Long> onConnectionClosed) {
        this(config, consensus, wall, monotonic, readDefault, onConnectionClosed, Runnable::run);
    }

    /** @param readExecutor where read answers are built (the node's is bounded) */
    public NodeStack(NamesrvConfig config, InMemoryConsensus consensus, Clock wall, MonotonicClock monotonic,
            Consistency readDefault, BiConsumer<BrokerKey, Long> onConnectionClosed, Executor readExecutor) {
        Responses responses = new Responses(config, consensus);
        writes = new WriteService(consensus, consensus, consensus, wall, false);
        liveness = new LivenessService(config.liveness(), consensus, writes, monotonic);
        consensus.addLeadershipListener(liveness);
        Authenticator auth = Authenticator.of(config.auth());
        dispatcher = new RequestDispatcher(config, consensus, new ReadService(consensus, consensus, readDefault),
                writes, responses, readExecutor, liveness, new ConnectionRegistry(onConnectionClosed),
                new LeaderForwarding(config, consensus, responses, null, auth), new RequestMetrics(meters),
                consensus::exportBackup, auth, consensus.watchHub(config));
    }
}
