/**
 * The node's configuration: the table of typed keys ({@link io.rns.namesrv.config.ConfigKeys}), the immutable
 * {@link io.rns.namesrv.config.NamesrvConfig} built from it, and {@link io.rns.namesrv.config.ConfigLoader}, which reads
 * it from conf/rns.properties plus {@code -Drns.<key>} overrides.
 */
package io.rns.namesrv.config;
