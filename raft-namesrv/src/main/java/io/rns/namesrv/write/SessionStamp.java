package io.rns.namesrv.write;

/**
 * The client session and sequence number a write carries (rns.rpc.v1 RequestEnvelope.session_id/session_seq), put
 * into its log record so that apply deduplicates it. {@link #NONE}: a caller without a session (RocketMQ brokers,
 * liveness expiries), applied at least once as before.
 */
public record SessionStamp(long id, long seq) {
    public static final SessionStamp NONE = new SessionStamp(0, 0);

    public boolean present() {
        return id != 0;
    }
}
