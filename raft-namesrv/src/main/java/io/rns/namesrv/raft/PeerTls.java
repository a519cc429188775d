package io.rns.namesrv.raft;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.rns.rpc.transport.TlsMode;
import io.rns.rpc.transport.TlsSettings;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Mutual TLS on the Raft port ({@code raft.tls=true}). Both ends of every peer connection present the node's
 * certificate ({@code tls.cert-file}, {@code tls.key-file}) and check the other's: it must chain to
 * {@code tls.trust-file} and name (subject alternative name, DNS or IP) the host of a member, so a client certificate
 * from the same CA does not make its holder a peer. The handlers go in front of bolt's own through its
 * {@link ExtendedNettyChannelHandler} hook: a TLS handler, then a {@link PeerCertGate} that lets no byte through to
 * jraft before the other end's certificate passed.
 */
final class PeerTls {
    private final SslContext server;
    private final SslContext client;
    private final Supplier<Collection<String>> memberHosts;
    private final PeerCertGate.Log log;

    private PeerTls(String nodeId, SslContext server, SslContext client, Supplier<Collection<String>> memberHosts,
            LongAdder refused) {
        this.server = server;
        this.client = client;
        this.memberHosts = memberHosts;
        this.log = new PeerCertGate.Log(nodeId, refused);
    }

    /**
     * @param memberHosts the hosts a peer's certificate may name: every member this node knows of
     * @param refused     counts the connections refused
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    static PeerTls of(String nodeId, TlsSettings tls, Supplier<Collection<String>> memberHosts, LongAdder refused) {
        Path cert = tls.certFile();
        Path key = tls.keyFile();
        Path trust = tls.trustFile();
        // the server side through the same checks as the client ports (readable files, key matches certificate)
        SslContext server = new TlsSettings(TlsMode.ENFORCING, cert, key, trust, TlsSettings.ClientCerts.REQUIRE)
                .newServerContext();
        try {
            SslContext client = SslContextBuilder.forClient().keyManager(cert.toFile(), key.toFile())
                    .trustManager(trust.toFile()).build();
            return new PeerTls(nodeId, server, client, memberHosts, refused);
        } catch (Exception e) {
            throw new IllegalArgumentException("raft.tls: cannot use certificate " + cert + " with key " + key
                    + " and trust file " + trust + " for the node's own Raft connections: " + e.getMessage(), e);
        }
    }

    /** For the peer port's server: TLS with a required client certificate, then the gate. */
    ExtendedNettyChannelHandler serverHandlers() {
        return handlers(server, "from");
    }

    /** For the node's own connections to the other members' Raft ports. */
    ExtendedNettyChannelHandler clientHandlers() {
        return handlers(client, "to");
    }

    private ExtendedNettyChannelHandler handlers(SslContext context, String direction) {
        return new ExtendedNettyChannelHandler() {
            @Override
            public List<ChannelHandler> frontChannelHandlers() { // called once per new connection
                SslHandler tls = context.newHandler(ByteBufAllocator.DEFAULT);
                return List.of(tls, new PeerCertGate(tls, memberHosts, direction, log));
            }

            @Override
            public List<ChannelHandler> backChannelHandlers() {
                return List.of();
            }
        };
    }
}
