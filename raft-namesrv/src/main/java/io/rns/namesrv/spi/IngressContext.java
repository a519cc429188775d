package io.rns.namesrv.spi;

import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.RequestHandler;

import java.util.function.LongSupplier;

/**
 * What a node gives an {@link IngressProvider}.
 *
 * @param config        the node's effective configuration
 * @param dispatcher    the node's request dispatcher (the same one the native port uses); call
 *                      {@link RequestHandler#handle} with an {@link io.rns.rpc.transport.InboundContext} of your own
 * @param connectionIds ids for the ingress's connections ({@link io.rns.rpc.transport.InboundContext#connectionId()}):
 *                      disjoint from the native server's ids, because liveness binds brokers to connection ids
 * @param appliedIndex  the node's applied index now (recorded per connection when it opens, see
 *                      {@link io.rns.rpc.transport.InboundContext#connectionOpenedAtIndex()})
 * @param auth          the node's accounts (auth.*): an ingress authenticates its callers by its protocol's means and
 *                      says whom in {@link io.rns.rpc.transport.InboundContext#authenticatedAs()}
 */
public record IngressContext(NamesrvConfig config, RequestHandler dispatcher, ConnectionIds connectionIds,
        LongSupplier appliedIndex, Authenticator auth) {

    /** A source of connection ids unique within the node. */
    @FunctionalInterface
    public interface ConnectionIds {
        long next();
    }
}
