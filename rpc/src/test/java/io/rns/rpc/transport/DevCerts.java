package io.rns.rpc.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: runs scripts/dev-certs.sh (needs openssl) into a directory. */
final class DevCerts {
    private DevCerts() {
    }

    static Path make(Path dir, String... ids) throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "dev-certs.sh").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), dir.toString()));
        cmd.addAll(List.of(ids));
        Path log = Files.createTempFile("dev-certs", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/dev-certs.sh failed: " + Files.readString(log));
        }
        Files.delete(log);
        return dir;
    }
}
