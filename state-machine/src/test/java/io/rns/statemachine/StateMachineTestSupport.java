package io.rns.statemachine;

import io.rns.log.v1.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** One fresh state machine per test; {@link #apply} uses the next log index. */
abstract class StateMachineTestSupport {
    @TempDir
    Path tmp;

    RouteStateMachine sm;
    long nextIndex = 1;

    @BeforeEach
    void openMachine() {
        sm = RouteStateMachine.open(tmp.resolve("store"));
    }

    @AfterEach
    void closeMachine() {
        if (sm != null) {
            sm.close();
        }
    }

    ApplyResult apply(LogRecord r) {
        return sm.apply(new LogEntry(nextIndex++, r));
    }

    ApplyResult.Applied applied(LogRecord r) {
        ApplyResult res = apply(r);
        if (!(res instanceof ApplyResult.Applied a)) {
            throw new AssertionError("expected Applied, got " + res);
        }
        return a;
    }

    ApplyResult.Rejected rejected(LogRecord r) {
        ApplyResult res = apply(r);
        if (!(res instanceof ApplyResult.Rejected rj)) {
            throw new AssertionError("expected Rejected, got " + res);
        }
        return rj;
    }
}
