package io.rns.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A successful answer: the value and what the answering node said about itself.
 *
 * <p><b>Fan-out writes</b> (leaderless mode, see {@link NamesrvClient}): the write went to every endpoint, and
 * {@link #perEndpoint()} holds each endpoint's {@link Outcome} in the order of {@link NamesrvClient#endpoints()}.
 * The call succeeded because at least one node succeeded; {@link #value()} and {@link #meta()} are those of the first
 * endpoint (in that order) that succeeded. Nodes that failed are only reported here, as a RocketMQ broker only logs
 * the NameServers its registration did not reach. For every other call {@code perEndpoint()} is empty.
 *
 * @param value       the result; {@code null} only for {@code Reply<Void>}
 * @param meta        the response header of the node that answered, plus the endpoint it was reached at
 * @param perEndpoint fan-out writes only (else empty): endpoint -> outcome, in endpoint order; unmodifiable
 */
public record Reply<T>(T value, ResponseMeta meta, Map<String, Outcome<T>> perEndpoint) {

    public Reply {
        perEndpoint = perEndpoint == null || perEndpoint.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(perEndpoint));
    }

    /** An answer of one node (not a fan-out). */
    public Reply(T value, ResponseMeta meta) {
        this(value, meta, Map.of());
    }

    /** Whether this is the answer of a fan-out write ({@link #perEndpoint()} is not empty). */
    public boolean fannedOut() {
        return !perEndpoint.isEmpty();
    }

    /** Fan-out writes: the endpoints that failed, in endpoint order (empty if none, or if not a fan-out). */
    public List<String> failedEndpoints() {
        List<String> l = new ArrayList<>();
        perEndpoint.forEach((ep, o) -> {
            if (!o.ok())
                l.add(ep);
        });
        return List.copyOf(l);
    }

    /**
     * One endpoint's outcome of a fan-out write: exactly one of {@code reply} (that node's value and header) and
     * {@code error} (why it failed there) is set.
     */
    public record Outcome<T>(String endpoint, Reply<T> reply, NamesrvException error) {
        public Outcome {
            Objects.requireNonNull(endpoint, "endpoint");
            if ((reply == null) == (error == null)) {
                throw new IllegalArgumentException("exactly one of reply and error must be set");
            }
        }

        public static <T> Outcome<T> ok(String endpoint, Reply<T> reply) {
            return new Outcome<>(endpoint, reply, null);
        }

        public static <T> Outcome<T> failed(String endpoint, NamesrvException e) {
            return new Outcome<>(endpoint, null, e);
        }

        public boolean ok() {
            return reply != null;
        }

        /** The node's value; throws that node's {@link NamesrvException} if it failed. */
        public T value() {
            if (error != null)
                throw error;
            return reply.value();
        }
    }
}
