/**
 * Renders what a run recorded: per-run metrics, the HTML report (history timeline, charts, liveness lanes), the
 * STALE divergence windows and the markdown comparison table across runs. Knows nothing about how runs are driven.
 */
package io.rns.chaos.report;
