package io.rns.rpc.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;

/**
 * A server port's TLS, built once from {@link TlsSettings} and put in front of every accepted connection's pipeline:
 * an {@code SslHandler} (enforcing) or Netty's {@link OptionalSslHandler}, which looks at the first bytes and either
 * starts TLS or steps aside for plaintext (permissive). Used by the native and the RocketMQ ports alike.
 */
public final class ServerTls {
    /** The pipeline name of the TLS handler. */
    public static final String HANDLER = "tls";

    private final TlsMode mode;
    private final SslContext context;

    private ServerTls(TlsMode mode, SslContext context) {
        this.mode = mode;
        this.context = context;
    }

    /**
     * @return null when TLS is disabled
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    public static ServerTls of(TlsSettings settings) {
        return settings.enabled() ? new ServerTls(settings.mode(), settings.newServerContext()) : null;
    }

    /** Puts the TLS handler first in the pipeline of a just-accepted connection. */
    public void install(Channel ch) {
        ch.pipeline().addFirst(HANDLER,
                mode == TlsMode.ENFORCING ? context.newHandler(ch.alloc()) : new OptionalSslHandler(context));
    }
}
