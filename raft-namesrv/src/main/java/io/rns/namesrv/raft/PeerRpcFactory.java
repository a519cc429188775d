package io.rns.namesrv.raft;

import com.alipay.remoting.config.BoltClientOption;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import com.alipay.sofa.jraft.util.SPI;

/**
 * jraft's bolt transport, plus: a node started with {@code raft.tls=true} opens its connections to the other members
 * with mutual TLS. jraft builds a node's Raft client through the one {@code RaftRpcFactory} it finds by service
 * loading (the highest {@link SPI} priority wins; jraft's own has 0) and hands it that node's options, so the TLS
 * settings travel in the node's options ({@link PeerNodeOptions}); every other client is jraft's, unchanged.
 */
@SPI(priority = 1)
public final class PeerRpcFactory extends BoltRaftRpcFactory {
    @Override
    public ConfigHelper<RpcClient> defaultJRaftClientConfigHelper(RpcOptions opts) {
        if (opts instanceof PeerNodeOptions node && node.tls() != null) {
            return client -> ((BoltRpcClient) client).getRpcClient()
                    .option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER, node.tls().clientHandlers());
        }
        return super.defaultJRaftClientConfigHelper(opts);
    }
}
