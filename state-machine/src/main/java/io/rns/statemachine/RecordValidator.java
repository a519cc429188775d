package io.rns.statemachine;

import io.rns.log.v1.BrokerQueue;
import io.rns.log.v1.ChangeWritePerm;
import io.rns.log.v1.DeleteKv;
import io.rns.log.v1.DeleteTopic;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.OpenSession;
import io.rns.log.v1.PutKv;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.RegisterTopic;
import io.rns.log.v1.TopicQueueConfig;
import io.rns.log.v1.UnregisterBroker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Validation rules for log records, and the single-field checks the server reuses to validate wire requests. Every
 * message names the offending field, e.g. {@code register_broker.topics[3].read_queue_nums must be in [0, 16384], got
 * -1}. Pure functions: no state, no clock.
 */
public final class RecordValidator {
    private RecordValidator() {
    }

    /** Returns a message naming the first offending field, or empty if the record is valid. */
    public static Optional<String> validate(LogRecord r) {
        if (r == null) {
            return Optional.of("record is required");
        }
        if (r.getFormatVersion() != LogRecords.CURRENT_FORMAT_VERSION) {
            return Optional.of(
                    "format_version must be " + LogRecords.CURRENT_FORMAT_VERSION + ", got " + r.getFormatVersion());
        }
        if (r.hasSession() && (r.getSession().getId() == 0 || r.getSession().getSeq() == 0)) {
            return Optional.of("session.id and session.seq must both be positive, got id "
                    + Long.toUnsignedString(r.getSession().getId()) + " seq "
                    + Long.toUnsignedString(r.getSession().getSeq()));
        }
        return switch (r.getKindCase()) {
            case REGISTER_BROKER -> validate(r.getRegisterBroker());
            case UNREGISTER_BROKER -> validate(r.getUnregisterBroker());
            case DELETE_TOPIC -> validate(r.getDeleteTopic());
            case PUT_KV -> validate(r.getPutKv());
            case DELETE_KV -> validate(r.getDeleteKv());
            case CHANGE_WRITE_PERM -> validate(r.getChangeWritePerm());
            case REGISTER_TOPIC -> validate(r.getRegisterTopic());
            case OPEN_SESSION -> validate(r.getOpenSession());
            case KIND_NOT_SET -> Optional.of("kind is required");
        };
    }

    public static Optional<String> validate(RegisterBroker r) {
        String p = "register_broker.";
        Optional<String> e = first(checkClusterName(p + "cluster", r.getCluster()),
                checkBrokerName(p + "broker_name", r.getBrokerName()), checkBrokerId(p + "broker_id", r.getBrokerId()),
                checkAddress(p + "broker_addr", r.getBrokerAddr()),
                checkOptionalAddress(p + "ha_server_addr", r.getHaServerAddr()),
                checkNonNegative(p + "data_version_timestamp", r.getDataVersionTimestamp()),
                checkNonNegative(p + "data_version_counter", r.getDataVersionCounter()));
        if (e.isPresent()) {
            return e;
        }
        return checkEntries(r.getTopicsList(), p + "topics", TopicQueueConfig::getTopic, "topic", (t, tp) -> first(
                checkTopic(tp + "topic", t.getTopic()),
                checkQueues(tp, t.getReadQueueNums(), t.getWriteQueueNums(), t.getPerm(), t.getTopicSysFlag())));
    }

