package io.rns.namesrv;

import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** raft-namesrv alone has no IngressProvider: asking for the RocketMQ port must fail startup, naming the module. */
class NamesrvNodeIngressTest {
    @TempDir
    Path dir;

    @Test
    void rocketmqPortWithoutTheModuleFailsStartupBeforeAnythingStarts() {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .dataDir(dir.resolve("n1")).rocketmqListenPort(3).build();
        NamesrvNode node = new NamesrvNode(c);
        IllegalStateException e = assertThrows(IllegalStateException.class, node::start);
        assertTrue(e.getMessage().contains("rocketmq-compat") && e.getMessage().contains("rocketmq.listen-port"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("n1")), "nothing was started or created");
        node.close();
    }

    /** Issue 14: the unsafe read path is a test hook only, not something a configuration alone can switch on. */
    @Test
    void theUnsafeReadTestHookNeedsTheEnvironmentToo() {
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .dataDir(dir.resolve("n1")).unsafeLocalLinearizableReads(true).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NamesrvNode.checkTestHooks(c, Map.of()));
        assertTrue(e.getMessage().contains("RNS_ENABLE_TEST_HOOKS=1"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> NamesrvNode.checkTestHooks(c, Map.of(NamesrvNode.TEST_HOOKS_ENV, "true")));
        NamesrvNode.checkTestHooks(c, Map.of(NamesrvNode.TEST_HOOKS_ENV, "1"));
        NamesrvNode.checkTestHooks(
                NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2))).build(),
                Map.of());

        NamesrvNode node = new NamesrvNode(c);
        assertThrows(IllegalStateException.class, node::start,
                "start() applies the check (tests run without the variable)");
        assertFalse(Files.exists(dir.resolve("n1")), "nothing was started or created");
        node.close();
    }
}
