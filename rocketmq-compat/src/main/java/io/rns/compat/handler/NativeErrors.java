package io.rns.compat.handler;

import io.rns.rpc.v1.ResponseHeader;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

/**
 * Native errors as RocketMQ responses: TOPIC_NOT_FOUND → 17, KEY_NOT_FOUND → 22, OVERLOADED → 2 SYSTEM_BUSY,
 * PERMISSION_DENIED → 16 NO_PERMISSION, anything else → 1 SYSTEM_ERROR with a remark naming the RNS code and message
 * (and the leader hint if any).
 */
public final class NativeErrors {
    private NativeErrors() {
    }

    /** A native error answer as a RocketMQ response. */
    public static RemotingCommand answer(ResponseHeader h) {
        return switch (h.getCode()) {
            case TOPIC_NOT_FOUND -> RemotingCommand.createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, h.getMessage());
            case KEY_NOT_FOUND -> RemotingCommand.createResponseCommand(ResponseCode.QUERY_NOT_FOUND, h.getMessage());
            case PERMISSION_DENIED -> RemotingCommand.createResponseCommand(ResponseCode.NO_PERMISSION,
                    "[RNS PERMISSION_DENIED] " + h.getMessage());
            case OVERLOADED ->
                RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_BUSY, "[RNS OVERLOADED] " + h.getMessage());
            default ->
                RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, "[RNS " + h.getCode().name() + "] "
                        + h.getMessage() + (h.getLeaderHint().isEmpty() ? "" : " (leader: " + h.getLeaderHint() + ")"));
        };
    }
}
