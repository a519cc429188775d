/**
 * The native protocol's Netty transport: length-prefixed protobuf frames, the server with its bounded executors and
 * the client with its connection pool and deadlines.
 */
package io.rns.rpc.transport;
