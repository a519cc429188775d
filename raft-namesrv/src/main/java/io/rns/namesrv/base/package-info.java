/**
 * The small bottom of the node that every other package may use: its one exception type ({@code RnsException}), the
 * monotonic clock, daemon thread factories, and the check that a connection comes from a member host's address
 * ({@code AddressAllowList}). (Refusal lines use the transport's {@code LogBudget}, which bounds how often a kind of
 * line is written, and {@code LogText}, which makes client text safe for a log line.)
 */
package io.rns.namesrv.base;
