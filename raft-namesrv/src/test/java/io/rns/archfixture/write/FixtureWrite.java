package io.rns.archfixture.write;

import io.rns.archfixture.api.FixtureHandler;

/** ... but write -> api is not, and together they form a cycle: both rules must report it. */
public final class FixtureWrite {
    public static int write() {
        return 1;
    }

    static int back() {
        return FixtureHandler.handle();
    }
}
