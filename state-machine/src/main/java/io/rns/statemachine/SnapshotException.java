package io.rns.statemachine;

/** A snapshot could not be written, or is missing or damaged on load. Loading never half-applies. */
public class SnapshotException extends StateMachineException {
    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
