package io.rns.namesrv.auth;

/** Credentials that do not authenticate; the message names the account (if any) and why, never a secret. */
public final class AuthFailure extends RuntimeException {
    public AuthFailure(String message) {
        super(message, null, false, false);
    }
}
