package io.rns.cli.shadow;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one node answered in one poll: every compared key with its canonical value ({@code broker/NAME},
 * {@code cluster/NAME}, {@code topic/NAME}, {@code kv/NAMESPACE/KEY}), or why it could not be read.
 *
 * @param failure
 *            null when the node answered everything; then {@code values} is the whole view
 */
public record NodeView(String addr, Side side, Map<String, String> values, String failure) {
    public NodeView {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(values));
    }

    static NodeView read(String addr, Side side, Map<String, String> values) {
        return new NodeView(addr, side, values, null);
    }

    static NodeView failed(String addr, Side side, String failure) {
        return new NodeView(addr, side, null, failure);
    }

    public boolean reachable() {
        return failure == null;
    }
}
