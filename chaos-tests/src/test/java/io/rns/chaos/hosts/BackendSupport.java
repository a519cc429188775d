package io.rns.chaos.hosts;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a chaos backend call {@link #require(Backend)}: outside CI a missing prerequisite (root, a docker
 * engine, unprivileged user namespaces) skips the test with the reason; under CI=true it FAILS the test, because in
 * CI nothing may be skipped (.ci/run installs and starts what they need).
 */
public final class BackendSupport {
    private BackendSupport() {
    }

    public static void require(Backend backend) {
        String why = backend.unavailableReason();
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(
                    "the " + backend.cliName() + " chaos backend cannot run here and CI must not skip it: " + why);
        }
        Assumptions.abort("skipping: the " + backend.cliName() + " chaos backend cannot run here: " + why);
    }
}
