/**
 * The small bottom of the node that every other package may use: its one exception type ({@code RnsException}), the
 * monotonic clock, daemon thread factories, and what refusals need: client text made safe for a log line
 * ({@code LogText}) and the check that a connection comes from a member host's address ({@code AddressAllowList}).
 * (The log budget every refusal line goes through is the transport's {@code io.rns.rpc.transport.LogBudget}.)
 */
package io.rns.namesrv.base;
