package io.rns.rpc.transport;

import java.time.Duration;
import java.util.Objects;

/** Immutable settings of an {@link RpcServer}. Build with {@link #builder()}; invalid values fail in {@code build()}. */
public final class RpcServerOptions {
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final Duration idleTimeout;
    private final int ioThreads;
    private final int workerThreads;
    private final int workerQueueCapacity;
    private final Duration defaultRequestTimeout;
    private final int priorityThreads;
    private final int priorityQueueCapacity;

    private RpcServerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxFrameBytes = b.maxFrameBytes;
        this.idleTimeout = b.idleTimeout;
        this.ioThreads = b.ioThreads;
        this.workerThreads = b.workerThreads;
        this.workerQueueCapacity = b.workerQueueCapacity;
        this.defaultRequestTimeout = b.defaultRequestTimeout;
        this.priorityThreads = b.priorityThreads;
        this.priorityQueueCapacity = b.priorityQueueCapacity;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults: 127.0.0.1, ephemeral port. */
    public static RpcServerOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.maxFrameBytes = maxFrameBytes;
        b.idleTimeout = idleTimeout;
        b.ioThreads = ioThreads;
        b.workerThreads = workerThreads;
        b.workerQueueCapacity = workerQueueCapacity;
        b.defaultRequestTimeout = defaultRequestTimeout;
        b.priorityThreads = priorityThreads;
        b.priorityQueueCapacity = priorityQueueCapacity;
        return b;
    }

    /** Address to bind (default {@code 127.0.0.1}). */
    public String host() {
        return host;
    }
    /** Port to bind; 0 = ephemeral (default). */
    public int port() {
        return port;
    }
    /** Largest accepted frame body in bytes (default 16 MiB); longer frames close the connection. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }
    /** A connection that sent nothing for this long is closed (default 120 s). */
    public Duration idleTimeout() {
        return idleTimeout;
    }
    /** Netty event-loop threads (default 1). */
    public int ioThreads() {
        return ioThreads;
    }
    /** Threads that call {@link RequestHandler#handle} (default 8). */
    public int workerThreads() {
        return workerThreads;
    }
    /** Requests that may wait for a worker; beyond that the answer is OVERLOADED (default 10 000). */
    public int workerQueueCapacity() {
        return workerQueueCapacity;
    }
    /** Deadline of a request whose timeout_ms is 0 (default 5 s). */
    public Duration defaultRequestTimeout() {
        return defaultRequestTimeout;
    }
    /**
     * Threads of the separate executor for requests the handler marks {@link RequestHandler#isPriority priority}
     * (default 2). They never serve ordinary requests, so a blocked or saturated worker pool cannot starve them.
     */
    public int priorityThreads() {
        return priorityThreads;
    }
    /** Priority requests that may wait for a priority thread; beyond that the answer is OVERLOADED (default 10 000). */
    public int priorityQueueCapacity() {
        return priorityQueueCapacity;
    }

    @Override
    public String toString() {
        return "RpcServerOptions{host=" + host + ", port=" + port + ", maxFrameBytes=" + maxFrameBytes
                + ", idleTimeout=" + idleTimeout + ", ioThreads=" + ioThreads + ", workerThreads=" + workerThreads
                + ", workerQueueCapacity=" + workerQueueCapacity + ", priorityThreads=" + priorityThreads
                + ", priorityQueueCapacity=" + priorityQueueCapacity + ", defaultRequestTimeout="
                + defaultRequestTimeout + '}';
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

        /** @throws IllegalArgumentException naming the first invalid setting */
        public RpcServerOptions build() {
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
            return new RpcServerOptions(this);
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
