package io.rns.bench.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the RNS server jars are: rocketmq-compat/target (jar + lib) when that module is built — then nodes also
 * speak the RocketMQ protocol — else raft-namesrv/target (jar + lib), as scripts/cluster.sh uses.
 */
public record ServerBuild(String classpath, boolean rocketmqCompat, Path logbackXml) {
    public static ServerBuild locate(Path root) {
        Path compatJar = root.resolve("rocketmq-compat/target/rocketmq-compat-0.1.0-SNAPSHOT.jar");
        Path compatLib = root.resolve("rocketmq-compat/target/lib");
        Path logback = root.resolve("conf/logback.xml").toAbsolutePath();
        if (Files.isRegularFile(compatJar) && Files.isDirectory(compatLib)) {
            return new ServerBuild(compatJar.toAbsolutePath() + ":" + compatLib.toAbsolutePath() + "/*", true, logback);
        }
        Path jar = root.resolve("raft-namesrv/target/raft-namesrv-0.1.0-SNAPSHOT.jar");
        Path lib = root.resolve("raft-namesrv/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("RNS server not built: " + jar + " and " + lib
                    + " are missing (build with ./mvnw -B -ntp -q -pl bench -am -DskipTests package)");
        }
        return new ServerBuild(jar.toAbsolutePath() + ":" + lib.toAbsolutePath() + "/*", false, logback);
    }
}
