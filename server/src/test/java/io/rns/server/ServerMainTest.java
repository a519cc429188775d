package io.rns.server;

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
    void anInvalidConfigurationExitsTwo(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("rns.properties"), "no.such.key=1\n");
        assertEquals(2, new CommandLine(new ServerMain()).execute("--config", config.toString()));
    }
}
