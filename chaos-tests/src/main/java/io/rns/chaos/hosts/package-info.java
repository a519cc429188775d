/**
 * Where node JVMs run and how faults are injected. {@link io.rns.chaos.hosts.Hosts} is the one fault vocabulary
 * (start, kill -9, SIGTERM stop, SIGSTOP/SIGCONT, partition, grudge cut, one-way drop, random loss, heal), with three
 * backends ({@link io.rns.chaos.hosts.Backend}) built by {@link io.rns.chaos.hosts.HostsBuilder}:
 * {@link io.rns.chaos.hosts.NetnsHosts} (root: network namespaces + bridge + iptables, harness in the root namespace
 * over a veth), {@link io.rns.chaos.hosts.DockerHosts} (Testcontainers, a locally built skeleton image, iptables in
 * the containers) and the rootless mode ({@link io.rns.chaos.hosts.RootlessHosts}: the netns backend with the whole
 * harness inside an unprivileged user+net+mount namespace). Every namespace, container, network, process and data dir
 * is removed at close or by a shutdown hook.
 */
package io.rns.chaos.hosts;
