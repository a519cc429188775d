package io.rns.rpc.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a test opened (servers, clients, fake nodes, pools), closed after each test in reverse order of opening. Use
 * as a {@code @RegisterExtension} field.
 */
public final class Closer implements AfterEachCallback {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Closes {@code c} after the test; returns it. */
    public <T extends AutoCloseable> T add(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables)
            c.close();
        closeables.clear();
    }
}
