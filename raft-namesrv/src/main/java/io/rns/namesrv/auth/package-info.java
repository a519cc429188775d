/**
 * Who may do what: the accounts file (names, secrets, permissions, broker scopes, host-trusted accounts), re-read
 * when it changes, and the checks the native dispatcher and the RocketMQ ingress share (tokens, RocketMQ ACL
 * signatures). Below api and spi, above config.
 */
package io.rns.namesrv.auth;
