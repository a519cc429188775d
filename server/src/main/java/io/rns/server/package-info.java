/**
 * The runnable RNS node as it is deployed: {@link io.rns.server.ServerMain} reads the configuration and starts a
 * {@code NamesrvNode} with every ingress on the classpath (the native gRPC-style protocol and, from the
 * rocketmq-compat module, the RocketMQ remoting protocol). The module's build lays out {@code target/lib/}, the
 * classpath that {@code scripts/rns-node} and the release tarball use.
 */
package io.rns.server;
