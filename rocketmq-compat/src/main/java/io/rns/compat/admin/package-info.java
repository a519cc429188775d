/**
 * The admin codes of mqadmin and brokers: KV config, write permission of a broker, registering and deleting a topic,
 * and the namesrv config codes (read as properties text; every runtime update refused, RNS config is immutable).
 */
package io.rns.compat.admin;
