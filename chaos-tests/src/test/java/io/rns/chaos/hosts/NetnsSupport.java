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
        require(NetnsHosts.unavailableReason(), "network-namespace tests cannot run here and CI must not skip them: ",
                "skipping: network-namespace tests need root, iproute2 and iptables: ");
    }

    /** As {@link #require()}, plus libfaketime for the clock nemesis (Debian package libfaketime). */
    public static void requireFaketime() {
        require();
        require(ClockOffset.unavailableReason(), "the clock-offset scenario cannot run here and CI must not skip it: ",
                "skipping: the clock-offset scenario needs libfaketime: ");
    }

    /** Nothing if {@code why} is null; else fails under CI, or skips, with the message and {@code why}. */
    private static void require(String why, String ciFailure, String skipped) {
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(ciFailure + why);
        }
        Assumptions.abort(skipped + why);
    }
}
