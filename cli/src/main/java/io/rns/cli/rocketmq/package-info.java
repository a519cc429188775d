/**
 * Reading a RocketMQ NameServer — stock, or an RNS node's RocketMQ port — with RocketMQ's own remoting client, and
 * turning what it answers into comparable text: the source of {@code rns shadow} and {@code rns import-kv}. Depends on
 * nothing else of the tool.
 */
package io.rns.cli.rocketmq;
