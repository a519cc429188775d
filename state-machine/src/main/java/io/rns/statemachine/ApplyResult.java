package io.rns.statemachine;

/**
 * The outcome of applying one committed record. Identical on every replica for the same log: business rejections
 * are results, never exceptions (DESIGN §3 invariant 6).
 */
public sealed interface ApplyResult {
    long index();

    /**
     * The record changed (or was checked against) the state.
     *
     * @param brokerEpoch for RegisterBroker: the broker's epoch after apply (= this index); otherwise 0
     * @param existed     for deletes/unregister: whether the thing existed before; for RegisterBroker: whether the
     *                    broker was already registered
     */
    record Applied(long index, long brokerEpoch, boolean existed) implements ApplyResult {
    }

    /** Deterministically refused; nothing was changed by this record. */
    record Rejected(long index, RejectReason reason, String message) implements ApplyResult {
    }

    /** The entry is at or below the applied index (replay after restart); it was not applied again. */
    record Skipped(long index) implements ApplyResult {
    }
}
