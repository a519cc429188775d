/**
 * The node's configuration: the typed keys, the immutable {@code NamesrvConfig} and the loader that reads a
 * properties file plus {@code -Drns.*} overrides and refuses unknown keys.
 */
package io.rns.namesrv.config;
