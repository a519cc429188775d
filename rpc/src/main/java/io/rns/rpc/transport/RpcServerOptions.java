package io.rns.rpc.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of an {@link RpcServer}. Build with {@link #builder()}; invalid values fail in {@code build()}
 * (the constructor checks them).
 *
 * @param host                  address to bind (default {@code 127.0.0.1})
 * @param port                  port to bind; 0 = ephemeral (default)
 * @param maxFrameBytes         largest accepted frame body in bytes (default 16 MiB); longer frames close the
 *                              connection
 * @param idleTimeout           a connection that sent nothing for this long is closed (default 120 s)
 * @param ioThreads             Netty event-loop threads (default 1)
 * @param workerThreads         threads that call {@link RequestHandler#handle} (default 8)
 * @param workerQueueCapacity   requests that may wait for a worker; beyond that the answer is OVERLOADED (default
 *                              10 000)
 * @param defaultRequestTimeout deadline of a request whose timeout_ms is 0 (default 5 s)
 * @param priorityThreads       threads of the separate executor for requests the handler marks
 *                              {@link RequestHandler#isPriority priority} (default 2). They never serve ordinary
 *                              requests, so a blocked or saturated worker pool cannot starve them.
 * @param priorityQueueCapacity priority requests that may wait for a priority thread; beyond that the answer is
 *                              OVERLOADED (default 10 000)
 * @param limits                open connections in all and per source address, requests in flight per connection
 *                              (default {@link ConnectionLimits#DEFAULTS})
 * @param tls                   TLS on this port (default {@link TlsSettings#DISABLED})
 */
public record RpcServerOptions(String host, int port, int maxFrameBytes, Duration idleTimeout, int ioThreads,
        int workerThreads, int workerQueueCapacity, Duration defaultRequestTimeout, int priorityThreads,
        int priorityQueueCapacity, ConnectionLimits limits, TlsSettings tls) {
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** @throws IllegalArgumentException naming the first invalid setting */
    public RpcServerOptions {
        if (host == null || host.isBlank())
            throw new IllegalArgumentException("host must be non-empty");
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        if (maxFrameBytes < 16)
            throw new IllegalArgumentException("maxFrameBytes must be >= 16: " + maxFrameBytes);
        Options.positive("idleTimeout", idleTimeout);
        if (ioThreads < 1)
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        if (workerThreads < 1)
            throw new IllegalArgumentException("workerThreads must be >= 1: " + workerThreads);
        if (workerQueueCapacity < 1) {
            throw new IllegalArgumentException("workerQueueCapacity must be >= 1: " + workerQueueCapacity);
        }
        Options.positive("defaultRequestTimeout", defaultRequestTimeout);
        if (priorityThreads < 1)
            throw new IllegalArgumentException("priorityThreads must be >= 1: " + priorityThreads);
        if (priorityQueueCapacity < 1) {
            throw new IllegalArgumentException("priorityQueueCapacity must be >= 1: " + priorityQueueCapacity);
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults: 127.0.0.1, ephemeral port. */
    public static RpcServerOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).maxFrameBytes(maxFrameBytes).idleTimeout(idleTimeout)
                .ioThreads(ioThreads).workerThreads(workerThreads).workerQueueCapacity(workerQueueCapacity)
                .defaultRequestTimeout(defaultRequestTimeout).priorityThreads(priorityThreads)
                .priorityQueueCapacity(priorityQueueCapacity).limits(limits).tls(tls);
    }

    @Override
    public String toString() {
        return "RpcServerOptions{host=" + host + ", port=" + port + ", maxFrameBytes=" + maxFrameBytes
                + ", idleTimeout=" + idleTimeout + ", ioThreads=" + ioThreads + ", workerThreads=" + workerThreads
                + ", workerQueueCapacity=" + workerQueueCapacity + ", priorityThreads=" + priorityThreads
                + ", priorityQueueCapacity=" + priorityQueueCapacity + ", defaultRequestTimeout="
                + defaultRequestTimeout + ", " + limits + ", tls=" + tls + '}';
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private Duration idleTimeout = Duration.ofSeconds(120);
        private int ioThreads = 1;
        private int workerThreads = 8;
        private int workerQueueCapacity = 10_000;
        private Duration defaultRequestTimeout = Duration.ofSeconds(5);
        private int priorityThreads = 2;
        private int priorityQueueCapacity = 10_000;
        private ConnectionLimits limits = ConnectionLimits.DEFAULTS;
        private TlsSettings tls = TlsSettings.DISABLED;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        public Builder workerQueueCapacity(int capacity) {
            this.workerQueueCapacity = capacity;
            return this;
        }

        public Builder defaultRequestTimeout(Duration timeout) {
            this.defaultRequestTimeout = timeout;
            return this;
        }

        public Builder priorityThreads(int priorityThreads) {
            this.priorityThreads = priorityThreads;
            return this;
        }

        public Builder priorityQueueCapacity(int capacity) {
            this.priorityQueueCapacity = capacity;
            return this;
        }

        public Builder limits(ConnectionLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public RpcServerOptions build() {
            return new RpcServerOptions(host, port, maxFrameBytes, idleTimeout, ioThreads, workerThreads,
                    workerQueueCapacity, defaultRequestTimeout, priorityThreads, priorityQueueCapacity, limits, tls);
        }
    }

    static final class Options {
        private Options() {
        }

        static void positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero())
                throw new IllegalArgumentException(name + " must be > 0: " + d);
        }
    }
}
