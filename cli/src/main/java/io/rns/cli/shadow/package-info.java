/**
 * {@code rns shadow}: polls stock NameServers and RNS side by side, compares what each node answers key by key
 * (brokers, clusters, topic routes, KV entries), tracks how long each difference lasts, and summarises the run as
 * JSON and Markdown. Reads through {@link io.rns.cli.rocketmq}; writes nothing to any NameServer.
 */
package io.rns.cli.shadow;
