/**
 * {@code rns-admin}: offline tools on a node's files (etcdutl's set): restore a backup into a new member's data dir,
 * describe and check a backup, inspect and verify a stopped node's data dir. Nothing here talks to a running node.
 */
package io.rns.server.admin;
