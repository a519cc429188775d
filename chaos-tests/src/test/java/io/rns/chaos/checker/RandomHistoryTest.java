package io.rns.chaos.checker;

import io.rns.chaos.history.History;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Randomized self-test: generated linearizable histories must be accepted, injected anomalies rejected. */
class RandomHistoryTest {

    private static final long BASE_SEED = Long.getLong("chaos.checker.seed", 20240601L);
    private static final int HISTORIES = 200;
    private static final CheckOptions OPTIONS = CheckOptions.withDeadline(Duration.ofSeconds(20));

    private static RandomHistories.Params params(Random r) {
        return new RandomHistories.Params(1 + r.nextInt(3), 2 + r.nextInt(5), 20 + r.nextInt(60), r.nextDouble() * 0.15,
                r.nextDouble() * 0.1, 1 + r.nextInt(20), r.nextInt(5));
    }

    private static void run(boolean setModel, boolean inject) {
        System.out.println((setModel ? "set" : "register") + (inject ? " +stale" : "") + " base seed " + BASE_SEED
                + " (rerun with -Dchaos.checker.seed=" + BASE_SEED + ")");
        Model<?> model = setModel ? new SetMembershipModel() : new RegisterModel();
        int checked = 0;
        long states = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < HISTORIES; i++) {
            long seed = BASE_SEED * 1_000_003L + i * 7919L + (setModel ? 1 : 0);
            Random r = new Random(seed);
            RandomHistories gen = new RandomHistories(seed, params(r), setModel);
            List<RandomHistories.SimOp> ops = gen.generate();
            if (inject) {
                boolean done = setModel ? RandomHistories.injectSetStaleRead(ops, r)
                        : RandomHistories.injectRegisterStaleRead(ops, r);
                if (!done) {
                    continue;
                }
            }
            History h = RandomHistories.toHistory(ops);
            CheckResult res = LinearizabilityChecker.check(h, model, OPTIONS);
            Verdict expected = inject ? Verdict.INVALID : Verdict.VALID;
            assertEquals(expected, res.verdict(), "seed " + seed + ":\n" + res.summary());
            assertTrue(res.warnings().isEmpty(), "seed " + seed + ": " + res.warnings());
            checked++;
            states += res.keys().values().stream().mapToLong(KeyResult::cacheEntries).sum();
        }
        System.out.printf("  %d histories checked, %d memoized states, %d ms%n", checked, states,
                (System.nanoTime() - t0) / 1_000_000);
        assertTrue(checked >= (inject ? HISTORIES / 2 : HISTORIES), "too few histories checked: " + checked);
    }

    @Test
    void generatedRegisterHistoriesAreLinearizable() {
        run(false, false);
    }

    @Test
    void registerHistoriesWithInjectedStaleReadsAreRejected() {
        run(false, true);
    }

    @Test
    void generatedSetHistoriesAreLinearizable() {
        run(true, false);
    }

    @Test
    void setHistoriesWithInjectedStaleReadsAreRejected() {
        run(true, true);
    }
}
