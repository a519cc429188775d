package io.rns.statemachine;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable String-keyed map split into {@value #SHARDS} hash shards, so that the next version can be built by
 * copying only the shards whose keys changed (copy-on-write per shard). Building a new version costs O(SHARDS) for the
 * shard array plus O(n / SHARDS) per touched shard; unchanged shards and all values are shared. With 100k topics a
 * shard holds ~400 entries, so a batch touching k topics copies at most k * ~400 references, not 100k.
 */
final class ShardedMap<V> {
    static final int SHARDS = 256;

    private static final ShardedMap<Object> EMPTY = new ShardedMap<>(emptyShards(), 0);

    private final Map<String, V>[] shards;
    private final int size;

    private ShardedMap(Map<String, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> ShardedMap<V> empty() {
        return (ShardedMap<V>) EMPTY;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <V> Map<String, V>[] emptyShards() {
        Map<String, V>[] s = new Map[SHARDS];
        Arrays.fill(s, Collections.emptyMap());
        return s;
    }

    static int shardOf(String key) {
        int h = key.hashCode();
        h ^= (h >>> 16);
        h ^= (h >>> 8);
        return h & (SHARDS - 1);
    }

    V get(String key) {
        return shards[shardOf(key)].get(key);
    }

    int size() {
        return size;
    }

    void forEach(BiConsumer<String, V> action) {
        for (Map<String, V> shard : shards) {
            shard.forEach(action);
        }
    }

    /** How many shards this map shares (by reference) with another: a measure of structural sharing. */
    int sharedShardsWith(ShardedMap<?> other) {
        int n = 0;
        for (int i = 0; i < SHARDS; i++) {
            if (shards[i] == other.shards[i]) {
                n++;
            }
        }
        return n;
    }

    Builder<V> toBuilder() {
        return new Builder<>(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShardedMap<?> other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < SHARDS; i++) {
            if (!shards[i].equals(other.shards[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map<String, V> shard : shards) {
            h += shard.hashCode();
        }
        return h;
    }

    /** A mutable working copy; not thread-safe; {@link #build()} may be called once. */
    static final class Builder<V> {
        private final Map<String, V>[] shards;
        private final boolean[] owned = new boolean[SHARDS];
        private int size;
        private boolean built;

        private Builder(ShardedMap<V> base) {
            this.shards = base.shards.clone();
            this.size = base.size;
        }

        V get(String key) {
            return shards[shardOf(key)].get(key);
        }

        void put(String key, V value) {
            Objects.requireNonNull(value, "value");
            if (writable(shardOf(key)).put(key, value) == null) {
                size++;
            }
        }

        void remove(String key) {
            int s = shardOf(key);
            if (!shards[s].containsKey(key)) {
                return;
            }
            writable(s).remove(key);
            size--;
        }

        void forEach(BiConsumer<String, V> action) {
            for (Map<String, V> shard : shards) {
                shard.forEach(action);
            }
        }

        int size() {
            return size;
        }

        private Map<String, V> writable(int s) {
            if (built) {
                throw new IllegalStateException("builder already built");
            }
            if (!owned[s]) {
                shards[s] = new HashMap<>(shards[s]);
                owned[s] = true;
            }
            return shards[s];
        }

        ShardedMap<V> build() {
            built = true;
            for (int i = 0; i < SHARDS; i++) {
                if (owned[i]) {
                    shards[i] = shards[i].isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(shards[i]);
                }
            }
            return new ShardedMap<>(shards, size);
        }
    }
}
