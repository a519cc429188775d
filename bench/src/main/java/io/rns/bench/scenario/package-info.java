/**
 * The benchmark scenarios (registrations, reads, failover, failure detection, scale), each measuring RNS and the
 * stock NameServer on the same workload through the shared context.
 */
package io.rns.bench.scenario;
