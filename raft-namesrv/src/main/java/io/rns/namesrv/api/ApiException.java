package io.rns.namesrv.api;

import io.rns.rpc.v1.ErrorCode;

/** A request-level failure carrying the wire code; turned into a response header by {@link ErrorMapping} only. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
