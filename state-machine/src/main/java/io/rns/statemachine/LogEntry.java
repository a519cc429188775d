package io.rns.statemachine;

import io.rns.log.v1.LogRecord;

import java.util.Objects;

/** One committed log entry: its Raft log index and the record it carries. */
public record LogEntry(long index, LogRecord record) {
    public LogEntry {
        if (index <= 0) {
            throw new IllegalArgumentException("log index must be positive, got " + index);
        }
        Objects.requireNonNull(record, "record");
    }
}
