package io.rns.archfixture.api;

import io.rns.archfixture.write.FixtureWrite;

/** A planted layer violation for {@code io.rns.namesrv.NodeLayeringTest}: api -> write is allowed ... */
public final class FixtureHandler {
    public static int handle() {
        return FixtureWrite.write();
    }
}