    /**
     * Every entry of the repeated field {@code field} passes {@code check} (given the entry's prefix, e.g.
     * {@code register_broker.topics[3].}), and no two entries share a {@code key} (named {@code keyName}).
     */
    private static <T> Optional<String> checkEntries(List<T> entries, String field, Function<T, String> key,
            String keyName, BiFunction<T, String, Optional<String>> check) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            String prefix = field + "[" + i + "].";
            Optional<String> e = check.apply(entry, prefix);
            if (e.isPresent()) {
                return e;
            }
            Integer before = seen.putIfAbsent(key.apply(entry), i);
            if (before != null) {
                return Optional
                        .of(prefix + keyName + " '" + key.apply(entry) + "' duplicates " + field + "[" + before + "]");
            }
        }
        return Optional.empty();
    }

    /** The queue settings of one topic or queue entry; {@code prefix} names it and ends with a dot. */
    private static Optional<String> checkQueues(String prefix, int readQueueNums, int writeQueueNums, int perm,
            int sysFlag) {
        return first(checkQueueNums(prefix + "read_queue_nums", readQueueNums),
                checkQueueNums(prefix + "write_queue_nums", writeQueueNums), checkPerm(prefix + "perm", perm),
                checkSysFlag(prefix + "topic_sys_flag", sysFlag));
    }

    public static Optional<String> validate(UnregisterBroker r) {
        String p = "unregister_broker.";
        Optional<String> e = first(checkOptionalClusterName(p + "cluster", r.getCluster()),
                checkBrokerName(p + "broker_name", r.getBrokerName()), checkBrokerId(p + "broker_id", r.getBrokerId()),
                checkOptionalAddress(p + "broker_addr", r.getBrokerAddr()));
        if (e.isPresent()) {
            return e;
        }
        if (r.getReason() == UnregisterBroker.Reason.UNRECOGNIZED) {
            return Optional.of(p + "reason has unknown value " + r.getReasonValue());
        }
        return Optional.empty();
    }

    public static Optional<String> validate(DeleteTopic r) {
        return first(checkTopic("delete_topic.topic", r.getTopic()),
                checkOptionalClusterName("delete_topic.cluster", r.getCluster()));
    }

    public static Optional<String> validate(OpenSession r) {
        if (r.getTimeoutMs() < Limits.MIN_SESSION_TIMEOUT_MS || r.getTimeoutMs() > Limits.MAX_SESSION_TIMEOUT_MS) {
            return Optional.of("open_session.timeout_ms must be in [" + Limits.MIN_SESSION_TIMEOUT_MS + ", "
                    + Limits.MAX_SESSION_TIMEOUT_MS + "], got " + Integer.toUnsignedString(r.getTimeoutMs()));
        }
        if (r.getMaxSessions() < 1 || r.getMaxSessions() > Limits.MAX_SESSIONS) {
            return Optional.of("open_session.max_sessions must be in [1, " + Limits.MAX_SESSIONS + "], got "
                    + Integer.toUnsignedString(r.getMaxSessions()));
        }
        return Optional.empty();
    }

    public static Optional<String> validate(PutKv r) {
        return first(checkKvNamespace("put_kv.namespace", r.getNamespace()), checkKvKey("put_kv.key", r.getKey()),
                checkKvValue("put_kv.value", r.getValue()));
    }

    public static Optional<String> validate(ChangeWritePerm r) {
        Optional<String> e = checkBrokerName("change_write_perm.broker_name", r.getBrokerName());
        if (e.isPresent()) {
            return e;
        }
        if (r.getOp() != ChangeWritePerm.Op.WIPE && r.getOp() != ChangeWritePerm.Op.ADD) {
            return Optional.of("change_write_perm.op must be WIPE or ADD, got " + r.getOpValue());
        }
        return Optional.empty();
    }

    public static Optional<String> validate(RegisterTopic r) {
        String p = "register_topic.";
        Optional<String> e = checkTopic(p + "topic", r.getTopic());
        if (e.isPresent()) {
            return e;
        }
        if (r.getQueuesCount() == 0) {
            return Optional.of(p + "queues must not be empty");
        }
        return checkEntries(r.getQueuesList(), p + "queues", BrokerQueue::getBrokerName, "broker_name",
                (q, qp) -> first(checkBrokerName(qp + "broker_name", q.getBrokerName()), checkQueues(qp,
                        q.getReadQueueNums(), q.getWriteQueueNums(), q.getPerm(), q.getTopicSysFlag())));
    }

    public static Optional<String> validate(DeleteKv r) {
        return first(checkKvNamespace("delete_kv.namespace", r.getNamespace()),
                checkKvKey("delete_kv.key", r.getKey()));
    }

    // ---------------------------------------------------------------------------------------------- field checks

    /**
     * 1..127 characters of {@code [A-Za-z0-9_.%|:-]}: RocketMQ clients' own topic rule ({@code [A-Za-z0-9_%|-]})
     * plus the dots and colons of broker and cluster names, because a stock broker registers topics named after its
     * broker and cluster (its default broker name is the host name, often a dotted FQDN) and a stock NameServer
     * accepts them.
     */
    public static Optional<String> checkTopic(String field, String v) {
        return checkChars(field, v, Limits.MAX_TOPIC_LENGTH);
    }

    /** 1..127 characters of {@code [A-Za-z0-9_.%|:-]}. */
    public static Optional<String> checkClusterName(String field, String v) {
        return checkChars(field, v, Limits.MAX_NAME_LENGTH);
    }

    /** 1..127 characters of {@code [A-Za-z0-9_.%|:-]}. */
    public static Optional<String> checkBrokerName(String field, String v) {
        return checkChars(field, v, Limits.MAX_NAME_LENGTH);
    }

    /** Empty, or a valid cluster name. */
    public static Optional<String> checkOptionalClusterName(String field, String v) {
        return v == null || v.isEmpty() ? Optional.empty() : checkClusterName(field, v);
    }

    /** {@code host:port}: non-empty host without whitespace or control characters, port 1..65535. */
    public static Optional<String> checkAddress(String field, String v) {
        if (v == null || v.isEmpty()) {
            return required(field);
        }
        if (v.length() > Limits.MAX_ADDRESS_LENGTH) {
            return tooLong(field, Limits.MAX_ADDRESS_LENGTH, v.length());
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            return Optional.of(field + " must be host:port, got '" + v + "'");
        }
        if (colon == 0) {
            return Optional.of(field + " must have a non-empty host, got '" + v + "'");
        }
        for (int i = 0; i < colon; i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return Optional.of(field + " host contains an invalid character at position " + i);
            }
        }
        String port = v.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5) {
            return Optional.of(
                    field + " port must be in [" + Limits.MIN_PORT + ", " + Limits.MAX_PORT + "], got '" + port + "'");
        }
        int n = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.of(field + " port must be a number, got '" + port + "'");
            }
            n = n * 10 + (c - '0');
        }
        if (n < Limits.MIN_PORT || n > Limits.MAX_PORT) {
            return Optional.of(field + " port must be in [" + Limits.MIN_PORT + ", " + Limits.MAX_PORT + "], got " + n);
        }
        return Optional.empty();
    }

    /** Empty, or a valid address. */
    public static Optional<String> checkOptionalAddress(String field, String v) {
        return v == null || v.isEmpty() ? Optional.empty() : checkAddress(field, v);
    }

    /** 0..1_000_000 (0 is the master). */
    public static Optional<String> checkBrokerId(String field, long v) {
        return range(field, v, Limits.MIN_BROKER_ID, Limits.MAX_BROKER_ID);
    }

    /** [0, 16384]. */
    public static Optional<String> checkQueueNums(String field, int v) {
        return range(field, v, Limits.MIN_QUEUE_NUMS, Limits.MAX_QUEUE_NUMS);
    }

    /** [0, 7]. */
    public static Optional<String> checkPerm(String field, int v) {
        return range(field, v, Limits.MIN_PERM, Limits.MAX_PERM);
    }

    /** >= 0. */
    public static Optional<String> checkSysFlag(String field, int v) {
        return checkNonNegative(field, v);
    }

    /** 1..127 characters of {@code [A-Za-z0-9_.%|:-]}. */
    public static Optional<String> checkKvNamespace(String field, String v) {
        return checkChars(field, v, Limits.MAX_KV_NAMESPACE_LENGTH);
    }

    /** 1..255 characters, any well-formed UTF-16 (no unpaired surrogate). */
    public static Optional<String> checkKvKey(String field, String v) {
        if (v == null || v.isEmpty()) {
            return required(field);
        }
        if (v.length() > Limits.MAX_KV_KEY_LENGTH) {
            return tooLong(field, Limits.MAX_KV_KEY_LENGTH, v.length());
        }
        return checkWellFormed(field, v);
    }

    /** At most 65536 characters, well-formed UTF-16; may be empty. */
    public static Optional<String> checkKvValue(String field, String v) {
        if (v == null) {
            return Optional.empty();
        }
        if (v.length() > Limits.MAX_KV_VALUE_LENGTH) {
            return tooLong(field, Limits.MAX_KV_VALUE_LENGTH, v.length());
        }
        return checkWellFormed(field, v);
    }

    /**
     * An unpaired surrogate cannot be encoded as UTF-8: protobuf and the store would turn it into '?', so a replica
     * that decoded the record from bytes would hold a different string than a leader that applied its in-memory
     * record. Such strings are rejected.
     */
    public static Optional<String> checkWellFormed(String field, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(field + " contains an unpaired surrogate at position " + i);
            }
        }
        return Optional.empty();
    }

    public static Optional<String> checkNonNegative(String field, long v) {
        return v < 0 ? Optional.of(field + " must be >= 0, got " + v) : Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static final String NAME_CHARS = "A-Z a-z 0-9 _ - . % | :";

    /** 1..max characters of {@link #NAME_CHARS}: the one character rule for topics, brokers, clusters, namespaces. */
    private static Optional<String> checkChars(String field, String v, int max) {
        if (v == null || v.isEmpty()) {
            return required(field);
        }
        if (v.length() > max) {
            return tooLong(field, max, v.length());
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '%' || c == '|' || c == '.' || c == ':';
            if (!ok) {
                return Optional.of(field + " contains invalid character " + describe(c) + " at position " + i
                        + " (allowed: " + NAME_CHARS + ")");
            }
        }
        return Optional.empty();
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static Optional<String> range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            return Optional.of(field + " must be in [" + min + ", " + max + "], got " + v);
        }
        return Optional.empty();
    }

    private static Optional<String> required(String field) {
        return Optional.of(field + " is required");
    }

    private static Optional<String> tooLong(String field, int max, int len) {
        return Optional.of(field + " must be at most " + max + " characters, got " + len);
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... checks) {
        for (Optional<String> c : checks) {
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }
}
