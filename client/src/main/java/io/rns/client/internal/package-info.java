/**
 * Pieces of the client that need nothing of its public API: which endpoint to ask next (the sticky endpoint and the
 * last known leader). The public package builds on this one; nothing here imports it.
 */
package io.rns.client.internal;
