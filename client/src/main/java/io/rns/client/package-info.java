/**
 * The RNS client library that brokers, producers and consumers embed: {@link io.rns.client.NamesrvClient} (routing,
 * retries, leader following, monotonic reads, leaderless fan-out) and {@link io.rns.client.BrokerRegistrar} (register,
 * heartbeat, re-register, unregister on close), with their options, replies and the one exception type.
 */
package io.rns.client;
