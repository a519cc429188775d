/**
 * The small bottom of the node that every other package may use: its one exception type ({@code RnsException}), the
 * monotonic clock, daemon thread factories, and what refusals need: the budget that bounds how often a kind of log
 * line is written ({@code LogBudget}), client text made safe for a log line ({@code LogText}) and the check that a
 * connection comes from a member host's address ({@code AddressAllowList}).
 */
package io.rns.namesrv.base;
