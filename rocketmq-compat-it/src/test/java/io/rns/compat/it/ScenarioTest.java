package io.rns.compat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The frame of a scenario test class: its {@link ScenarioEnv} and run tag, set by {@link #begin} at the start of its
 * {@code @BeforeAll}, and what it {@link #opened} (NameServers, brokers, clients), closed last first after its tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScenarioTest {
    final Opened opened = new Opened();
    ScenarioEnv it;
    String run;

    /** Makes the scenario's work directory and run tag; the first step of the subclass's {@code @BeforeAll}. */
    final void begin(String scenario) throws Exception {
        it = new ScenarioEnv(scenario);
        run = it.runTag();
    }

    @AfterAll
    final void closeOpened() throws Exception {
        opened.closeAll(it);
    }
}
