/**
 * Linearizability checking (Wing &amp; Gong search with Lowe's just-in-time linearization and memoization of
 * (linearized-set, model-state) pairs), per-key partitioning, pruning of unobserved indeterminate ops, a deadline giving
 * {@code UNKNOWN}, and a separate stale/non-monotonic read detector based on server-reported applied indexes.
 * Entry points: {@link io.rns.chaos.checker.LinearizabilityChecker} and {@link io.rns.chaos.checker.StaleReadDetector}.
 */
package io.rns.chaos.checker;
