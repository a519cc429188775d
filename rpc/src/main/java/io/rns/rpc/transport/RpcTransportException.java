package io.rns.rpc.transport;

/**
 * A call failed in the transport, not on the server. Carries the endpoint ({@code host:port}) the call was aimed at,
 * and whether the request may have reached the server ({@link #requestSent()}): when it is {@code true} the server
 * may or may not have processed the request.
 */
public class RpcTransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String endpoint;
    private final boolean requestSent;

    public RpcTransportException(String endpoint, String message, boolean requestSent, Throwable cause) {
        super(endpoint + ": " + message, cause);
        this.endpoint = endpoint;
        this.requestSent = requestSent;
    }

    /** The endpoint ({@code host:port}) the failed call was sent to. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * {@code true} when the request had been handed to the connection before the failure, so the server may have
     * received and processed it; {@code false} when it certainly never left this process.
     */
    public boolean requestSent() {
        return requestSent;
    }
}
