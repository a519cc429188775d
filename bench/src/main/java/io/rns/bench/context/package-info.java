/**
 * What every scenario of one benchmark run shares: the options it was started with and the servers (stock
 * NameServer, RNS cluster) with the clients and brokers set up against them.
 */
package io.rns.bench.context;
