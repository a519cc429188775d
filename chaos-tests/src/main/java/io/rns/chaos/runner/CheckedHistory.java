package io.rns.chaos.runner;

import io.rns.chaos.checker.CheckOptions;
import io.rns.chaos.checker.CheckResult;
import io.rns.chaos.checker.LinearizabilityChecker;
import io.rns.chaos.checker.SetMembershipModel;
import io.rns.chaos.checker.StaleReadDetector;
import io.rns.chaos.history.History;
import io.rns.chaos.history.Op;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A set-workload history, written to {@code <dir>/history.jsonl} and checked: linearizability against the set
 * membership model, stale reads, and how many client operations were invoked and ended indeterminate.
 */
record CheckedHistory(History history, CheckResult check, StaleReadDetector.Report stale, int ops, int infos) {

    static CheckedHistory of(History history, Path dir, Duration checkDeadline) throws IOException {
        history.writeJsonl(dir.resolve("history.jsonl"));
        CheckResult check = LinearizabilityChecker.check(history, new SetMembershipModel(),
                CheckOptions.defaults().deadline(checkDeadline));
        StaleReadDetector.Report stale = new StaleReadDetector().check(history);
        return new CheckedHistory(history, check, stale, count(history, Op.Type.INVOKE), count(history, Op.Type.INFO));
    }

    private static int count(History history, Op.Type type) {
        return (int) history.clientOps().ops().stream().filter(o -> o.type() == type).count();
    }
}
