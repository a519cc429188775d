package io.rns.namesrv.raft;

import com.alipay.sofa.jraft.rpc.Connection;
import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer port answers only members' host addresses; anything else is not processed and its connection closed. */
class PeerFilterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "10.1.2.3"));

    private final LongAdder refused = new LongAdder();

    private PeerFilter filter() {
        return new PeerFilter("n1", () -> List.copyOf(hosts), now::get, refused);
    }

    /** A request context whose connection records whether it was closed. */
    private static final class Ctx implements RpcContext {
        final String remote;
        boolean closed;

        Ctx(String remote) {
            this.remote = remote;
        }

        @Override
        public void sendResponse(Object o) {
        }

        @Override
        public Connection getConnection() {
            return new Connection() {
                public Object getAttribute(String k) {
                    return null;
                }

                public void setAttribute(String k, Object v) {
                }

                public Object setAttributeIfAbsent(String k, Object v) {
                    return null;
                }

                public void close() {
                    closed = true;
                }
            };
        }

        @Override
        public String getRemoteAddress() {
            return remote;
        }
    }

    @Test
    void membersAreServedOthersAreClosedUnprocessed() {
        List<String> processed = new ArrayList<>();
        RpcProcessor<String> inner = new RpcProcessor<>() {
            public void handleRequest(RpcContext ctx, String req) {
                processed.add(req);
            }

            public String interest() {
                return "AppendEntries";
            }
        };
        RpcProcessor<String> guarded = filter().guard(inner);
        assertEquals("AppendEntries", guarded.interest());

        Ctx member = new Ctx("10.1.2.3:40001");
        guarded.handleRequest(member, "from a member");
        Ctx stranger = new Ctx("10.9.9.9:40002");
        guarded.handleRequest(stranger, "from a stranger");

        assertEquals(List.of("from a member"), processed);
        assertFalse(member.closed);
        assertTrue(stranger.closed, "a stranger's connection is closed");
        assertEquals(1, refused.sum(), "the refusal is counted");
    }

    @Test
    void aMemberAddedLaterIsAdmittedOnceTheCacheMayBeRefreshed() {
        PeerFilter f = filter();
        assertFalse(f.admits("10.7.7.7:1"));
        hosts.add("10.7.7.7");
        now.addAndGet(100_000_000L); // 0.1 s: the cache is not refreshed more than once a second
        assertFalse(f.admits("10.7.7.7:1"));
        now.addAndGet(1_000_000_000L);
        assertTrue(f.admits("10.7.7.7:1"));
    }
}
