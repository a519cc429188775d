/**
 * The broker side of RocketMQ: REGISTER_BROKER, UNREGISTER_BROKER and the 5.x lease refreshes QUERY_DATA_VERSION and
 * BROKER_HEARTBEAT, onto native registrations (bound to the broker's connection), lookups and heartbeats.
 */
package io.rns.compat.register;
