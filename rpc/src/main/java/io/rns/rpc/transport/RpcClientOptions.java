package io.rns.rpc.transport;

import java.time.Duration;

/**
 * Immutable settings of an {@link RpcClient}. Build with {@link #builder()}; invalid values fail in {@code build()}
 * (the constructor checks them).
 *
 * @param connectTimeout         TCP connect timeout (default 1 s)
 * @param maxFrameBytes          largest frame body sent or accepted, in bytes (default 16 MiB)
 * @param connectionsPerEndpoint pooled connections per endpoint, used round-robin (default 1)
 * @param idleTimeout            a pooled connection with no traffic and no pending call for this long is closed
 *                               (default 60 s)
 * @param ioThreads              Netty event-loop threads (default 1)
 * @param localAddress           the local IP address connections are made from (null = the kernel chooses; tests
 *                               use it to give clients addresses that can be cut off from some nodes)
 * @param tls                    TLS on every connection (null = plaintext, the default)
 */
public record RpcClientOptions(Duration connectTimeout, int maxFrameBytes, int connectionsPerEndpoint,
        Duration idleTimeout, int ioThreads, String localAddress, ClientTls tls) {

    /** @throws IllegalArgumentException naming the first invalid setting */
    public RpcClientOptions {
        RpcServerOptions.Options.positive("connectTimeout", connectTimeout);
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout too large: " + connectTimeout);
        }
        if (maxFrameBytes < 16)
            throw new IllegalArgumentException("maxFrameBytes must be >= 16: " + maxFrameBytes);
        if (connectionsPerEndpoint < 1 || connectionsPerEndpoint > 64) {
            throw new IllegalArgumentException("connectionsPerEndpoint must be in [1, 64]: " + connectionsPerEndpoint);
        }
        RpcServerOptions.Options.positive("idleTimeout", idleTimeout);
        if (ioThreads < 1)
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        if (localAddress != null && localAddress.isBlank())
            throw new IllegalArgumentException(
                    "localAddress must be null or an IP address, got '" + localAddress + "'");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RpcClientOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).maxFrameBytes(maxFrameBytes)
                .connectionsPerEndpoint(connectionsPerEndpoint).idleTimeout(idleTimeout).ioThreads(ioThreads)
                .localAddress(localAddress).tls(tls);
    }

    @Override
    public String toString() {
        return "RpcClientOptions{connectTimeout=" + connectTimeout + ", maxFrameBytes=" + maxFrameBytes
                + ", connectionsPerEndpoint=" + connectionsPerEndpoint + ", idleTimeout=" + idleTimeout + ", ioThreads="
                + ioThreads + (localAddress == null ? "" : ", localAddress=" + localAddress)
                + (tls == null ? "" : ", " + tls) + '}';
    }

    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(1);
        private int maxFrameBytes = RpcServerOptions.DEFAULT_MAX_FRAME_BYTES;
        private int connectionsPerEndpoint = 1;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int ioThreads = 1;
        private String localAddress;
        private ClientTls tls;

        private Builder() {
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder maxFrameBytes(int n) {
            this.maxFrameBytes = n;
            return this;
        }

        public Builder connectionsPerEndpoint(int n) {
            this.connectionsPerEndpoint = n;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /** Connect from this local IP address (null: any). */
        public Builder localAddress(String ip) {
            this.localAddress = ip;
            return this;
        }

        /** TLS on every connection (null = plaintext). */
        public Builder tls(ClientTls tls) {
            this.tls = tls;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public RpcClientOptions build() {
            return new RpcClientOptions(connectTimeout, maxFrameBytes, connectionsPerEndpoint, idleTimeout, ioThreads,
                    localAddress, tls);
        }
    }
}
