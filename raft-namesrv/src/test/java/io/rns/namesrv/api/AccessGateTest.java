package io.rns.namesrv.api;

import com.google.protobuf.ByteString;
import io.rns.namesrv.InMemoryConsensus;
import io.rns.namesrv.NodeStack;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.BrokerConnectionClosedRequest;
import io.rns.rpc.v1.BrokerConnectionsRequest;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.GetBrokerRequest;
import io.rns.rpc.v1.KvGetRequest;
import io.rns.rpc.v1.KvPutRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth.enabled=true on the native protocol: every request kind needs its permission; credentials are checked;
 * anonymous callers get the anonymous account; trusted hosts act as their account; only node accounts may act for
 * another; the accounts file is re-read when it changes.
 */
class AccessGateTest {
    @TempDir
    Path dir;

    InMemoryConsensus consensus;
    RequestDispatcher dispatcher;
    Path accounts;

    static final String NODE = "account.rns-node.secret=node-secret-0123456789\naccount.rns-node.permissions=node\n";
    static final String ACCOUNTS = NODE + "account.admin.secret=admin-secret-0123456789\n"
            + "account.admin.permissions=read,broker,admin\n" + "account.app.secret=app-secret-0123456789\n"
            + "account.app.permissions=read\n" + "account.brokerA.secret=brokerA-secret-0123456789\n"
            + "account.brokerA.permissions=read,broker\n" + "account.brokerA.brokers=c1/broker-a\n"
            + "account.legacy.permissions=broker\n" + "account.legacy.hosts=127.0.0.9\n";

