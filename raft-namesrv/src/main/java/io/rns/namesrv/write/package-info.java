/**
 * The write path: request + current image -> log records through the one {@code RecordFactory} (or "no change"), the
 * proposal, and a sealed {@code WriteOutcome}. No wire answers are built here.
 */
package io.rns.namesrv.write;
