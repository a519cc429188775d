package io.rns.statemachine;

/** Why a committed record was refused by apply. Stable: the server maps each to a wire error code. */
public enum RejectReason {
    /** The record breaks a validation rule (a name too long, a negative queue count...). */
    INVALID_RECORD,
    /** The named broker is not registered. */
    UNKNOWN_BROKER,
    /** The record names a broker epoch that is not the current one. */
    STALE_BROKER_EPOCH,
    /** The broker name is registered in another cluster by other broker ids. */
    BROKER_NAME_CONFLICT,
    /** The record names a client session that is unknown or expired; nothing was applied. */
    SESSION_EXPIRED,
    /** The session already applied a later sequence number (a late copy of an older request); no effect. */
    STALE_SEQUENCE,
    /**
     * A registration whose data version is older than the broker's current registration, or not newer than its
     * requested unregistration, within {@link Limits#REGISTRATION_FENCE_MS}: a late copy; no effect.
     */
    STALE_REGISTRATION,
    /** An OpenSession found its max_sessions open (after expiring idle ones). */
    TOO_MANY_SESSIONS
}
