/**
 * The broker side of RocketMQ: REGISTER_BROKER, UNREGISTER_BROKER and the 5.x lease refreshes QUERY_DATA_VERSION and
 * BROKER_HEARTBEAT, onto native registrations (bound to the broker's connection), lookups and heartbeats; a
 * broker's unchanged body is not decoded again ({@code RecentBodies}).
 */
package io.rns.compat.register;
