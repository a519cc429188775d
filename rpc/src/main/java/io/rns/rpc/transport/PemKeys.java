package io.rns.rpc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Checks, when a port starts, that a PEM private key belongs to its certificate: TLS libraries notice a mismatch only
 * at the first handshake, when every client fails with an unhelpful error.
 */
final class PemKeys {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PemKeys() {
    }

    /** @throws IllegalArgumentException naming both files when the key is unreadable or not the certificate's */
    static void checkPair(Path certFile, Path keyFile) {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "TLS certificate " + certFile + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        PublicKey publicKey = cert.getPublicKey();
        PrivateKey key = read(keyFile, publicKey.getAlgorithm());
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // an exotic key type: the handshake will tell
        }
        try {
            byte[] probe = "rns key check".getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(publicKey);
            s.update(probe);
            if (s.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type or curve: not this certificate's either
        }
        throw new IllegalArgumentException(
                "TLS private key " + keyFile + " does not belong to certificate " + certFile);
    }

    private static PrivateKey read(Path keyFile, String algorithm) {
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS private key " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
        int from = pem.indexOf(BEGIN);
        int to = pem.indexOf(END);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("TLS private key " + keyFile + " is not an unencrypted PKCS#8 PEM key ("
                    + BEGIN + "); convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + BEGIN.length(), to));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS private key " + keyFile + " does not belong to certificate "
                    + "(it is not a " + algorithm + " key): " + e.getMessage(), e);
        }
    }
}
