/**
 * One RNS node. {@code NamesrvNode} is the composition root: it wires the packages below and nothing else. The node
 * imports one way: {@code api} -> {@code write}, {@code read}, {@code liveness}, {@code watch} -> {@code consensus}
 * (ports) -> {@code config} -> {@code base}; {@code raft} and {@code leaderless} implement the consensus ports.
 */
package io.rns.namesrv;
