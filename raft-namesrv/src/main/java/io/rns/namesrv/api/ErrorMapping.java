package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.rpc.transport.RpcConnectException;
import io.rns.rpc.transport.RpcTransportException;
import io.rns.rpc.v1.ErrorCode;
import io.rns.statemachine.ApplyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/** The one place where failures become wire error codes, with their retriable flag. */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private static final Set<ErrorCode> RETRIABLE = EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.NO_QUORUM,
            ErrorCode.DEADLINE_EXCEEDED, ErrorCode.OUTCOME_UNKNOWN, ErrorCode.STALENESS_EXCEEDED, ErrorCode.OVERLOADED,
            ErrorCode.SHUTTING_DOWN, ErrorCode.MIN_INDEX_NOT_REACHED, ErrorCode.TOO_MANY_WATCHES);

    private ErrorMapping() {
    }

    /** Whether a client may retry (on this or another node) after this code. OUTCOME_UNKNOWN: only idempotent writes. */
    public static boolean retriable(ErrorCode code) {
        return RETRIABLE.contains(code);
    }

    public record Mapped(ErrorCode code, String message) {
    }

    public static Mapped map(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof RnsException a) {
            return new Mapped(a.code(), a.getMessage());
        }
        if (e instanceof ConsensusException c) {
            ErrorCode code = switch (c.kind()) {
                case NOT_LEADER -> ErrorCode.NOT_LEADER;
                case NO_QUORUM -> ErrorCode.NO_QUORUM;
                case OUTCOME_UNKNOWN -> ErrorCode.OUTCOME_UNKNOWN;
                case BUSY -> ErrorCode.OVERLOADED;
                case TIMEOUT -> ErrorCode.DEADLINE_EXCEEDED;
                case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
                case HALTED -> ErrorCode.INTERNAL;
                case INVALID -> ErrorCode.INVALID_ARGUMENT;
                case UNSUPPORTED -> ErrorCode.UNSUPPORTED_REQUEST;
            };
            return new Mapped(code, c.getMessage());
        }
        if (e instanceof RpcConnectException) {
            return new Mapped(ErrorCode.NO_QUORUM, "cannot reach the leader: " + e.getMessage());
        }
        if (e instanceof RpcTransportException) {
            // the forwarded request was sent; we cannot know whether the leader applied it
            return new Mapped(ErrorCode.OUTCOME_UNKNOWN,
                    "forwarding to the leader failed after sending: " + e.getMessage());
        }
        if (e instanceof RejectedExecutionException) {
            return new Mapped(ErrorCode.OVERLOADED, "node overloaded: " + e.getMessage());
        }
        log.error("unexpected failure while serving a request", e);
        return new Mapped(ErrorCode.INTERNAL, "internal error: " + e);
    }

    /** A deterministic rejection from apply. */
    public static Mapped map(ApplyResult.Rejected r) {
        ErrorCode code = switch (r.reason()) {
            case INVALID_RECORD, BROKER_NAME_CONFLICT -> ErrorCode.INVALID_ARGUMENT;
            case UNKNOWN_BROKER -> ErrorCode.UNKNOWN_BROKER;
            case STALE_BROKER_EPOCH -> ErrorCode.STALE_BROKER_EPOCH;
            case SESSION_EXPIRED -> ErrorCode.SESSION_EXPIRED;
            case STALE_SEQUENCE -> ErrorCode.STALE_SEQUENCE;
            case STALE_REGISTRATION -> ErrorCode.STALE_REGISTRATION;
            case TOO_MANY_SESSIONS -> ErrorCode.OVERLOADED;
        };
        return new Mapped(code, r.message());
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
