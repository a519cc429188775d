package io.rns.compat.handler;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ReadOptions;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.util.Locale;

/** The consistency level a RocketMQ read is served at. */
public final class ReadLevel {
    /** Optional ext field of any read: the consistency level (LINEARIZABLE, LEASE, SEQUENTIAL, STALE). */
    public static final String CONSISTENCY_EXT = "rnsConsistency";

    private final NamesrvConfig config;

    public ReadLevel(NamesrvConfig config) {
        this.config = config;
    }

    /** The read level: the ext field {@value #CONSISTENCY_EXT} if given, else the node's default (STALE when leaderless). */
    public ReadOptions of(RemotingCommand req) {
        String s = req.getExtFields() == null ? null : req.getExtFields().get(CONSISTENCY_EXT);
        Consistency c;
        if (s == null || s.isEmpty()) {
            c = config.mode() == NamesrvConfig.Mode.LEADERLESS ? Consistency.STALE : config.defaultConsistency();
        } else {
            c = parse(s);
        }
        return ReadOptions.newBuilder().setConsistency(c).build();
    }

    static Consistency parse(String s) {
        try {
            Consistency c = Consistency.valueOf(s.trim().toUpperCase(Locale.ROOT));
            if (c != Consistency.CONSISTENCY_UNSPECIFIED && c != Consistency.UNRECOGNIZED) {
                return c;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("invalid ext field " + CONSISTENCY_EXT + "='" + s
                + "': must be one of LINEARIZABLE, LEASE, SEQUENTIAL, STALE");
    }
}
