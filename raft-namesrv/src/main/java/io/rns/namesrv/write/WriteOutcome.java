package io.rns.namesrv.write;

import io.rns.statemachine.ApplyResult;
import io.rns.statemachine.RouteImage;

/**
 * What a write came to, with no wire types (the KRaft ControllerResult shape): api/ turns it into a response.
 * Failures before or during replication (not leader, no quorum, outcome unknown) complete the future exceptionally.
 */
public sealed interface WriteOutcome {

    /** The record was committed and applied on this node; {@code after} is the image that includes it. */
    record Applied(long index, ApplyResult.Applied result, RouteImage after) implements WriteOutcome {
        @Override
        public String toString() {
            return result.toString(); // the image is large and says nothing a log line needs
        }
    }

    /** Nothing needed to change, confirmed by a read barrier; {@code image} is the state the answer is about. */
    record Unchanged(RouteImage image) implements WriteOutcome {
        @Override
        public String toString() {
            return "Unchanged";
        }
    }

    /** The record was committed and deterministically refused by apply on every replica; nothing changed. */
    record Rejected(ApplyResult.Rejected reason) implements WriteOutcome {
        @Override
        public String toString() {
            return reason.toString();
        }
    }
}
