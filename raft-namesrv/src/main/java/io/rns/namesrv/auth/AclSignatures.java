package io.rns.namesrv.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * RocketMQ ACL request signatures, as stock clients make them with {@code AclClientRPCHook} (4.x and 5.x) and stock
 * brokers check them: HMAC-SHA1 with the secret key over the values of every extension field but {@code Signature},
 * in key order, concatenated (UTF-8), followed by the body; Base64.
 */
public final class AclSignatures {
    public static final String ACCESS_KEY = "AccessKey";
    public static final String SIGNATURE = "Signature";
    /** Left out of the signed content by 4.9.3 and older clients (the broker skips it for them too). */
    static final String UNIQUE_MSG_QUERY_FLAG = "_UNIQUE_KEY_QUERY";

    private AclSignatures() {
    }

    /**
     * The signature of a request with these extension fields and body.
     *
     * @param skipUniqueQueryFlag the request comes from a client of version 4.9.3 or older
     */
    public static String sign(Map<String, String> extFields, byte[] body, String secret, boolean skipUniqueQueryFlag) {
        StringBuilder content = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(extFields).entrySet()) {
            if (!e.getKey().equals(SIGNATURE) && !(skipUniqueQueryFlag && e.getKey().equals(UNIQUE_MSG_QUERY_FLAG))) {
                content.append(e.getValue());
            }
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(content.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            data.writeBytes(body);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toByteArray()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }
}
