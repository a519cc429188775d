/**
 * The table of served RocketMQ request codes: {@link io.rns.compat.dispatch.ServedCodes} lists every code with its
 * request kind (which executor and timeout it gets) and its handler, and {@link
 * io.rns.compat.dispatch.RocketmqTranslator} answers a request from that table (3 REQUEST_CODE_NOT_SUPPORTED for any
 * code not in it).
 */
package io.rns.compat.dispatch;
