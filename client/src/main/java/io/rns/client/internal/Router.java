package io.rns.client.internal;

import io.rns.rpc.transport.Endpoints;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.Role;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which endpoint to ask: a sticky "current" endpoint (random start, moves round-robin on failure) and the last known
 * leader (learned from headers). Thread-safe; races only cost an extra hop.
 */
public final class Router {
    private final List<String> endpoints;
    private final AtomicInteger current;
    private volatile String leader;

    public Router(List<String> endpoints, Random random) {
        this.endpoints = List.copyOf(endpoints);
        this.current = new AtomicInteger(random.nextInt(this.endpoints.size()));
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public String current() {
        return endpoints.get(Math.floorMod(current.get(), endpoints.size()));
    }

    /** The last known leader's endpoint, or {@code null}. */
    public String leader() {
        return leader;
    }

    /** Where a write goes: the known leader, else the current endpoint. */
    public String forWrite() {
        String l = leader;
        return l != null ? l : current();
    }

    /** {@code endpoint} failed (transport failure or a retriable refusal): forget it as leader, move off it. */
    public void failed(String endpoint) {
        if (endpoint.equals(leader)) {
            leader = null;
        }
        int i = current.get();
        if (endpoints.get(Math.floorMod(i, endpoints.size())).equals(endpoint)) {
            current.compareAndSet(i, Math.floorMod(i + 1, endpoints.size()));
        }
    }

    /** Learns the leader from any header received from {@code endpoint}. */
    public void learn(ResponseHeader h, String endpoint) {
        if (h.getRole() == Role.LEADER && h.getCode() != ErrorCode.NOT_LEADER) {
            // a follower forwards a write and returns the leader's header unchanged: the leader is the node that
            // answered (its hint names its own client address), not the endpoint this client happened to ask
            String hint = h.getLeaderHint();
            leader = !hint.isEmpty() && Endpoints.isValid(hint) && endpoints.contains(hint) ? hint : endpoint;
        } else if (!h.getLeaderHint().isEmpty() && Endpoints.isValid(h.getLeaderHint())) {
            leader = h.getLeaderHint();
        } else if (endpoint.equals(leader) && (h.getRole() != Role.LEADER || h.getCode() == ErrorCode.NOT_LEADER)) {
            leader = null; // it told us it is not the leader any more and knows no other
        }
    }
}
