/**
 * The small bottom of the node that every other package may use: its one exception type ({@code RnsException}), the
 * monotonic clock and daemon thread factories.
 */
package io.rns.namesrv.base;
