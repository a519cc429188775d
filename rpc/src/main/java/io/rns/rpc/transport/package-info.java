/**
 * The native RPC transport: a Netty client and server exchanging length-prefixed {@code rns.rpc.v1} envelopes, their
 * options and failures, and the parsing of the address strings every module shares ({@code host:port} endpoints and
 * {@code id@host:raftPort:clientPort} members).
 */
package io.rns.rpc.transport;
