/**
 * The plug-in point for extra protocol front doors (the RocketMQ remoting ingress): found with ServiceLoader, given
 * the node's dispatcher, never touching consensus or the state machine directly.
 */
package io.rns.namesrv.spi;
