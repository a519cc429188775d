package io.rns.chaos.hosts;

import io.rns.chaos.nemesis.ClockOffset;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need root, iproute2 and iptables call {@link #require()}: on a developer machine without them the test
 * is skipped with the reason; under CI (CI=true) a missing prerequisite FAILS the test, because in CI nothing may
 * be skipped (.ci/run installs iproute2 and iptables and runs as root).
 */
public final class NetnsSupport {
    private NetnsSupport() {
    }

    public static void require() {
        String why = NetnsHosts.unavailableReason();
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("network-namespace tests cannot run here and CI must not skip them: " + why);
        }
        Assumptions.abort("skipping: network-namespace tests need root, iproute2 and iptables: " + why);
    }

    /** As {@link #require()}, plus libfaketime for the clock nemesis (Debian package libfaketime). */
    public static void requireFaketime() {
        require();
        String why = ClockOffset.unavailableReason();
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("the clock-offset scenario cannot run here and CI must not skip it: " + why);
        }
        Assumptions.abort("skipping: the clock-offset scenario needs libfaketime: " + why);
    }
}
