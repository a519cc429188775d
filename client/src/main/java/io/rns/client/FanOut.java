package io.rns.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Leaderless writes: one call per endpoint at once, success if one node succeeded, every node's outcome kept. */
final class FanOut {
    private FanOut() {
    }

    /**
     * Runs {@code perEndpoint} on every endpoint at once; completes when all have completed: with a Reply carrying
     * every outcome if one succeeded, else with the first endpoint's NamesrvException listing every error. A
     * non-NamesrvException failure (closed client) fails the whole call.
     */
    static <T> CompletableFuture<Reply<T>> toEvery(List<String> endpoints,
            Function<String, CompletableFuture<Reply<T>>> perEndpoint) {
        Map<String, CompletableFuture<Reply<T>>> futures = new LinkedHashMap<>();
        for (String ep : endpoints) {
            CompletableFuture<Reply<T>> f;
            try {
                f = perEndpoint.apply(ep);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            futures.put(ep, f);
        }
        CompletableFuture<?>[] settled = futures.values().stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(settled).thenApply(x -> {
            Map<String, Reply.Outcome<T>> outcomes = new LinkedHashMap<>();
            Reply<T> first = null;
            for (Map.Entry<String, CompletableFuture<Reply<T>>> e : futures.entrySet()) {
                try {
                    Reply<T> r = e.getValue().join();
                    outcomes.put(e.getKey(), Reply.Outcome.ok(e.getKey(), r));
                    if (first == null)
                        first = r;
                } catch (CompletionException | CancellationException ex) {
                    Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                    if (!(cause instanceof NamesrvException ne))
                        throw Replies.rethrow(cause);
                    outcomes.put(e.getKey(), Reply.Outcome.failed(e.getKey(), ne));
                }
            }
            if (first != null)
                return new Reply<>(first.value(), first.meta(), outcomes);
            throw allFailed(outcomes.values().stream().map(Reply.Outcome::error).toList(),
                    "write failed on every node");
        });
    }

    /** The first exception, its message listing every one's; outcome unknown if any is. */
    static NamesrvException allFailed(List<NamesrvException> errors, String what) {
        NamesrvException first = errors.get(0);
        StringBuilder b = new StringBuilder(what).append(" (").append(errors.size()).append("): ");
        boolean unknown = false;
        for (int i = 0; i < errors.size(); i++) {
            NamesrvException e = errors.get(i);
            unknown |= e.outcomeUnknown();
            if (i > 0)
                b.append("; ");
            b.append(e.endpoint() != null ? e.endpoint() : "?").append(": ").append(e.codeName()).append(": ")
                    .append(e.detail());
        }
        return first.withDetail(b.toString(), unknown);
    }
}
