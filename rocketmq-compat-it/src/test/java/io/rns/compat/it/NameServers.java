package io.rns.compat.it;

import java.util.List;

/** Three NameServer nodes that RocketMQ brokers and clients talk to: an RNS cluster, or stock RocketMQ namesrvs. */
interface NameServers extends AutoCloseable {
    /** RocketMQ remoting address (host:port) of node i, i = 0..2. */
    List<String> addrs();

    /** The "host:port;host:port;..." list brokers and clients are given. */
    default String addrList() {
        return String.join(";", addrs());
    }

    /** Index of the node to kill in the failover scenario: the Raft leader for RNS; node 0 for stock (no leader). */
    int leader() throws Exception;

    /** SIGKILL node i. */
    void kill(int i) throws Exception;

    /** Start node i again (on its old data for RNS). */
    void restart(int i) throws Exception;

    /** Where the logs are. */
    String describe();

    @Override
    void close();
}
