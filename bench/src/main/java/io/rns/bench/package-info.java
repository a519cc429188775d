/**
 * Side-by-side benchmarks of RNS and the stock RocketMQ NameServer. This package holds only the entry point
 * {@link BenchMain} (run by scripts/bench.sh); nothing else depends on it.
 */
package io.rns.bench;
