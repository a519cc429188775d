package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.rns.namesrv.consensus.ConsensusException;
import io.rns.statemachine.ApplyResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Completes a proposal's future from the leader's apply (result set first, then run with OK) or from a failure. */
final class ProposalClosure implements Closure {
    final CompletableFuture<ApplyResult> future = new CompletableFuture<>();
    private final Executor completer;
    private volatile ApplyResult result;

    /** {@code completer} completes the future (off jraft's apply thread); failures complete it directly. */
    ProposalClosure(Executor completer) {
        this.completer = completer;
    }

    void setResult(ApplyResult r) {
        this.result = r;
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            ApplyResult r = result;
            if (r == null) {
                future.completeExceptionally(new ConsensusException(ConsensusException.Kind.OUTCOME_UNKNOWN,
                        "entry committed but no apply result was recorded"));
            } else {
                completer.execute(() -> future.complete(r));
            }
            return;
        }
        future.completeExceptionally(mapFailure(status));
    }

    /**
     * Once Node.apply accepted the task, only a full queue (EBUSY) proves the entry was not appended; every other
     * failure ("Leader stepped down", expected-term mismatch after a race, shutdown) leaves the outcome unknown.
     */
    static ConsensusException mapFailure(Status status) {
        RaftError err = status.getRaftError();
        if (err == RaftError.EBUSY) {
            return new ConsensusException(ConsensusException.Kind.BUSY, "raft: " + status.getErrorMsg());
        }
        return new ConsensusException(ConsensusException.Kind.OUTCOME_UNKNOWN,
                "proposal outcome unknown (" + err + ": " + status.getErrorMsg() + ")");
    }
}
