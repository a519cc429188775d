package io.rns.compat;

import io.netty.channel.Channel;
import io.rns.rpc.transport.InboundContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The native handlers' view of one RocketMQ request and the Netty channel it came on. */
record ChannelInboundContext(Channel channel, long connectionId, long arrivalNanos, long deadlineNanos,
        String authenticatedAs) implements InboundContext {
    private static final Logger log = LoggerFactory.getLogger(ChannelInboundContext.class);

    /**
     * A request that arrived at {@code arrivalNanos} and must be answered within {@code timeoutMs}, acting as
     * {@code account} (null: auth is off).
     */
    static ChannelInboundContext of(Channel channel, long connectionId, long arrivalNanos, long timeoutMs,
            String account) {
        return new ChannelInboundContext(channel, connectionId, arrivalNanos, arrivalNanos + timeoutMs * 1_000_000L,
                account);
    }

    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return (i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString()) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public String remoteAddress() {
        return address(channel.remoteAddress());
    }

    @Override
    public long connectionOpenedAtIndex() {
        Long i = channel.attr(RocketmqServer.OPENED_AT_INDEX).get();
        return i == null ? 0 : i;
    }

    @Override
    public boolean isConnectionOpen() {
        return channel.isActive();
    }

    @Override
    public void onConnectionClose(Runnable r) {
        channel.closeFuture().addListener(f -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("connection-close callback failed for {}: {}", remoteAddress(), e.toString(), e);
            }
        });
    }
}
