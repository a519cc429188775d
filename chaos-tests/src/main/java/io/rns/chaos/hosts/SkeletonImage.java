package io.rns.chaos.hosts;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 2 kB "skeleton" node image of {@link DockerHosts}: empty directories, three symlinks and a minimal
 * {@code /etc/passwd}, built by the engine from a {@code FROM scratch} + {@code COPY rootfs/ /} context streamed by
 * this class — no registry, no pull ({@code scratch} is the engine's built-in empty image). It is what
 * {@code docker import} of the same directories gives; the import API itself ({@code POST /images/create?fromSrc=-})
 * failed through docker-java 3.7.1's zerodep transport here ("Error processing tar file: unexpected EOF"), the
 * build API works.
 * A container of it runs the <b>host's</b> JDK, iproute2 and iptables by binding the host's {@code /usr},
 * {@code /etc/alternatives} and {@code /etc/java-17-openjdk} read-only (see {@link DockerHosts}), so it only works
 * against an engine on the same Linux machine (its bind sources are the engine host's paths).
 *
 * <p>{@code /sbin} is a real directory, not a link into the read-only {@code /usr}: {@code --init} mounts
 * {@code /sbin/docker-init} there.
 */
public final class SkeletonImage {
    /** The image reference; bump the tag when the content below changes. */
    public static final String REPOSITORY = "rns-chaos-skeleton";

    public static final String TAG = "1";
    public static final String NAME = REPOSITORY + ":" + TAG;

    private static final List<String> DIRS = List.of("etc", "etc/alternatives", "etc/java-17-openjdk", "proc", "sys",
            "dev", "run", "var", "var/tmp", "opt", "root", "usr", "sbin", "home", "tmp");

    private SkeletonImage() {
    }

    /** Imports the image unless the engine already has {@link #NAME}; returns whether it was built now. */
    public static synchronized boolean ensure(DockerClient client) {
        try {
            client.inspectImageCmd(NAME).exec();
            return false;
        } catch (NotFoundException e) {
            // build it below
        }
        long t0 = System.nanoTime();
        String id = client.buildImageCmd(new ByteArrayInputStream(tar())).withTags(Set.of(NAME)).withPull(false)
                .withNoCache(false).withLabels(Map.of("io.rns.chaos", "true")).exec(new BuildImageResultCallback())
                .awaitImageId();
        client.inspectImageCmd(NAME).exec(); // fails loudly if the import did not produce the tag
        System.err.println("[chaos-hosts] built image " + NAME + " (" + id + ") in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return true;
    }

    /** The build context: a Dockerfile and the image's root file system under {@code rootfs/}. */
    static byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, "Dockerfile", "FROM scratch\nCOPY rootfs/ /\n");
            TarArchiveEntry root = new TarArchiveEntry("rootfs/");
            root.setMode(040755);
            tar.putArchiveEntry(root);
            tar.closeArchiveEntry();
            for (String d : DIRS) {
                TarArchiveEntry e = new TarArchiveEntry("rootfs/" + d + "/");
                e.setMode(d.endsWith("tmp") ? 041777 : 040755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (String[] link : new String[][]{{"bin", "usr/bin"}, {"lib", "usr/lib"}, {"lib64", "usr/lib64"}}) {
                TarArchiveEntry e = new TarArchiveEntry("rootfs/" + link[0], TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(link[1]);
                e.setMode(0120777);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            file(tar, "rootfs/etc/passwd",
                    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
            file(tar, "rootfs/etc/group", "root:x:0:\nnogroup:x:65534:\n");
            file(tar, "rootfs/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }
}
