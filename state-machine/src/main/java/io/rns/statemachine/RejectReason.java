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
    BROKER_NAME_CONFLICT
}
