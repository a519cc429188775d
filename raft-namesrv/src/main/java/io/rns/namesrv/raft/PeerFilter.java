package io.rns.namesrv.raft;

import com.alipay.remoting.Connection;
import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import io.rns.namesrv.base.AddressAllowList;
import io.rns.rpc.transport.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Which connections the peer port answers: those whose source IP is an address of a member's host (configured
 * members, members added at runtime, the last committed configuration; see {@link AddressAllowList}). A refused
 * request is not processed: its connection is closed, the refusal counted and logged at WARN (bounded by a
 * {@link LogBudget}).
 */
final class PeerFilter {
    private static final Logger log = LoggerFactory.getLogger(PeerFilter.class);

    private final String nodeId;
    private final AddressAllowList members;
    private final LogBudget budget;
    private final LongAdder refused;

    PeerFilter(String nodeId, Supplier<Collection<String>> memberHosts, LongSupplier nanoClock, LongAdder refused) {
        this.nodeId = nodeId;
        this.refused = refused;
        this.members = new AddressAllowList(memberHosts, nanoClock);
        this.budget = new LogBudget(10, nanoClock);
    }

    /** Whether a connection from {@code remoteAddress} ({@code ip:port} as bolt reports it) may be answered. */
    boolean admits(String remoteAddress) {
        return members.admits(remoteAddress);
    }

    /** A new connection (bolt's CONNECT event): closed at once unless it comes from a member's host. */
    void onConnect(String remoteAddress, Connection connection) {
        if (!admits(remoteAddress)) {
            refuse("a connection", remoteAddress);
            connection.close();
        }
    }

    /** Counts and logs (within the budget) one refusal; the caller closes the connection. */
    private void refuse(String what, String from) {
        refused.increment();
        if (budget.admit()) {
            log.warn(
                    "node {}: refused {} on the raft port from {}: not the address of a member's host (accepted: {};"
                            + " raft.peers-from-members-only); connection closed{}",
                    nodeId, what, from, members.allowed(), budget.takeSuppressed());
        }
    }

    /** {@code processor}, answering only admitted connections. */
    <T> RpcProcessor<T> guard(RpcProcessor<T> processor) {
        return new RpcProcessor<>() {
            @Override
            public void handleRequest(RpcContext ctx, T request) {
                String from = ctx.getRemoteAddress();
                if (admits(from)) {
                    processor.handleRequest(ctx, request);
                    return;
                }
                refuse(processor.interest(), from);
                ctx.getConnection().close();
            }

            @Override
            public String interest() {
                return processor.interest();
            }

            @Override
            public Executor executor() {
                return processor.executor();
            }

            @Override
            public ExecutorSelector executorSelector() {
                return processor.executorSelector();
            }
        };
    }
}
