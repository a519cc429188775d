/**
 * The HTTP admin listener of a node (key {@code admin.listen-port}): Prometheus metrics ({@link
 * io.rns.namesrv.admin.NodeMetrics}), liveness and readiness probes ({@link io.rns.namesrv.admin.Probe}) and the
 * node's status as JSON, for supervisors, load balancers and monitoring. The top of the node's stack beside the
 * ingresses: only the composition root uses it; it reads the services, the consensus ports and the dispatcher, and
 * nothing below imports it.
 */
package io.rns.namesrv.admin;
