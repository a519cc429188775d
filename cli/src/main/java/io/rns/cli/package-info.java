/**
 * The {@code rns} command-line tool: the picocli root command {@link io.rns.cli.RnsCli} with its global options and
 * one class per command group (status, brokers, topics, kv, peers), each running one call of the client library.
 */
package io.rns.cli;
