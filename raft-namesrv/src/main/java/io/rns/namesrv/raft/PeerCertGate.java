package io.rns.namesrv.raft;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.rns.rpc.transport.LogBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Sits right behind the TLS handler of a Raft connection and passes nothing on until the handshake finished and the
 * other end's certificate names a member's host; otherwise the connection is closed and the refusal logged at WARN
 * (TLS already checked that the certificate chains to the trusted CA and that the other end holds its key).
 */
final class PeerCertGate extends ChannelInboundHandlerAdapter {
    private final SslHandler tls;
    private final Supplier<Collection<String>> memberHosts;
    private final String direction;
    private final Log log;
    private boolean admitted;

    PeerCertGate(SslHandler tls, Supplier<Collection<String>> memberHosts, String direction, Log log) {
        this.tls = tls;
        this.memberHosts = memberHosts;
        this.direction = direction;
        this.log = log;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                log.refused(direction, ctx, "TLS handshake failed: " + brief(done.cause()));
                ctx.close();
                return;
            }
            List<String> names = names(tls.engine().getSession().getPeerCertificates());
            Collection<String> hosts = memberHosts.get();
            if (names.stream().noneMatch(n -> hosts.stream().anyMatch(h -> sameHost(n, h)))) {
                log.refused(direction, ctx,
                        "its certificate names " + names + ", no member's host (members: " + hosts + ")");
                ctx.close();
                return;
            }
            admitted = true;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (admitted) {
            super.channelRead(ctx, msg);
            return;
        }
        ReferenceCountUtil.release(msg); // not reachable through TLS before the handshake; kept as the invariant
        ctx.close();
    }

    /** A failure's class and the start of its message (Netty quotes a whole non-TLS record in hex). */
    static String brief(Throwable t) {
        String m = String.valueOf(t.getMessage());
        return t.getClass().getSimpleName() + ": " + (m.length() > 120 ? m.substring(0, 120) + "..." : m);
    }

    /** The subject alternative names (DNS and IP) of the leaf certificate. */
    static List<String> names(Certificate[] chain) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        if (chain.length > 0 && chain[0] instanceof X509Certificate leaf && leaf.getSubjectAlternativeNames() != null) {
            for (List<?> san : leaf.getSubjectAlternativeNames()) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress
                    names.add(String.valueOf(san.get(1)));
                }
            }
        }
        return names;
    }

    /** A certificate name and a member host: equal ignoring case, or the same IP literal (no DNS lookup). */
    static boolean sameHost(String name, String host) {
        if (name.equalsIgnoreCase(host)) {
            return true;
        }
        if (name.indexOf(':') < 0 || host.indexOf(':') < 0) { // IPv6 literals have several spellings
            return false;
        }
        try {
            return InetAddress.getByName(name).equals(InetAddress.getByName(host.toLowerCase(Locale.ROOT)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** One node's refusals, shared by its connections: counted, and logged within a budget. */
    static final class Log {
        private static final Logger log = LoggerFactory.getLogger(PeerCertGate.class);
        private final String nodeId;
        private final LongAdder count;
        private final LogBudget budget = new LogBudget(10, System::nanoTime);

        Log(String nodeId, LongAdder count) {
            this.nodeId = nodeId;
            this.count = count;
        }

        void refused(String direction, ChannelHandlerContext ctx, String why) {
            count.increment();
            if (budget.admit()) {
                log.warn("node {}: refused a raft connection {} {}: {} (raft.tls); connection closed{}", nodeId,
                        direction, ctx.channel().remoteAddress(), why, budget.takeSuppressed());
            }
        }
    }
}
