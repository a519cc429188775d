package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogRecordsTest {

    @Test
    void roundTripDoesNotMoveTheCallersBuffer() {
        LogRecord r = Records.register("c1", "b1", 0, "10.0.0.1:10911", Records.topic("T1"));
        byte[] bytes = LogRecords.encode(r);
        ByteBuffer buf = ByteBuffer.allocate(bytes.length + 8);
        buf.put(new byte[3]).put(bytes).put(new byte[5]);
        buf.position(3).limit(3 + bytes.length);
        LogRecord decoded = LogRecords.decode(buf);
        assertEquals(r, decoded);
        assertEquals(3, buf.position());
        assertEquals(3 + bytes.length, buf.limit());
        // decoding twice from the same buffer works because nothing was consumed
        assertEquals(r, LogRecords.decode(buf));
    }

    @Test
    void garbageIsCorrupt() {
        ByteBuffer garbage = ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> LogRecords.decode(garbage));
        assertTrue(e.getMessage().contains("not a valid LogRecord"), e.getMessage());
        assertEquals(0, garbage.position());
    }

    @Test
    void truncatedRecordIsCorrupt() {
        byte[] bytes = LogRecords.encode(Records.register("c1", "b1", 0, "10.0.0.1:10911", Records.topic("T1")));
        ByteBuffer cut = ByteBuffer.wrap(bytes, 0, bytes.length - 3);
        assertThrows(CorruptRecordException.class, () -> LogRecords.decode(cut));
    }

    @Test
    void wrongVersionIsCorrupt() {
        LogRecord r = Records.putKv("ns", "k", "v").toBuilder().setFormatVersion(2).build();
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> LogRecords.decode(ByteBuffer.wrap(LogRecords.encode(r))));
        assertTrue(e.getMessage().contains("format_version 2"), e.getMessage());
        LogRecord v0 = Records.putKv("ns", "k", "v").toBuilder().setFormatVersion(0).build();
        assertThrows(CorruptRecordException.class, () -> LogRecords.decode(ByteBuffer.wrap(LogRecords.encode(v0))));
    }

    @Test
    void kindNotSetIsCorrupt() {
        LogRecord r = LogRecord.newBuilder().setFormatVersion(1).setLeaderTimeMs(5).build();
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> LogRecords.decode(ByteBuffer.wrap(LogRecords.encode(r))));
        assertTrue(e.getMessage().contains("no kind"), e.getMessage());
        // an empty payload parses as an empty message: version 0
        assertThrows(CorruptRecordException.class, () -> LogRecords.decode(ByteBuffer.allocate(0)));
        assertThrows(CorruptRecordException.class, () -> LogRecords.decode(null));
    }

    @Test
    void unknownKindFromANewerVersionIsCorrupt() {
        // field 29 (reserved for future kinds) as a length-delimited empty message, plus format_version 1
        byte[] bytes = {0x08, 0x01, (byte) 0xea, 0x01, 0x00};
        assertThrows(CorruptRecordException.class, () -> LogRecords.decode(ByteBuffer.wrap(bytes)));
    }
}
