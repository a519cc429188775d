package io.rns.namesrv.consensus;

/** A replication failure with a kind that decides the wire error code and whether the outcome is known. */
public final class ConsensusException extends RuntimeException {
    public enum Kind {
        /** This node is not the leader; nothing was proposed. */
        NOT_LEADER,
        /** No leader known / no quorum reachable. */
        NO_QUORUM,
        /** A proposal was handed to the log but its fate is unknown (leader stepped down, timeout after propose). */
        OUTCOME_UNKNOWN,
        /** The engine's queue is full; nothing was proposed. */
        BUSY,
        /** The deadline passed before a read barrier or wait completed (reads only: no state changed). */
        TIMEOUT,
        /** The node is shutting down. */
        SHUTTING_DOWN,
        /** The replica halted after an error in apply; it needs an operator. */
        HALTED,
        /** The request names something the engine refuses (e.g. a membership change naming a non-member). */
        INVALID,
        /** This engine does not support the operation (e.g. membership changes in leaderless mode). */
        UNSUPPORTED
    }

    private final Kind kind;

    public ConsensusException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ConsensusException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
