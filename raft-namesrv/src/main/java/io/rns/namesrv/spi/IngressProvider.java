package io.rns.namesrv.spi;

import io.rns.namesrv.config.NamesrvConfig;

/**
 * An extra protocol front door of a node (found with {@link java.util.ServiceLoader}), e.g. the RocketMQ remoting
 * ingress of the rocketmq-compat module. An ingress translates its protocol into native
 * {@link io.rns.rpc.v1.RequestEnvelope}s and hands them to {@link IngressContext#dispatcher()}: the same handlers,
 * write path and read path as the native port. It never touches consensus or the state machine directly.
 *
 * <p>{@link io.rns.namesrv.NamesrvNode} starts every enabled provider after the native server and closes them (in
 * reverse order) before anything else on close.
 */
public interface IngressProvider {
    /** A short stable name, e.g. {@code rocketmq}; used in logs and to report a missing module. */
    String name();

    /** Whether the configuration asks for this ingress (e.g. a listen port above 0). */
    boolean enabled(NamesrvConfig config);

    /** Starts serving; the returned handle stops it (closes the listener and every connection). */
    AutoCloseable start(IngressContext context) throws Exception;
}
