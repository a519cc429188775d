package io.rns.statemachine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN §1/§3: this module reads no clock or random source and imports no Netty, jraft, rpc or logging classes. */
class ModuleRulesTest {
    private static final List<String> FORBIDDEN = List.of("System.currentTimeMillis", "System.nanoTime", "Instant.now",
            "LocalDateTime.now", "Clock.system", "java.util.Random", "ThreadLocalRandom", "SecureRandom", "Math.random",
            "UUID.randomUUID", "io.netty", "com.alipay", "io.rns.rpc", "org.slf4j", "java.io.Serializable",
            "ObjectOutputStream", "ObjectInputStream");

    @Test
    void mainCodeUsesNoClockNoRandomAndNoForbiddenDependency() throws IOException {
        Path main = Path.of("src/main/java");
        assertTrue(Files.isDirectory(main), "run from the module directory");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                for (String bad : FORBIDDEN) {
                    if (src.contains(bad)) {
                        violations.add(f + ": " + bad);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
