/**
 * The narrow ports the services need from a replication engine (the etcd split): {@code Proposer} for writes,
 * {@code ReadBarrier} for read levels, {@code NodeStatus} for the image, role and progress, {@code Membership} for
 * voter changes; {@code Consensus} is their sum, implemented by {@code raft} and {@code leaderless}.
 */
package io.rns.namesrv.consensus;
