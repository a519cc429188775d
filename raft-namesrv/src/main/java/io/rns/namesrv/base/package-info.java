/**
 * The small bottom of the node that every other package may use: its one exception type ({@code RnsException}), the
 * monotonic clock, daemon thread factories and the budget that bounds how often a kind of log line is written.
 */
package io.rns.namesrv.base;
