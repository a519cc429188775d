package io.rns.statemachine;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The committed client sessions, broker tombstones and the state machine's clock (the highest leader time applied):
 * what apply uses to refuse duplicates and late copies. Unlike the route
 * data it is not part of the published {@link RouteImage}: only apply reads it, so it is a plain map owned by the
 * applying thread, changed only by {@link #commit} after a batch's store write succeeded. {@link #size()} may be read
 * from any thread.
 */
final class DedupTable {
    private final TreeMap<Long, ClientSession> sessions;
    private final TreeMap<Tombstone.Key, Tombstone> tombstones;
    private long clockMs;
    private volatile int size;

    DedupTable(SortedMap<Long, ClientSession> sessions, SortedMap<Tombstone.Key, Tombstone> tombstones, long clockMs) {
        this.sessions = new TreeMap<>(sessions);
        this.tombstones = new TreeMap<>(tombstones);
        this.clockMs = clockMs;
        this.size = this.sessions.size();
    }

    static DedupTable empty() {
        return new DedupTable(Collections.emptySortedMap(), Collections.emptySortedMap(), 0);
    }

    ClientSession get(long id) {
        return sessions.get(id);
    }

    Tombstone tombstone(Tombstone.Key key) {
        return tombstones.get(key);
    }

    void forEachTombstone(BiConsumer<Tombstone.Key, Tombstone> action) {
        tombstones.forEach(action);
    }

    long clockMs() {
        return clockMs;
    }

    int size() {
        return size;
    }

    int tombstoneCount() {
        return tombstones.size();
    }

    void forEach(BiConsumer<Long, ClientSession> action) {
        sessions.forEach(action);
    }

    /** Applies a batch's changes: a null value removes the session or tombstone. */
    void commit(Map<Long, ClientSession> changes, Map<Tombstone.Key, Tombstone> tombstoneChanges, long newClockMs) {
        changes.forEach((id, s) -> {
            if (s == null) {
                sessions.remove(id);
            } else {
                sessions.put(id, s);
            }
        });
        tombstoneChanges.forEach((k, t) -> {
            if (t == null) {
                tombstones.remove(k);
            } else {
                tombstones.put(k, t);
            }
        });
        clockMs = newClockMs;
        size = sessions.size();
    }
}
