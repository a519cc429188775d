package io.rns.cli.shadow;

/** Which deployment a polled node belongs to. */
public enum Side {
    /** A stock RocketMQ NameServer: each one independent of the others. */
    LEGACY,
    /** An RNS node's RocketMQ port: one replicated table. */
    RNS
}
