package io.rns.bench.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the bench starts RNS nodes: the node launcher {@code scripts/rns-node} (the one scripts/cluster.sh uses: JVM
 * options from conf/jvm.options, logging from conf/logback.xml) on the server module's {@code target/lib/*}, whose
 * nodes also speak the RocketMQ protocol.
 */
public record ServerBuild(Path launcher, String classpath) {
    public static ServerBuild locate(Path root) {
        Path launcher = root.resolve("scripts/rns-node").toAbsolutePath();
        Path lib = root.resolve("server/target/lib").toAbsolutePath();
        if (!Files.isRegularFile(lib.resolve("server-0.1.0-SNAPSHOT.jar"))) {
            throw new IllegalStateException("RNS server not built: " + lib
                    + " has no server jar (build with ./mvnw -B -ntp -q -pl bench -am -DskipTests package)");
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("node launcher " + launcher + " is missing or not executable");
        }
        return new ServerBuild(launcher, lib + "/*");
    }
}
