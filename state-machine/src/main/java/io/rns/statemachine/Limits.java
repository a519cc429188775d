package io.rns.statemachine;

/** Validation limits shared by the state machine (apply) and the server (wire validation). */
public final class Limits {
    private Limits() {
    }

    /** RocketMQ's topic length limit (TopicValidator). */
    public static final int MAX_TOPIC_LENGTH = 127;
    /** Cluster and broker names. */
    public static final int MAX_NAME_LENGTH = 127;
    /** host:port, including an IPv6 literal in brackets. */
    public static final int MAX_ADDRESS_LENGTH = 255;

    public static final long MIN_BROKER_ID = 0;
    public static final long MAX_BROKER_ID = 1_000_000;
    /** The master of a broker group has broker id 0 (RocketMQ MixAll.MASTER_ID). */
    public static final long MASTER_ID = 0;

    public static final int MIN_QUEUE_NUMS = 0;
    public static final int MAX_QUEUE_NUMS = 16_384;
    public static final int MIN_PERM = 0;
    /** PERM_READ | PERM_WRITE | PERM_INHERIT. */
    public static final int MAX_PERM = 7;
    /** RocketMQ PermName.PERM_WRITE. */
    public static final int PERM_WRITE = 2;
    /** RocketMQ PermName.PERM_READ. */
    public static final int PERM_READ = 4;
    /** RocketMQ TopicSysFlag unit flag (bit 0). */
    public static final int SYS_FLAG_UNIT = 1;
    /** RocketMQ TopicSysFlag unit-sub flag (bit 1). */
    public static final int SYS_FLAG_UNIT_SUB = 2;

    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65_535;
    public static final int MAX_KV_NAMESPACE_LENGTH = 127;
    public static final int MAX_KV_KEY_LENGTH = 255;
    public static final int MAX_KV_VALUE_LENGTH = 65_536;

    /** Session idle timeouts a leader may give (OpenSession.timeout_ms). */
    public static final int MIN_SESSION_TIMEOUT_MS = 1_000;
    public static final int MAX_SESSION_TIMEOUT_MS = 86_400_000;
    /**
     * The highest OpenSession.max_sessions a leader may set (an OpenSession beyond its limit, after idle sessions are
     * expired, is refused). Each open session costs one small store key and ~200 bytes of heap.
     */
    public static final int MAX_SESSIONS = 1_000_000;

    /**
     * How long (state-machine time) a broker's latest registration or requested unregistration fences late copies of
     * older registrations by data version (see {@link Tombstone}). Long enough for a request held by a paused process
     * or a retransmitting network; short enough that a broker restarted with an unchanged data version is refused at
     * most once (it registers again at its next period, 30 s for RocketMQ brokers).
     */
    public static final long REGISTRATION_FENCE_MS = 10_000;
}
