package io.rns.rpc.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.file.Path;

/**
 * TLS for a client connection: the CA bundle the server's certificate must chain to (null: the JVM's default trust
 * store), an optional client certificate and key (PEM, PKCS#8) for servers that require one, and whether the server's
 * certificate must name the host connected to (default yes, as HTTPS does: a certificate for another host is
 * refused).
 */
public final class ClientTls {
    private final Path trustFile;
    private final Path certFile;
    private final Path keyFile;
    private final boolean verifyHostname;
    private final SslContext context;

    /** @throws IllegalArgumentException naming the file that could not be used and why */
    public ClientTls(Path trustFile, Path certFile, Path keyFile, boolean verifyHostname) {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a TLS client certificate needs its key and a key its certificate");
        }
        if (trustFile != null) {
            TlsSettings.readable("trust file", trustFile);
        }
        if (certFile != null) {
            TlsSettings.readable("client certificate file", certFile);
            TlsSettings.readable("client key file", keyFile);
        }
        this.trustFile = trustFile;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.verifyHostname = verifyHostname;
        if (certFile != null) {
            PemKeys.checkPair(certFile, keyFile);
        }
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (trustFile != null) {
                b.trustManager(trustFile.toFile());
            }
            if (certFile != null) {
                b.keyManager(certFile.toFile(), keyFile.toFile());
            }
            this.context = b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS (trust " + trustFile + ", certificate " + certFile
                    + ", key " + keyFile + "): " + e.getMessage(), e);
        }
    }

    /** A handler for a connection to {@code host:port}; checks the server's name unless that was turned off. */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler h = context.newHandler(alloc, host, port);
        if (verifyHostname) {
            SSLEngine engine = h.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return h;
    }

    @Override
    public String toString() {
        return "tls(trust=" + (trustFile == null ? "jvm default" : trustFile)
                + (certFile == null ? "" : ", cert=" + certFile + ", key=" + keyFile)
                + (verifyHostname ? "" : ", hostname not verified") + ")";
    }
}
