package io.rns.namesrv.api;

import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.Consensus;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.Role;

/** Builds response headers: every answer says who answered, in which role and term, at which applied index. */
public final class Responses {
    private final NamesrvConfig config;
    private final Consensus consensus;

    public Responses(NamesrvConfig config, Consensus consensus) {
        this.config = config;
        this.consensus = consensus;
    }

    public ResponseHeader.Builder header(ErrorCode code, String message, Consistency served) {
        NodeState s;
        try {
            s = consensus.state();
        } catch (RuntimeException e) {
            // a header must never fail the answer it carries (a committed write's OK above all)
            s = new NodeState(Role.INACTIVE, 0, null, -1, 0, 0, 0);
        }
        ResponseHeader.Builder h = ResponseHeader.newBuilder().setCode(code).setRetriable(ErrorMapping.retriable(code))
                .setNodeId(config.nodeId()).setRole(s.role()).setTerm(s.term())
                .setAppliedIndex(consensus.appliedIndex()).setCommitIndex(s.commitIndex())
                .setMsSinceLeaderContact(s.msSinceLeaderContact()).setLeaderHint(leaderHint(s));
        if (message != null) {
            h.setMessage(message);
        }
        if (served != null) {
            h.setServed(served);
        }
        return h;
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
