/**
 * The RocketMQ remoting ingress of a node: {@link io.rns.compat.RocketmqIngressProvider} plugs it in, {@link
 * io.rns.compat.RocketmqServer} listens and frames, and the processor runs each request on the executor of its kind
 * through the code table in {@code dispatch}. It sits on top of the module's other packages, which never import it.
 */
package io.rns.compat;
