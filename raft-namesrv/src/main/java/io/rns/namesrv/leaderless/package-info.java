/**
 * The stock RocketMQ NameServer design behind the consensus ports: each node applies writes to its own table, never
 * talks to the others, expires brokers by its own clock and serves STALE reads only. Here to be compared honestly.
 */
package io.rns.namesrv.leaderless;
