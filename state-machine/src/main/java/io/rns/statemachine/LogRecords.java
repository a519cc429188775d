package io.rns.statemachine;

import com.google.protobuf.InvalidProtocolBufferException;
import io.rns.log.v1.LogRecord;

import java.nio.ByteBuffer;
import java.util.Objects;

/** Encoding and decoding of Raft log entry payloads (one serialized {@link LogRecord} each). */
public final class LogRecords {
    /** The only log format version this code understands. */
    public static final int CURRENT_FORMAT_VERSION = 1;

    private LogRecords() {
    }

    /**
     * Parses a log entry payload. The caller's buffer is not consumed (its position and limit are unchanged).
     *
     * @throws CorruptRecordException for bytes that are not a LogRecord, an unknown format_version, or no kind
     */
    public static LogRecord decode(ByteBuffer data) {
        if (data == null) {
            throw new CorruptRecordException("log entry has no payload");
        }
        int size = data.remaining();
        LogRecord record;
        try {
            record = LogRecord.parseFrom(data.duplicate());
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptRecordException(
                    "log entry payload (" + size + " bytes) is not a valid LogRecord: " + e.getMessage(), e);
        }
        checkSupported(record);
        return record;
    }

    /** Serializes a record; the record should carry format_version {@value #CURRENT_FORMAT_VERSION} and a kind. */
    public static byte[] encode(LogRecord record) {
        Objects.requireNonNull(record, "record");
        return record.toByteArray();
    }

    /**
     * Checks that this version can apply the record: format_version is {@value #CURRENT_FORMAT_VERSION} and a kind is
     * set. A replica that meets anything else must halt rather than skip a committed entry.
     */
    public static void checkSupported(LogRecord record) {
        if (record.getFormatVersion() != CURRENT_FORMAT_VERSION) {
            throw new CorruptRecordException("unsupported LogRecord format_version " + record.getFormatVersion()
                    + " (this replica understands " + CURRENT_FORMAT_VERSION + ")");
        }
        if (record.getKindCase() == LogRecord.KindCase.KIND_NOT_SET) {
            throw new CorruptRecordException("LogRecord has no kind set (unknown record kind from a newer version?)");
        }
    }
}
