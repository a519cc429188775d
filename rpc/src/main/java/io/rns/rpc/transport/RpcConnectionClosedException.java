package io.rns.rpc.transport;

/**
 * The connection closed (peer closed it, network error, idle close, protocol error, or {@link RpcClient#close()})
 * before the response arrived. <b>The request may or may not have been processed by the server</b> when
 * {@link #requestSent()} is {@code true}: a caller that needs to know must re-read, or retry only idempotent requests.
 */
public final class RpcConnectionClosedException extends RpcTransportException {
    private static final long serialVersionUID = 1L;

    public RpcConnectionClosedException(String endpoint, String message, boolean requestSent, Throwable cause) {
        super(endpoint, message, requestSent, cause);
    }
}
