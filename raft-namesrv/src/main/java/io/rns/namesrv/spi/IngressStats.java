package io.rns.namesrv.spi;

import io.rns.rpc.transport.RpcServer;

/**
 * Implemented by an ingress handle ({@link IngressProvider#start}) that counts its connections and refusals; the node
 * exports them like the native port's, labelled with the provider's name ({@code rns_rpc_*{port="rocketmq"}}).
 */
public interface IngressStats {
    RpcServer.Stats stats();
}
