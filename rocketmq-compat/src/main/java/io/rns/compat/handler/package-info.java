/**
 * The contract of a per-code handler ({@link io.rns.compat.handler.CodeHandler}) and the pieces every handler shares,
 * each written once: header decoding, answer building, the native error to RocketMQ code mapping, the read level of
 * a request and the native call that is retried while the cluster has no usable leader. Depends on no other package
 * of the module.
 */
package io.rns.compat.handler;
