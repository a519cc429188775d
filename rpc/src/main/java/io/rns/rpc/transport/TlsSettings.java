package io.rns.rpc.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The TLS side of a server port: the mode, this server's certificate chain and PKCS#8 private key (PEM files), the
 * CA bundle that client certificates must chain to, and whether clients must present one.
 *
 * @param mode       {@link TlsMode#DISABLED} needs no files
 * @param certFile   PEM certificate chain of this server (leaf first)
 * @param keyFile    PEM private key of {@code certFile}, PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
 * @param trustFile  PEM CA certificates client certificates are checked against; null = none (client auth off)
 * @param clientAuth whether clients present a certificate
 */
public record TlsSettings(TlsMode mode, Path certFile, Path keyFile, Path trustFile, ClientCerts clientAuth) {
    public static final TlsSettings DISABLED = new TlsSettings(TlsMode.DISABLED, null, null, null, ClientCerts.NONE);

    /** Client certificates: not asked for, checked when sent, or required. */
    public enum ClientCerts {
        NONE, OPTIONAL, REQUIRE;

        /** @throws IllegalArgumentException naming the accepted values */
        public static ClientCerts parse(String s) {
            return TlsMode.parse("TLS client auth", values(), s);
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @throws IllegalArgumentException naming the missing or unreadable file */
    public TlsSettings {
        if (mode == null || clientAuth == null) {
            throw new IllegalArgumentException("TLS mode and client auth are required");
        }
        if (mode != TlsMode.DISABLED) {
            readable("certificate file", certFile);
            readable("private key file", keyFile);
            if (clientAuth != ClientCerts.NONE) {
                readable("trust file (the CA that client certificates chain to)", trustFile);
            }
        }
        if (trustFile != null) {
            readable("trust file", trustFile);
        }
    }

    public boolean enabled() {
        return mode != TlsMode.DISABLED;
    }

    /**
     * A server context from the files, read now (a changed file takes effect on restart).
     *
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    public SslContext newServerContext() {
        return build(serverBuilder().clientAuth(switch (clientAuth) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRE -> ClientAuth.REQUIRE;
        }));
    }

    /**
     * The same server context as a JDK {@link SSLContext}, for servers that are not Netty's (the admin HTTP listener);
     * client certificates are asked for by that server's own parameters ({@link #clientAuth()}).
     *
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    public SSLContext newJdkServerContext() {
        return ((JdkSslContext) build(serverBuilder().sslProvider(SslProvider.JDK))).context();
    }

    /** This server's certificate and key, and the trust file if any: the part both kinds of context share. */
    private SslContextBuilder serverBuilder() {
        if (!enabled()) {
            throw new IllegalStateException("TLS is disabled");
        }
        PemKeys.checkPair(certFile, keyFile);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile());
            return trustFile == null ? b : b.trustManager(trustFile.toFile());
        } catch (Exception e) {
            throw unusable(e);
        }
    }

    private SslContext build(SslContextBuilder b) {
        try {
            return b.build();
        } catch (Exception e) {
            throw unusable(e);
        }
    }

    private IllegalArgumentException unusable(Exception e) {
        return new IllegalArgumentException("cannot use TLS certificate " + certFile + " with key " + keyFile
                + (trustFile == null ? "" : " and trust file " + trustFile) + ": " + e.getMessage()
                + " (the key must be an unencrypted PKCS#8 PEM: BEGIN PRIVATE KEY)", e);
    }

    static void readable(String what, Path p) {
        if (p == null) {
            throw new IllegalArgumentException("TLS " + what + " is required");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("TLS " + what + " " + p + " is not a readable file");
        }
    }

    @Override
    public String toString() {
        return enabled()
                ? mode.text() + " cert=" + certFile + " key=" + keyFile + " trust=" + trustFile + " client-auth="
                        + clientAuth.text()
                : "disabled";
    }
}
