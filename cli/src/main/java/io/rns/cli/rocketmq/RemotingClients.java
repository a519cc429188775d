package io.rns.cli.rocketmq;

import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/** Starts RocketMQ's own remoting client as this tool and the benchmark use it: small, and versioned as a 5.x client. */
public final class RemotingClients {
    static {
        // as MQClientAPIImpl does: every request carries the client's version; without it the version field is 0 and a
        // NameServer answers (and parses REGISTER_BROKER bodies) as for a pre-3.0.11 client
        if (System.getProperty(RemotingCommand.REMOTING_VERSION_KEY) == null)
            System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
    }

    private RemotingClients() {
    }

    /** A started client with two I/O threads, {@code callbackThreads} callback threads and a connect deadline. */
    public static NettyRemotingClient start(int callbackThreads, int connectTimeoutMs) {
        return start(callbackThreads, connectTimeoutMs, false);
    }

    /**
     * As {@link #start(int, int)}; {@code tls}: every connection speaks TLS, as a client with {@code useTLS=true}
     * (RocketMQ's own TLS settings apply: {@code tls.test.mode.enable}, by default true, skips the server certificate
     * check).
     */
    public static NettyRemotingClient start(int callbackThreads, int connectTimeoutMs, boolean tls) {
        NettyClientConfig cfg = new NettyClientConfig();
        cfg.setUseTLS(tls);
        cfg.setClientWorkerThreads(2);
        cfg.setClientCallbackExecutorThreads(callbackThreads);
        cfg.setConnectTimeoutMillis(connectTimeoutMs);
        NettyRemotingClient client = new NettyRemotingClient(cfg);
        client.start();
        return client;
    }
}
