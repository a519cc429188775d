package io.rns.namesrv.base;

import io.rns.rpc.v1.ErrorCode;

/** The one exception type of the node for request-level failures: a wire error code and a message naming the problem. api/ErrorMapping alone turns it into a response header. */
public final class RnsException extends RuntimeException {
    private final ErrorCode code;

    public RnsException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static RnsException invalid(String message) {
        return new RnsException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
