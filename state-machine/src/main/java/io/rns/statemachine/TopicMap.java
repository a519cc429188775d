package io.rns.statemachine;

import io.vavr.Tuple2;
import io.vavr.collection.HashMap;

import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable String-keyed map whose next version shares almost everything with this one: a thin wrapper around
 * vavr's persistent {@link HashMap} (a hash array mapped trie, 32-way branching). Adding, replacing or removing one
 * key copies only the O(log32 n) trie nodes on that key's path (at most ~5 small arrays at 1M keys); every other
 * node and every value is shared. A batch touching k keys therefore costs O(k log n), independent of the table size.
 *
 * <p>(It replaced a 256-way sharded copy-on-write map: with 1M topics a 1,000-topic registration touched nearly every
 * shard and so copied ~98 % of the table on every apply.)
 */
final class TopicMap<V> {
    private static final TopicMap<Object> EMPTY = new TopicMap<>(HashMap.empty());

    private final HashMap<String, V> map;

    private TopicMap(HashMap<String, V> map) {
        this.map = map;
    }

    @SuppressWarnings("unchecked")
    static <V> TopicMap<V> empty() {
        return (TopicMap<V>) EMPTY;
    }

    V get(String key) {
        return map.getOrElse(key, null);
    }

    int size() {
        return map.size();
    }

    void forEach(BiConsumer<String, V> action) {
        forEach(map, action);
    }

    private static <V> void forEach(HashMap<String, V> map, BiConsumer<String, V> action) {
        for (Tuple2<String, V> e : map) {
            action.accept(e._1, e._2);
        }
    }

    Builder<V> toBuilder() {
        return new Builder<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof TopicMap<?> other && map.equals(other.map));
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    /**
     * A working copy; not thread-safe; {@link #build()} may be called once. Each change makes a new persistent
     * version (path copy); nothing is mutated in place, so the base map stays valid whatever happens to the builder.
     */
    static final class Builder<V> {
        private final TopicMap<V> base;
        private HashMap<String, V> map;
        private boolean built;

        private Builder(TopicMap<V> base) {
            this.base = base;
            this.map = base.map;
        }

        V get(String key) {
            return map.getOrElse(key, null);
        }

        void put(String key, V value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            checkNotBuilt();
            map = map.put(key, value);
        }

        void remove(String key) {
            checkNotBuilt();
            map = map.remove(key); // the same instance if the key is absent
        }

        void forEach(BiConsumer<String, V> action) {
            TopicMap.forEach(map, action);
        }

        int size() {
            return map.size();
        }

        private void checkNotBuilt() {
            if (built) {
                throw new IllegalStateException("builder already built");
            }
        }

        /** The new version; the base itself (same instance) if nothing was put or removed. */
        TopicMap<V> build() {
            built = true;
            return map == base.map ? base : new TopicMap<>(map);
        }
    }
}
