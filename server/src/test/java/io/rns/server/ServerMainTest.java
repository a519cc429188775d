package io.rns.server;

import io.rns.namesrv.config.ConfigKey;
import io.rns.namesrv.config.ConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of the node's main: --help, and exit code 2 for an invalid configuration. */
class ServerMainTest {
    @Test
    void helpListsTheConfigOptionAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ServerMain()).setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        assertTrue(out.toString().contains("--config"), out.toString());
        assertTrue(out.toString().contains("rns-server"), out.toString());
    }

    @Test
    void listConfigPrintsEveryKeyWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ServerMain()).setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--list-config"));
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            assertTrue(out.toString().contains(key.name()), key.name() + " missing from:\n" + out);
        }
        assertTrue(out.toString().contains("raft.election-timeout-ms = 1000"), out.toString());
    }

    @Test
    void anInvalidConfigurationExitsTwo(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("rns.properties"), "no.such.key=1\n");
        assertEquals(2, new CommandLine(new ServerMain()).execute("--config", config.toString()));
    }
}
