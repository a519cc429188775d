/**
 * Workloads other than the set workload: simulated brokers that heartbeat and die, the per-node poller that samples
 * every node's answers, and the analysis of broker liveness (detection times, false expiries) from those samples.
 */
package io.rns.chaos.workload;
