package io.rns.rpc.transport;

/** No connection to the endpoint could be established; the request was never sent. */
public final class RpcConnectException extends RpcTransportException {
    private static final long serialVersionUID = 1L;

    public RpcConnectException(String endpoint, String message, Throwable cause) {
        super(endpoint, message, false, cause);
    }
}
