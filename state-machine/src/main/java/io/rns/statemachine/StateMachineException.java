package io.rns.statemachine;

/**
 * The store failed (I/O, RocksDB error) or a record cannot be understood. The replica must halt: the caller
 * (the Raft adapter) turns this into setErrorAndRollback, never into a skipped entry.
 */
public class StateMachineException extends RuntimeException {
    public StateMachineException(String message) {
        super(message);
    }

    public StateMachineException(String message, Throwable cause) {
        super(message, cause);
    }
}
