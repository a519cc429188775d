package io.rns.namesrv.cluster;

import io.rns.client.CallOptions;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.RetryPolicy;
import io.rns.rpc.v1.ErrorCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 14, auth on a real 3-node cluster: writes sent to followers reach the leader on behalf of the caller's account
 * (the follower's node account vouches for it), and the leader refuses what that account may not do; callers without
 * credentials or with wrong ones are refused on every node.
 */
@Tag("cluster")
class AuthClusterTest extends ClusterTestBase {

    private NamesrvClient client(String account, String secret) {
        return closeLater(
                NamesrvClient.builder().endpoints(cluster.clientAddresses()).requestTimeout(Duration.ofSeconds(3))
                        .overallTimeout(Duration.ofSeconds(8)).retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3))
                        .randomSeed(14).credentials(account, secret).build());
    }

    @Test
    void followersForwardOnBehalfOfTheCallerAndTheLeaderChecksIt() throws Exception {
        Path accounts = dir.resolve("accounts.properties");
        Files.writeString(accounts,
                "account.rns-node.secret=node-secret-0123456789\naccount.rns-node.permissions=node\n"
                        + "account.admin.secret=admin-secret-0123456789\naccount.admin.permissions=read,admin\n"
                        + "account.app.secret=app-secret-0123456789\naccount.app.permissions=read\n");
        cluster = new MiniCluster(3, dir, 1000, 0).customize((i, b) -> b.authEnabled(true).authAccountsFile(accounts));
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(30));

        NamesrvClient admin = client("admin", "admin-secret-0123456789");
        NamesrvClient app = client("app", "app-secret-0123456789");
        int n = 0;
        for (int f : cluster.followers()) {
            CallOptions onFollower = CallOptions.DEFAULT.withNode(cluster.clientAddress(f));
            admin.kvPut("auth", "k" + n, "v" + n, onFollower); // forwarded for 'admin' with the node account
            NamesrvException refused = assertThrows(NamesrvException.class,
                    () -> app.kvPut("auth", "x", "y", onFollower));
            assertEquals(ErrorCode.PERMISSION_DENIED, refused.code(), refused.toString());
            n++;
        }
        for (String node : cluster.clientAddresses()) {
            assertEquals(Map.of("k0", "v0", "k1", "v1"), app.kvList("auth", CallOptions.DEFAULT.withNode(node)).value(),
                    "app reads on " + node);
        }
        NamesrvException anonymous = assertThrows(NamesrvException.class, () -> client(null, null).kvList("auth"));
        assertEquals(ErrorCode.PERMISSION_DENIED, anonymous.code());
        NamesrvException wrong = assertThrows(NamesrvException.class,
                () -> client("admin", "not-the-secret-0123456789").kvList("auth"));
        assertEquals(ErrorCode.PERMISSION_DENIED, wrong.code());
    }
}
