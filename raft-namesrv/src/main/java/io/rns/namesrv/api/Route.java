package io.rns.namesrv.api;

import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.CompletableFuture;

/**
 * How the dispatcher serves one request kind: where it must run, the checks made on the receiving node before any
 * forward, the handler where it runs, and what the receiving node does with the answer (e.g. bind a connection).
 */
record Route(Placement placement, Check check, Serve serve, After after) {

    /** Where a request kind runs; anything not LOCAL is forwarded once to the leader from other nodes. */
    enum Placement {
        /** Any node answers from its own state. */
        LOCAL,
        /** The node that applies writes (the Raft leader, any leaderless node); the forward adds no queue time. */
        WRITER,
        /** As WRITER, and the time the request waited here counts as queue time (liveness signals). */
        WRITER_TIMED,
        /** The Raft leader only (membership), with queue time. */
        LEADER_TIMED;

        boolean servesHere(NodeState s) {
            return switch (this) {
                case LOCAL -> true;
                case WRITER, WRITER_TIMED -> s.acceptsWrites();
                case LEADER_TIMED -> s.isLeader();
            };
        }

        boolean countsQueueTime() {
            return this == WRITER_TIMED || this == LEADER_TIMED;
        }
    }

    @FunctionalInterface
    interface Check {
        Check NONE = req -> {
        };

        /** Throws RnsException naming the problem. */
        void check(RequestEnvelope req);

        /** As {@link #check(RequestEnvelope)}, for checks that also look at where the request came from. */
        default void check(RequestEnvelope req, InboundContext ctx) {
            check(req);
        }
    }

    @FunctionalInterface
    interface Serve {
        CompletableFuture<ResponseEnvelope> serve(RequestEnvelope req, InboundContext ctx, long timeoutMs);
    }

    @FunctionalInterface
    interface After {
        After NONE = (req, ctx, answer) -> answer;

        CompletableFuture<ResponseEnvelope> after(RequestEnvelope req, InboundContext ctx,
                CompletableFuture<ResponseEnvelope> answer);
    }

    static Route local(Check check, Serve serve) {
        return new Route(Placement.LOCAL, check, serve, After.NONE);
    }

    static Route on(Placement placement, Check check, Serve serve) {
        return new Route(placement, check, serve, After.NONE);
    }
}
