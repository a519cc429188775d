/**
 * Broker liveness: the leader's soft-state lease table, the scan that turns run-out leases into expiries through the
 * write path, and what a node does when a broker's bound connection closes.
 */
package io.rns.namesrv.liveness;
