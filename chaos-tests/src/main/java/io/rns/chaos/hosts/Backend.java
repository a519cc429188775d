package io.rns.chaos.hosts;

import java.util.Locale;

/**
 * The three places a chaos run's nodes can live, all offering the same {@link Hosts} fault vocabulary:
 * <ul>
 *   <li>{@link #NETNS}: {@link NetnsHosts}, network namespaces + bridge + iptables; needs root.</li>
 *   <li>{@link #DOCKER}: {@link DockerHosts}, one container per node on a local docker engine through Testcontainers
 *       (a locally built skeleton image, no pulls).</li>
 *   <li>{@link #ROOTLESS}: {@link NetnsHosts} inside a user+network+mount namespace made by
 *       {@code unshare --user --map-root-user --net --mount} ({@link RootlessHosts}); the whole harness JVM runs
 *       in there, so it needs no root outside.</li>
 * </ul>
 * Chosen with {@code -Drns.chaos.backend=netns|docker|rootless} (default netns) or {@code scripts/chaos.sh --backend}.
 */
public enum Backend {
    NETNS, DOCKER, ROOTLESS;

    public static final String PROPERTY = "rns.chaos.backend";

    /** {@code netns}, {@code docker} or {@code rootless} (case-insensitive); anything else is a clear error. */
    public static Backend parse(String name) {
        if (name == null || name.isBlank()) {
            return NETNS;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "netns" -> NETNS;
            case "docker" -> DOCKER;
            case "rootless" -> ROOTLESS;
            default -> throw new IllegalArgumentException(
                    "unknown chaos backend '" + name + "': expected netns, docker or rootless");
        };
    }

    /** The backend named by the {@value #PROPERTY} system property (default {@link #NETNS}). */
    public static Backend fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /** {@code null} if this backend can run here, else the reason (for skips outside CI and failures under CI). */
    public String unavailableReason() {
        return switch (this) {
            case NETNS -> NetnsHosts.unavailableReason();
            case DOCKER -> DockerHosts.unavailableReason();
            case ROOTLESS -> RootlessHosts.unavailableReason();
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
