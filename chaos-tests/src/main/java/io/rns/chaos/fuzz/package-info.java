/**
 * A bounded, seeded frame fuzzer for a running cluster ({@code scripts/fuzz.sh}, {@code FuzzClusterTest}): structured
 * and random frames to the native, RocketMQ and peer ports, idle and slow connections, then checks that every node is
 * alive and answers, the members agree on what they serve, and acknowledged writes are read back everywhere.
 * Depends on nothing else in the harness.
 */
package io.rns.chaos.fuzz;
