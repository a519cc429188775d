package io.rns.namesrv.admin;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.consensus.NodeState;
import io.rns.rpc.v1.Role;

import java.util.Locale;

/**
 * A probe's answer ({@code /live}, {@code /ready}): whether it passes, and one line an operator can act on.
 *
 * <p>{@link #readiness}: whether a node should receive traffic now: a member of a
 * configuration with a known leader it has heard from within an election timeout, its applied index within
 * {@code admin.ready-max-apply-lag} of the commit index it knows, and not halted. A leaderless node is ready when it
 * is not halted (it answers from its own table by design). Pure: computed from one {@link NodeState} snapshot.
 *
 * @param ok     whether the probe passes
 * @param reason one line an operator can act on
 */
public record Probe(boolean ok, String reason) {

    /**
     * @param mode              the node's mode
     * @param s                 the node's state now
     * @param applied           its applied index
     * @param haltReason        why it halted, or null
     * @param maxApplyLag       admin.ready-max-apply-lag
     * @param electionTimeoutMs raft.election-timeout-ms: a follower that has not heard from its leader for longer
     *                          is about to start an election
     */
    public static Probe readiness(NamesrvConfig.Mode mode, NodeState s, long applied, String haltReason,
            long maxApplyLag, long electionTimeoutMs) {
        if (haltReason != null) {
            return no("halted: " + haltReason + " (this replica needs an operator; see its log)");
        }
        if (mode == NamesrvConfig.Mode.LEADERLESS) {
            return new Probe(true, "leaderless mode: serves its own table");
        }
        if (s.role() == Role.INACTIVE) {
            return no("not active (starting, stopping or shut down)");
        }
        if (s.role() == Role.CANDIDATE || s.leaderId() == null) {
            return no("no known leader in term " + s.term()
                    + " (an election is under way, or this node cannot reach a majority)");
        }
        if (s.role() == Role.FOLLOWER
                && (s.msSinceLeaderContact() < 0 || s.msSinceLeaderContact() > electionTimeoutMs)) {
            return no("no contact with leader " + s.leaderId() + " for "
                    + (s.msSinceLeaderContact() < 0 ? "an unknown time" : s.msSinceLeaderContact() + " ms")
                    + " (election timeout " + electionTimeoutMs + " ms)");
        }
        long lag = s.commitIndex() - applied;
        if (lag > maxApplyLag) {
            return no("catching up: applied index " + applied + " is " + lag + " entries behind the commit index "
                    + s.commitIndex() + " (admin.ready-max-apply-lag " + maxApplyLag + ")");
        }
        return new Probe(true, s.role().name().toLowerCase(Locale.ROOT) + " in term " + s.term() + ", leader "
                + s.leaderId() + ", applied " + applied + " of commit " + s.commitIndex());
    }

    private static Probe no(String reason) {
        return new Probe(false, reason);
    }
}