    @BeforeEach
    void setUp() throws Exception {
        accounts = dir.resolve("accounts.properties");
        Files.writeString(accounts, ACCOUNTS);
        NamesrvConfig config = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 1001, 1002))).dataDir(dir).authEnabled(true)
                .authAccountsFile(accounts).build();
        consensus = new InMemoryConsensus(dir.resolve("sm"));
        NodeStack node = new NodeStack(config, consensus,
                Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC), System::nanoTime,
                Consistency.LINEARIZABLE, (k, e) -> {
                });
        node.liveness.onLeaderStart(1);
        dispatcher = node.dispatcher;
    }

    @AfterEach
    void tearDown() {
        consensus.close();
    }

    private static RequestEnvelope.Builder as(String credentials, RequestEnvelope.Builder req) {
        return credentials == null ? req : req.setAuth(ByteString.copyFromUtf8(credentials));
    }

    private static RequestEnvelope.Builder put(String key) {
        return RequestEnvelope.newBuilder()
                .setKvPut(KvPutRequest.newBuilder().setNamespace("ns").setKey(key).setValue("v"));
    }

    private static RequestEnvelope.Builder get(String key) {
        return RequestEnvelope.newBuilder().setKvGet(KvGetRequest.newBuilder().setNamespace("ns").setKey(key));
    }

    private static RequestEnvelope.Builder register(String cluster, String broker) {
        return RequestEnvelope.newBuilder().setRegisterBroker(RegisterBrokerRequest.newBuilder().setCluster(cluster)
                .setBrokerName(broker).setBrokerId(0).setBrokerAddr("127.0.0.1:10911"));
    }

    private ResponseEnvelope call(RequestEnvelope.Builder req, String from) {
        return dispatcher.handle(req.build(), ctx(from)).join();
    }

    private ResponseEnvelope call(RequestEnvelope.Builder req) {
        return call(req, "127.0.0.1:5000");
    }

    private static void denied(ResponseEnvelope r, String why) {
        assertEquals(ErrorCode.PERMISSION_DENIED, r.getHeader().getCode(), r.getHeader().getMessage());
        assertTrue(r.getHeader().getMessage().contains(why), r.getHeader().getMessage());
    }

    @Test
    void eachKindNeedsItsPermission() {
        assertEquals(ErrorCode.OK, call(as("admin:admin-secret-0123456789", put("k"))).getHeader().getCode());
        assertEquals(ErrorCode.OK, call(as("app:app-secret-0123456789", get("k"))).getHeader().getCode());
        denied(call(as("app:app-secret-0123456789", put("k2"))), "account 'app' may not kv_put (needs admin)");
        denied(call(get("k")), "account 'anonymous' may not kv_get (needs read)");
        denied(call(as("app:wrong-secret-0123456789", get("k"))), "credentials of account 'app' are not valid");
        denied(call(as("nobody:x", get("k"))), "credentials of account 'nobody' are not valid");
        ResponseEnvelope bare = call(as("app-secret-0123456789", get("k"))); // a secret sent without its account
        denied(bare, "the credentials are not of the form account:secret");
        assertTrue(!bare.getHeader().getMessage().contains("app-secret"), "the secret is not echoed");
        assertEquals(ErrorCode.KEY_NOT_FOUND,
                call(as("admin:admin-secret-0123456789", get("k2"))).getHeader().getCode(),
                "the refused write changed nothing");
    }

    @Test
    void nodeInternalRequestsNeedTheNodeAccount() {
        assertEquals(ErrorCode.OK,
                call(as("admin:admin-secret-0123456789", register("c1", "broker-a"))).getHeader().getCode());
        RequestEnvelope.Builder closed = RequestEnvelope.newBuilder()
                .setBrokerConnectionClosed(BrokerConnectionClosedRequest.newBuilder().setBrokerName("broker-a")
                        .setBrokerId(0).setReportingNode("n1"));
        RequestEnvelope.Builder connections = RequestEnvelope.newBuilder()
                .setBrokerConnections(BrokerConnectionsRequest.newBuilder().setBrokerName("broker-a").setBrokerId(0));
        // (each call on a copy: as() sets the credentials on the builder it is given)
        // even an account with every other permission may not report a closed connection (which makes the broker a
        // suspect with a short lease) or ask a node for a broker's connections
        denied(call(as("admin:admin-secret-0123456789", closed.clone())),
                "account 'admin' may not broker_connection_closed (needs node)");
        denied(call(as("admin:admin-secret-0123456789", connections.clone())),
                "account 'admin' may not broker_connections (needs node)");
        denied(call(closed.clone()), "account 'anonymous' may not broker_connection_closed (needs node)");
        assertEquals(ErrorCode.OK,
                call(as("rns-node:node-secret-0123456789", connections.clone())).getHeader().getCode());
        assertEquals(ErrorCode.OK, call(as("rns-node:node-secret-0123456789", closed.clone())).getHeader().getCode(),
                "the node account may (from a member's host, naming a member)");
    }

    @Test
    void brokerAccountsAreLimitedToTheirBrokers() {
        assertEquals(ErrorCode.OK,
                call(as("brokerA:brokerA-secret-0123456789", register("c1", "broker-a"))).getHeader().getCode());
        denied(call(as("brokerA:brokerA-secret-0123456789", register("c1", "broker-b"))),
                "may not act as broker c1/broker-b");
    }

    @Test
    void trustedHostsActAsTheirAccountWithoutCredentials() {
        assertEquals(ErrorCode.OK, call(register("c1", "broker-x"), "127.0.0.9:40000").getHeader().getCode());
        denied(call(put("k"), "127.0.0.9:40000"), "account 'legacy' may not kv_put");
        denied(call(register("c1", "broker-x"), "127.0.0.8:40000"), "account 'anonymous' may not register_broker");
        // a broker-only account reads its own registration back (RocketMQ's QUERY_DATA_VERSION)
        assertEquals(ErrorCode.OK,
                call(RequestEnvelope.newBuilder().setGetBroker(
                        GetBrokerRequest.newBuilder().setBrokerName("broker-x").setBrokerId(0)), "127.0.0.9:40000")
                        .getHeader().getCode());
        denied(call(get("k"), "127.0.0.9:40000"), "account 'legacy' may not kv_get (needs read)");
    }

    @Test
    void onlyANodeAccountMayActForAnother() {
        RequestEnvelope.Builder forwarded = as("rns-node:node-secret-0123456789", put("k")).setAuthFor("admin")
                .setHops(1);
        assertEquals(ErrorCode.OK, call(forwarded).getHeader().getCode(), "a follower's forward for admin");
        denied(call(as("rns-node:node-secret-0123456789", put("k")).setAuthFor("app").setHops(1)),
                "account 'app' may not kv_put");
        denied(call(as("app:app-secret-0123456789", get("k")).setAuthFor("admin")),
                "account 'app' may not act for another account");
    }

    @Test
    void theAccountsFileIsReReadWhenItChanges() throws Exception {
        denied(call(as("app:app-secret-0123456789", put("k"))), "may not kv_put");
        Files.writeString(accounts,
                ACCOUNTS.replace("account.app.permissions=read", "account.app.permissions=read,admin"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ErrorCode code;
        do {
            Thread.sleep(100);
            code = call(as("app:app-secret-0123456789", put("k"))).getHeader().getCode();
        } while (code != ErrorCode.OK && System.nanoTime() < until);
        assertEquals(ErrorCode.OK, code, "app became an admin after the file changed");
        Files.writeString(accounts, "account.app.permissions=read,admin\n"); // broken: app has no secret
        Thread.sleep(1_200);
        assertEquals(ErrorCode.OK, call(as("app:app-secret-0123456789", put("k"))).getHeader().getCode(),
                "a file that does not parse leaves the accounts read before in force");
    }

    @Test
    void aNodeWithoutItsNodeAccountDoesNotStart() throws Exception {
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "account.app.secret=app-secret-0123456789\naccount.app.permissions=read\n");
        NamesrvConfig config = NamesrvConfig.builder().nodeId("n1")
                .members(List.of(new Member("n1", "127.0.0.1", 1001, 1002))).dataDir(dir).authEnabled(true)
                .authAccountsFile(bad).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.of(config.auth()));
        assertTrue(e.getMessage().contains("auth.node-account 'rns-node'"), e.getMessage());
    }

    private static InboundContext ctx(String remote) {
        return RequestDispatcherTest.ctxFrom(remote);
    }
}
