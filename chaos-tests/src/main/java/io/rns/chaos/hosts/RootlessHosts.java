package io.rns.chaos.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rootless backend: {@link NetnsHosts} unchanged, run inside a user + network + mount namespace made by an
 * unprivileged {@code unshare --user --map-root-user --net --mount --propagation private}, with a private tmpfs on
 * {@code /run} (so {@code ip netns add} can create {@code /run/netns}).
 *
 * <p><b>Design: the whole harness JVM re-executes inside the namespace.</b> The alternative — the harness JVM stays
 * outside and only the topology and node JVMs live in an unshared helper — does not work without root: the node
 * addresses exist only inside the new network namespace, and connecting the outside to it needs a veth whose one
 * end is in the caller's (initial) network namespace, which requires CAP_NET_ADMIN there, i.e. root. The remaining
 * options all change what is tested: a userspace TCP forwarder (an outer listening socket inherited by a process
 * that {@code nsenter}s the namespace) breaks the client's view of node addresses (redirects, status and
 * {@code members} name the inner IPs), and running only the client workers inside splits the history recorder and
 * nemesis schedule across processes. Running the unchanged harness inside keeps every scenario, nemesis, checker
 * and report identical to the netns backend; the only difference is the outer process tree.
 *
 * <p>So this class is the launcher: {@link #wrap} turns a command (typically {@code java -cp ... Main ...} with
 * {@code -Drns.chaos.backend=rootless}) into the unshare command line; inside, {@link HostsBuilder} with
 * {@link Backend#ROOTLESS} builds a {@link NetnsHosts} after {@link #unavailableReason()} confirmed it really is in
 * such a namespace. {@code scripts/chaos.sh --backend rootless} does exactly this. Verified as {@code nobody}
 * (uid 65534): see {@code RootlessHostsTest}.
 *
 * <p>Needs: unprivileged user namespaces enabled ({@code kernel.unprivileged_userns_clone}, and no AppArmor
 * {@code apparmor_restrict_unprivileged_userns} as on Ubuntu 24.04), util-linux {@code unshare}, iproute2 and
 * iptables (nft backend) installed. Nothing is left behind outside: when the outermost process of the namespace
 * exits, the kernel deletes the namespaces with every veth, bridge and rule in them.
 */
public final class RootlessHosts {
    /** Set in the environment of the wrapped command, so the inside can tell it was started by {@link #wrap}. */
    public static final String ENV_MARK = "RNS_CHAOS_ROOTLESS";

    private RootlessHosts() {
    }

    /**
     * {@code unshare ... sh -c 'mount -t tmpfs ... /run && exec "$@"' rns-rootless <command>}: run {@code command}
     * as mapped root in a fresh user + network + mount namespace. The caller needs no privileges.
     */
    public static List<String> wrap(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("nothing to run inside the rootless namespace");
        }
        List<String> c = new ArrayList<>(
                List.of("unshare", "--user", "--map-root-user", "--net", "--mount", "--propagation", "private", "--",
                        "sh", "-c", "mount -t tmpfs -o mode=0755 rns-rootless-run /run && ip link set lo up && export "
                                + ENV_MARK + "=1 && exec \"$@\"",
                        "rns-rootless"));
        c.addAll(command);
        return c;
    }

    /** Whether this process runs in a user namespace whose uid 0 is not the real root (i.e. a mapped root). */
    public static boolean insideMappedUserNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).strip();
            // the initial namespace maps the whole range: "0 0 4294967295"
            return !map.matches("0\\s+0\\s+4294967295") && map.startsWith("0 ");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Inside the namespace: {@code null} if the netns backend works here. Outside: why this backend cannot be used
     * from this JVM directly (it must be started through {@link #wrap} / {@code scripts/chaos.sh --backend rootless}),
     * or why unprivileged namespaces are unavailable on this machine.
     */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "rootless backend needs Linux";
        }
        if (!insideMappedUserNamespace() || System.getenv(ENV_MARK) == null) {
            String probe = probe();
            return "the rootless backend runs the whole harness inside `unshare --user --map-root-user --net --mount`:"
                    + " start it with scripts/chaos.sh --backend rootless (or RootlessHosts.wrap(command))"
                    + (probe == null ? "" : "; and on this machine: " + probe);
        }
        String why = NetnsHosts.unavailableReason();
        return why == null ? null : "inside the rootless namespace: " + why;
    }

    /** {@code null} if this user can create the namespaces (a no-op trial), else the reason. */
    public static String probe() {
        ExecResult r = Cmd.run(wrap(List.of("ip", "netns", "add", "rns-probe")));
        if (r.ok()) {
            return null;
        }
        if (r.exitCode() == 127 && r.stderr().contains("cannot run")) {
            return "`unshare` missing (util-linux): " + r.describe();
        }
        return "unprivileged user/network namespaces unavailable (kernel.unprivileged_userns_clone=0,"
                + " user.max_user_namespaces=0, or an AppArmor/SELinux restriction?): " + r.describe();
    }
}
