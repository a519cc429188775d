package io.rns.statemachine;

/** A log entry's payload is not a LogRecord this version understands (garbage, unknown version, no kind). */
public class CorruptRecordException extends StateMachineException {
    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
