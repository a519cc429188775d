package io.rns.client;

import io.rns.rpc.v1.ErrorCode;

/**
 * The one exception of the RNS client.
 *
 * <p>{@link #kind()} says where the failure happened:
 * <ul>
 *   <li>{@link Kind#SERVER}: a node answered with a non-OK code; {@link #code()} is that code, {@link #meta()} its header.</li>
 *   <li>{@link Kind#TIMEOUT}: no answer in time (per attempt or overall); {@code code() == DEADLINE_EXCEEDED}.</li>
 *   <li>{@link Kind#CONNECT_FAILED}: no node could be connected to; {@code code() == ERROR_CODE_UNSPECIFIED}.</li>
 *   <li>{@link Kind#CONNECTION_CLOSED}: the connection closed before the answer; {@code code() == ERROR_CODE_UNSPECIFIED}.</li>
 *   <li>{@link Kind#PROTOCOL_ERROR}: the node's answer broke the protocol (code {@code ERROR_CODE_UNSPECIFIED} or a
 *       body that does not match the request); {@code code() == ERROR_CODE_UNSPECIFIED}; never retried.</li>
 * </ul>
 * After retries the exception describes the <em>last</em> attempt, except {@link #outcomeUnknown()}, which is true
 * if <em>any</em> attempt of a write may have been applied (OUTCOME_UNKNOWN, a server-side DEADLINE_EXCEEDED, or a
 * connection that closed or timed out after the request was sent). All RNS writes are idempotent, so re-running
 * such a write is safe; reading back tells what happened.
 */
public final class NamesrvException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        SERVER, TIMEOUT, CONNECT_FAILED, CONNECTION_CLOSED, PROTOCOL_ERROR
    }

    private final Kind kind;
    private final ErrorCode code;
    private final String detail;
    private final boolean retriable;
    private final String leaderHint;
    private final transient ResponseMeta meta;
    private final boolean outcomeUnknown;
    private final String endpoint;
    private final int attempts;

    public NamesrvException(Kind kind, ErrorCode code, String detail, boolean retriable, String leaderHint,
            ResponseMeta meta, boolean outcomeUnknown, String endpoint, int attempts, Throwable cause) {
        super(format(kind, code, detail, endpoint, attempts), cause);
        this.kind = kind;
        this.code = code;
        this.detail = detail == null ? "" : detail;
        this.retriable = retriable;
        this.leaderHint = leaderHint == null ? "" : leaderHint;
        this.meta = meta;
        this.outcomeUnknown = outcomeUnknown;
        this.endpoint = endpoint;
        this.attempts = attempts;
    }

    private static String format(Kind kind, ErrorCode code, String detail, String endpoint, int attempts) {
        String name = kind == Kind.SERVER || kind == Kind.TIMEOUT ? code.name() : kind.name();
        return name + ": " + (detail == null ? "" : detail)
                + (endpoint != null
                        ? " [endpoint " + endpoint + (attempts > 1 ? ", after " + attempts + " attempts" : "") + "]"
                        : "");
    }

    public Kind kind() {
        return kind;
    }
    /** The wire code (see the class comment for transport kinds). */
    public ErrorCode code() {
        return code;
    }
    /** {@code code()} for SERVER and TIMEOUT, else the kind's name: what the CLI prints. */
    public String codeName() {
        return kind == Kind.SERVER || kind == Kind.TIMEOUT ? code.name() : kind.name();
    }
    /** The server's message (or the transport's), without the code and endpoint decoration of {@link #getMessage()}. */
    public String detail() {
        return detail;
    }
    /** Whether trying again (perhaps elsewhere) could succeed. */
    public boolean retriable() {
        return retriable;
    }
    /** The leader's client address as the answering node knew it; empty if none. */
    public String leaderHint() {
        return leaderHint;
    }
    /** The answering node's header (SERVER kind), else {@code null}. */
    public ResponseMeta meta() {
        return meta;
    }
    /** True if a write may or may not have been applied (see class comment). Always false for reads. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
    /** The endpoint of the last attempt, or {@code null}. */
    public String endpoint() {
        return endpoint;
    }
    /** Attempts made before giving up. */
    public int attempts() {
        return attempts;
    }

    /**
     * A copy with another detail (message) and outcome flag; for the failure of a fan-out write, which describes its
     * first endpoint's failure and lists every endpoint's.
     */
    NamesrvException withDetail(String newDetail, boolean anyOutcomeUnknown) {
        NamesrvException e = new NamesrvException(kind, code, newDetail, retriable, leaderHint, meta,
                outcomeUnknown || anyOutcomeUnknown, endpoint, attempts, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** A copy with the final outcome flag and attempt count of a whole call. */
    public NamesrvException finalFor(boolean anyOutcomeUnknown, int attemptCount) {
        if (anyOutcomeUnknown == outcomeUnknown && attemptCount == attempts)
            return this;
        NamesrvException e = new NamesrvException(kind, code, detail, retriable, leaderHint, meta,
                outcomeUnknown || anyOutcomeUnknown, endpoint, attemptCount, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
