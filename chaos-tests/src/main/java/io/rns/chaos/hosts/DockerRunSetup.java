package io.rns.chaos.hosts;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network.Ipam;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.Network;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The set-up of one {@link DockerHosts} run on the engine: a name prefix no container or network uses yet, the
 * internal network on a free 10.198.X.0/24, and the read-only binds that let the skeleton image run the host's JDK
 * with the harness's classpath.
 */
final class DockerRunSetup {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A created network and its {@code "a.b.c."} address prefix. */
    record CreatedNetwork(Network network, String subnetPrefix) {
    }

    private DockerRunSetup() {
    }

    /** Binds for the host JDK and the classpath; returns the classpath as seen inside the containers. */
    static String planBinds(List<Bind> binds, Path runDir, String classpath, String java) {
        for (String p : List.of("/usr", "/etc/alternatives", "/etc/java-17-openjdk")) {
            if (Files.isDirectory(Path.of(p))) {
                binds.add(new Bind(p, new Volume(p), AccessMode.ro));
            }
        }
        Path javaHome = Path.of(java).toAbsolutePath().getParent().getParent();
        if (!javaHome.startsWith("/usr")) {
            binds.add(new Bind(javaHome.toString(), new Volume(javaHome.toString()), AccessMode.ro));
        }
        binds.add(new Bind(runDir.toString(), new Volume(runDir.toString()), AccessMode.rw));
        for (Path p : NodeLaunch.launcherDirs()) { // scripts/rns-node and the conf/ it reads, at their own paths
            binds.add(new Bind(p.toString(), new Volume(p.toString()), AccessMode.ro));
        }
        List<String> inside = new ArrayList<>();
        int i = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (!Files.exists(p)) {
                continue; // the JVM ignores missing entries too
            }
            String target = "/rns/cp/" + (i++) + "-" + p.getFileName();
            binds.add(new Bind(p.toString(), new Volume(target), AccessMode.ro));
            inside.add(target);
        }
        return String.join(":", inside);
    }

    static CreatedNetwork createNetwork(DockerClient docker, String prefix, Map<String, String> labels,
            Integer wanted) {
        Set<String> used = usedSubnets(docker);
        List<Integer> candidates = new ArrayList<>();
        if (wanted != null) {
            candidates.add(wanted);
        } else {
            candidates.add(77);
            for (int k = 0; k < 20; k++) {
                candidates.add(64 + RANDOM.nextInt(64));
            }
        }
        String lastError = null;
        for (int x : candidates) {
            String p = "10.198." + x + ".";
            if (used.contains(p)) {
                lastError = "subnet " + p + "0/24 is in use (host address/route or docker network)";
                continue;
            }
            String subnet = p + "0/24";
            Network n = Network.builder()
                    .createNetworkCmdModifier(cmd -> cmd.withName(prefix + "-net").withInternal(true).withLabels(labels)
                            .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(subnet).withGateway(p + "1"))))
                    .build();
            try {
                n.getId(); // creates it
                return new CreatedNetwork(n, p);
            } catch (RuntimeException e) {
                lastError = "creating network " + prefix + "-net on " + subnet + ": " + e.getMessage();
                if (wanted != null) {
                    break;
                }
            }
        }
        throw new HostsException("no usable 10.198.X.0/24 subnet for the docker network: " + lastError);
    }

    /** {@code "a.b.c."} prefixes of every /24 seen on the host (addresses, routes) or in a docker network. */
    private static Set<String> usedSubnets(DockerClient docker) {
        Set<String> used = new LinkedHashSet<>();
        String text = Cmd.run("ip", "-4", "-o", "addr", "show").stdout() + "\n"
                + Cmd.run("ip", "-4", "route", "show").stdout();
        for (var n : docker.listNetworksCmd().exec()) {
            if (n.getIpam() != null && n.getIpam().getConfig() != null) {
                for (var c : n.getIpam().getConfig()) {
                    text += "\n" + c.getSubnet();
                }
            }
        }
        var m = Pattern.compile("\\b10\\.198\\.(\\d+)\\.").matcher(text);
        while (m.find()) {
            used.add("10.198." + m.group(1) + ".");
        }
        return used;
    }

    /** {@code rnsc} + 4 random hex digits, in no container or network name of the engine. */
    static String pickPrefix(DockerClient docker) {
        Set<String> names = new LinkedHashSet<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            for (String n : c.getNames()) {
                names.add(n);
            }
        }
        for (var n : docker.listNetworksCmd().exec()) {
            names.add(n.getName());
        }
        return AbstractHosts.freePrefix(String.join(" ", names), "container name");
    }
}
