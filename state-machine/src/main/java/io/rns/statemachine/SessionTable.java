package io.rns.statemachine;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The committed client sessions and the state machine's clock (the highest leader time applied). Unlike the route
 * data it is not part of the published {@link RouteImage}: only apply reads it, so it is a plain map owned by the
 * applying thread, changed only by {@link #commit} after a batch's store write succeeded. {@link #size()} may be read
 * from any thread.
 */
final class SessionTable {
    private final TreeMap<Long, ClientSession> sessions;
    private long clockMs;
    private volatile int size;

    SessionTable(SortedMap<Long, ClientSession> sessions, long clockMs) {
        this.sessions = new TreeMap<>(sessions);
        this.clockMs = clockMs;
        this.size = this.sessions.size();
    }

    static SessionTable empty() {
        return new SessionTable(Collections.emptySortedMap(), 0);
    }

    ClientSession get(long id) {
        return sessions.get(id);
    }

    long clockMs() {
        return clockMs;
    }

    int size() {
        return size;
    }

    void forEach(BiConsumer<Long, ClientSession> action) {
        sessions.forEach(action);
    }

    /** Applies a batch's changes: a null value removes the session. */
    void commit(Map<Long, ClientSession> changes, long newClockMs) {
        changes.forEach((id, s) -> {
            if (s == null) {
                sessions.remove(id);
            } else {
                sessions.put(id, s);
            }
        });
        clockMs = newClockMs;
        size = sessions.size();
    }
}
