/**
 * The machinery under the scenarios: building and launching server processes, the RocketMQ-protocol client and the
 * closed-loop load generator that records latency histograms.
 */
package io.rns.bench.infra;
