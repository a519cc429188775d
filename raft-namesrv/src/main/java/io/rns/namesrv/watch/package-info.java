/**
 * Watch polls: the history of route changes this node applied (one {@link io.rns.namesrv.watch.RouteChange} per
 * topic and revision, diffed off the apply thread from the state machine's change notices) and the polls waiting
 * for the next ones. Imports {@code read} (the wire form of a route), {@code config} and {@code base}; the
 * {@code api} package serves it.
 */
package io.rns.namesrv.watch;
