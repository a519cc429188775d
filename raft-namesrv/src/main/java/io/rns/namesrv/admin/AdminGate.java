package io.rns.namesrv.admin;

import io.rns.namesrv.auth.Account;
import io.rns.namesrv.auth.AuthFailure;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.auth.Permission;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Who may read the admin listener when {@code auth.enabled=true}: the status page, {@code /metrics} and
 * {@code /status} need an account with the {@code read} permission, presented as HTTP Basic ({@code name},
 * {@code secret}) or {@code Authorization: Bearer name:secret} (the native token); a caller presenting nothing gets
 * the account its host is trusted as, else {@code anonymous}, as on the client ports. {@code /live} and
 * {@code /ready} stay open: supervisors and load balancers probe them without secrets, and they say only ok or not
 * and why.
 */
final class AdminGate {
    /** Paths served without credentials. */
    static final Set<String> OPEN = Set.of("/live", "/ready");

    /** Why a request was refused: HTTP 401 (no valid credentials) or 403 (an account without {@code read}). */
    record Refusal(int status, String account, String why) {
    }

    private final Authenticator auth;

    AdminGate(Authenticator auth) {
        this.auth = auth;
    }

    boolean enabled() {
        return auth.enabled();
    }

    /**
     * @param authorization the request's Authorization header, or null
     * @param host          the caller's IP address
     * @return null if the request may be served
     */
    Refusal check(String path, String authorization, String host) {
        if (!auth.enabled() || OPEN.contains(path)) {
            return null;
        }
        Account account;
        try {
            account = authorization == null ? auth.unauthenticated(host) : auth.byToken(token(authorization));
        } catch (AuthFailure e) {
            return new Refusal(401, "?", e.getMessage());
        }
        if (!account.may(Permission.READ)) {
            return new Refusal(authorization == null ? 401 : 403, account.name(), "account '" + account.name()
                    + "' may not read " + path + " (needs permission " + Permission.READ.text() + ")");
        }
        return null;
    }

    /** {@code name:secret} from a Basic or Bearer Authorization header. */
    private static byte[] token(String authorization) {
        String h = authorization.trim();
        int sp = h.indexOf(' ');
        String scheme = sp < 0 ? h : h.substring(0, sp);
        String value = sp < 0 ? "" : h.substring(sp + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                return Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw new AuthFailure("the Basic credentials are not Base64");
            }
        }
        throw new AuthFailure("Authorization scheme '" + (scheme.length() > 20 ? scheme.substring(0, 20) : scheme)
                + "' is not Basic or Bearer");
    }
}
