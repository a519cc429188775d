package io.rns.namesrv.api;

import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;

/** Builds response headers: every answer says who answered, in which role and term, at which applied index. */
public final class Responses {
    /**
     * How long an OK answer's header may reuse the node state read for an earlier one. Reading it asks jraft for
     * role, leader, commit and log index (the leader id under the node's read lock, which a follower's log appends
     * hold exclusively) on every answer; at tens of thousands of reads per second that is measurable. Headers are
     * informational (who answered, in which term, where the leader is); the applied index, which clients use as their
     * read floor, is always read fresh, and error answers (whose leader hint redirects clients) always read fresh.
     */
    static final long STATE_REUSE_NANOS = 1_000_000L;

    private record Sampled(NodeState state, long atNanos) {}

    private final NamesrvConfig config;
    private final Consensus consensus;
    private volatile Sampled sampled;

    public Responses(NamesrvConfig config, Consensus consensus) {
        this.config = config;
        this.consensus = consensus;
    }

    public ResponseHeader.Builder header(ErrorCode code, String message, Consistency served) {
        NodeState s;
        try {
            s = code == ErrorCode.OK ? recentState() : consensus.state();
        } catch (RuntimeException e) {
            // a header must never fail the answer it carries (a committed write's OK above all)
            s = new NodeState(io.rns.rpc.v1.Role.INACTIVE, 0, null, -1, 0, 0, 0);
        }
        ResponseHeader.Builder h = ResponseHeader.newBuilder()
                .setCode(code)
                .setRetriable(ErrorMapping.retriable(code))
                .setNodeId(config.nodeId())
                .setRole(s.role())
                .setTerm(s.term())
                .setAppliedIndex(consensus.appliedIndex())
                .setCommitIndex(s.commitIndex())
                .setMsSinceLeaderContact(s.msSinceLeaderContact())
                .setLeaderHint(leaderHint(s));
        if (message != null) {
            h.setMessage(message);
        }
        if (served != null) {
            h.setServed(served);
        }
        return h;
    }

    private NodeState recentState() {
        long now = System.nanoTime();
        Sampled c = sampled;
        if (c == null || now - c.atNanos() > STATE_REUSE_NANOS) {
            c = new Sampled(consensus.state(), now);
            sampled = c;
        }
        return c.state();
    }

    public String leaderHint(NodeState s) {
        if (s.leaderId() == null) {
            return "";
        }
        Member m = config.member(s.leaderId());
        return m == null ? "" : m.clientAddress();
    }

    public ResponseEnvelope ok(ResponseEnvelope.Builder body, Consistency served) {
        return body.setHeader(header(ErrorCode.OK, null, served)).build();
    }

    public ResponseEnvelope error(ErrorCode code, String message) {
        return error(code, message, null);
    }

    /** An error answer to a read that was served at {@code served} (e.g. TOPIC_NOT_FOUND after a LINEARIZABLE barrier). */
    public ResponseEnvelope error(ErrorCode code, String message, Consistency served) {
        return ResponseEnvelope.newBuilder().setHeader(header(code, message, served)).build();
    }

    public ResponseEnvelope error(Throwable t) {
        ErrorMapping.Mapped m = ErrorMapping.map(t);
        return error(m.code(), m.message());
    }
}
