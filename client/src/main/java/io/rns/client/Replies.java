package io.rns.client;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Turning the engine's answers into typed {@link Reply}s, and waiting for them. */
final class Replies {
    private Replies() {
    }

    /** The typed reply of an OK answer; PROTOCOL_ERROR if its body is not the one the request asked for. */
    static <T> Reply<T> reply(Caller.Answer answer, ResponseEnvelope.BodyCase expected,
            Function<ResponseEnvelope, T> extract) {
        ResponseEnvelope resp = answer.response();
        ResponseMeta meta = ResponseMeta.of(resp.getHeader(), answer.endpoint());
        if (resp.getBodyCase() != expected) {
            throw new NamesrvException(NamesrvException.Kind.PROTOCOL_ERROR, ErrorCode.ERROR_CODE_UNSPECIFIED,
                    "protocol error: expected a " + expected + " body, got " + resp.getBodyCase(), false,
                    resp.getHeader().getLeaderHint(), meta, false, meta.endpoint(), 1, null);
        }
        return new Reply<>(extract.apply(resp), meta);
    }

    /** Waits for {@code f}; rethrows its failure as is (a NamesrvException stays one). */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new IllegalStateException("interrupted while waiting for RNS", e);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re)
            return re; // NamesrvException, IllegalStateException (closed), ...
        if (t instanceof Error err)
            throw err;
        return new IllegalStateException(t);
    }

    /** The failure inside a CompletionException or ExecutionException. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String nonNull(String s, String name) {
        if (s == null)
            throw new IllegalArgumentException(name + " must not be null");
        return s;
    }
}
