/**
 * The Jepsen-style chaos harness (issue: chaos-tests) and its entry point {@link ChaosMain}, which
 * nothing else depends on. Packages: {@code history} (operations as recorded), {@code checker} (Wing–Gong/Lowe
 * linearizability checking), {@code hosts} (where node JVMs run and how faults are injected), {@code nemesis} (fault
 * schedules), {@code workload} (liveness workload and node polling), {@code runner} (one run end to end),
 * {@code report} (metrics, HTML and comparison reports).
 */
package io.rns.chaos;
