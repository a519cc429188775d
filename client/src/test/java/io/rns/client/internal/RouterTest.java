package io.rns.client.internal;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the router learns about the leader from response headers. */
class RouterTest {
    private static final String A = "10.0.0.1:9771";
    private static final String B = "10.0.0.2:9772";

    private static ResponseHeader leaderHeader(String hint) {
        return ResponseHeader.newBuilder().setCode(ErrorCode.OK).setRole(Role.LEADER).setLeaderHint(hint).build();
    }

    @Test
    void aWriteForwardedByAFollowerTeachesTheLeaderNotTheFollower() {
        Router r = new Router(List.of(A, B), new Random(1));
        r.learn(leaderHeader(B), A); // asked A (a follower); B, the leader, answered through it
        assertEquals(B, r.leader());
        assertEquals(B, r.forWrite(), "the next write goes to the leader directly, not through the follower again");
    }

    @Test
    void aHintThatIsNotOneOfTheEndpointsIsNotFollowed() {
        Router r = new Router(List.of(A, B), new Random(1));
        r.learn(leaderHeader("leader.internal:9771"), A); // the leader advertises an address this client does not use
        assertEquals(A, r.leader());
    }

    @Test
    void aFollowerWithoutAHintForgetsTheLeader() {
        Router r = new Router(List.of(A, B), new Random(1));
        r.learn(leaderHeader(""), A);
        assertEquals(A, r.leader());
        r.learn(ResponseHeader.newBuilder().setCode(ErrorCode.NOT_LEADER).setRole(Role.FOLLOWER).build(), A);
        assertNull(r.leader());
    }
}
