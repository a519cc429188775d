/**
 * Drives one chaos run end to end: starts the cluster on a host backend, runs a workload while the nemeses inject
 * faults, checks the recorded history and writes the run's results and reports.
 */
package io.rns.chaos.runner;
