package io.rns.compat.dispatch;

/** How the ingress runs a request code: on the query executor, on the registration/write executor, or not at all. */
public enum RequestKind {
    QUERY, WRITE, UNSUPPORTED
}
