package io.rns.chaos.hosts;

/** A host or fault operation failed (a helper command failed, a node could not be launched, ...). */
public class HostsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostsException(String message) {
        super(message);
    }

    public HostsException(String message, Throwable cause) {
        super(message, cause);
    }
}
