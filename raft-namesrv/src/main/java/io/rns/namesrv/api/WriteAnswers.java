package io.rns.namesrv.api;

import io.rns.namesrv.write.WriteOutcome;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.statemachine.RouteImage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Turns a write's {@link WriteOutcome} into the response on the wire, once, for every kind of write. */
record WriteAnswers(Responses responses) {
    /**
     * {@code applied} builds the body after the record was applied on this node, {@code unchanged} when nothing
     * needed to change; a deterministic rejection becomes its error code.
     */
    CompletableFuture<ResponseEnvelope> answer(CompletableFuture<WriteOutcome> outcome,
            Function<WriteOutcome.Applied, ResponseEnvelope.Builder> applied,
            Function<RouteImage, ResponseEnvelope.Builder> unchanged) {
        return outcome.thenApply(o -> {
            if (o instanceof WriteOutcome.Applied a) {
                return appliedAnswer(a, applied);
            }
            if (o instanceof WriteOutcome.Unchanged u) {
                return responses.ok(unchanged.apply(u.image()), null);
            }
            ErrorMapping.Mapped m = ErrorMapping.map(((WriteOutcome.Rejected) o).reason()); // the dispatcher logs it
            return responses.error(m.code(), m.message());
        });
    }

    /** An answer read from the image, the same way whether the record was applied or nothing changed. */
    CompletableFuture<ResponseEnvelope> answerFromImage(CompletableFuture<WriteOutcome> outcome,
            Function<RouteImage, ResponseEnvelope.Builder> fromImage) {
        return answer(outcome, a -> fromImage.apply(a.after()), fromImage);
    }

    /**
     * Once a record was applied, no failure may be reported as definite: anything that goes wrong while building the
     * answer means the client cannot know the outcome (it may have been applied).
     */
    private ResponseEnvelope appliedAnswer(WriteOutcome.Applied a,
            Function<WriteOutcome.Applied, ResponseEnvelope.Builder> applied) {
        try {
            return responses.ok(applied.apply(a), null);
        } catch (RuntimeException e) {
            return responses.error(ErrorCode.OUTCOME_UNKNOWN,
                    "the write was proposed but its answer could not be built (" + e + "); it may have been applied");
        }
    }
}
