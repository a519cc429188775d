/**
 * Where node JVMs run and how faults are injected. {@link io.rns.chaos.hosts.Hosts} is the one fault vocabulary
 * (start, kill -9, SIGTERM stop, SIGSTOP/SIGCONT, partition, grudge cut, one-way drop, random loss, heal);
 * {@link io.rns.chaos.hosts.NetnsHosts} is the root backend (network namespaces + bridge + iptables, harness in the
 * root namespace over a veth). Every namespace, link, process and data dir is removed at close or by a shutdown hook.
 */
package io.rns.chaos.hosts;
