/**
 * How the {@code rns} tool prints: text lines or {@code --json} objects, the meta line after every result, per-node
 * lines of leaderless fan-out writes and error lines. It knows the client's reply types but no command.
 */
package io.rns.cli.output;
