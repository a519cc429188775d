package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.option.NodeOptions;

/** jraft's node options plus the node's Raft-port TLS (null = plaintext), read by {@link PeerRpcFactory}. */
final class PeerNodeOptions extends NodeOptions {
    private final PeerTls tls;

    PeerNodeOptions(PeerTls tls) {
        this.tls = tls;
    }

    PeerTls tls() {
        return tls;
    }
}
