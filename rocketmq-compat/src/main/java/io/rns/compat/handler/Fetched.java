package io.rns.compat.handler;

import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * What a native read brought back for a handler that goes on with it: the value (which may be null where the read
 * says so), or, when the native call failed, the RocketMQ answer for that failure in {@code error}.
 */
public record Fetched<T>(T value, RemotingCommand error) {
    public static <T> Fetched<T> of(T value) {
        return new Fetched<>(value, null);
    }

    public static <T> Fetched<T> failed(RemotingCommand error) {
        return new Fetched<>(null, error);
    }

    public boolean isFailed() {
        return error != null;
    }
}
