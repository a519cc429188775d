package io.rns.rpc.transport;

/**
 * The call's deadline passed before a response arrived. If {@link #requestSent()} the server may still process (or
 * have processed) the request; its late response is discarded.
 */
public final class RpcTimeoutException extends RpcTransportException {
    private static final long serialVersionUID = 1L;

    public RpcTimeoutException(String endpoint, String message, boolean requestSent) {
        super(endpoint, message, requestSent, null);
    }
}
