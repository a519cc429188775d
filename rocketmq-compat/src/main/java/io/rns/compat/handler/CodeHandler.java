package io.rns.compat.handler;

import io.rns.rpc.transport.InboundContext;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one RocketMQ request code: the request onto native requests and the native answers back into one RocketMQ
 * response. A bad header or body may throw (or fail the future); the caller answers that with {@link
 * Answers#failure}.
 */
@FunctionalInterface
public interface CodeHandler {
    CompletableFuture<RemotingCommand> handle(RemotingCommand req, InboundContext ctx) throws Exception;
}
