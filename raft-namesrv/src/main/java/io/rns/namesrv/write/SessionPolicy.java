package io.rns.namesrv.write;

/**
 * How the leader opens client sessions (session.timeout-ms, session.max-open). {@link #OFF} in leaderless mode: every
 * node applies what it gets, so there is no log order to deduplicate against; stamps are ignored there.
 */
public record SessionPolicy(int timeoutMs, int maxOpen) {
    public static final SessionPolicy OFF = new SessionPolicy(0, 0);

    public boolean enabled() {
        return timeoutMs > 0;
    }
}
