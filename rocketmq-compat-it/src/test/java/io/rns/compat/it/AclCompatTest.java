package io.rns.compat.it;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, auth with unmodified RocketMQ software: an RNS cluster started with {@code scripts/cluster.sh start --auth}.
 * Producers, consumers and admin tools that sign with AclClientRPCHook (AccessKey = an RNS account, SecretKey its
 * secret) work unchanged; unsigned, wrongly signed and under-privileged admin commands are answered 16 NO_PERMISSION.
 * A 5.5.0 broker signs its own registrations (innerClientAuthenticationCredentials); a 4.9.7 broker cannot, so its
 * host is trusted as the broker account (account.broker.hosts, re-read by the running nodes).
 */
@Tag("rocketmq")
@Tag("cluster")
class AclCompatTest extends ScenarioTest {
    private RnsNameServers ns;
    private Broker broker;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private AclClientRPCHook signedAs(String account) {
        return new AclClientRPCHook(new SessionCredentials(account, secrets.get(account)));
    }

    private Rmq clients(String account, String suffix) {
        return opened.add(new Rmq(run + suffix, false, account == null ? null : signedAs(account)));
    }

    @BeforeAll
    void setUp() throws Exception {
        begin("acl");
        ns = opened.add(RnsNameServers.start(it, "--auth"));
        Path auth = ns.dir().resolve("auth");
        for (String account : List.of("admin", "broker", "app")) {
            String line = Files.readString(auth.resolve(account + ".auth"), StandardCharsets.UTF_8).strip();
            secrets.put(account, line.substring(line.indexOf(':') + 1));
        }
        String moreConf = "";
        if (it.generation.startsWith("5")) {
            // the broker keeps its inner user in its own auth metadata, which needs a provider even with its own
            // authentication off
            moreConf = "innerClientAuthenticationCredentials={\"accessKey\":\"broker\",\"secretKey\":\""
                    + secrets.get("broker") + "\"}\nauthenticationMetadataProvider="
                    + "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider\n";
        } else {
            Files.writeString(auth.resolve("accounts.properties"), "account.broker.hosts=127.0.0.1\n",
                    StandardOpenOption.APPEND);
            Thread.sleep(1_500); // the nodes look at the file once a second
        }
        broker = Broker.startWithConf(it, "broker-acl", ns.addrList(), moreConf);
        opened.add(broker::kill);
    }

    private static int code(DefaultMQAdminExt a, Rmq.AdminCall call) throws Exception {
        return Rmq.clientErrorCode(a, call);
    }

    @Test
    void signedClientsWorkAndUnsignedOrUnderPrivilegedAdminCommandsAreRefused() throws Exception {
        Rmq admins = clients("admin", "a");
        List<DefaultMQAdminExt> nodeAdmins = admins.awaitRegistered(broker, ns.addrs(), "acl-admin");

        // mqadmin's calls, signed by admin: topic, KV config
        DefaultMQAdminExt admin = admins.admin("acl-admin-all", ns.addrList());
        String topic = "it-acl-" + run;
        admin.createAndUpdateTopicConfig(broker.addr(), new TopicConfig(topic, 2, 2, 6));
        String ns1 = "ACL_NS_" + run;
        admin.createAndUpdateKvConfig(ns1, "k", "v");
        assertEquals("v", nodeAdmins.get(0).getKVConfig(ns1, "k"));

        // a producer and a consumer signed by app (read only at the NameServer)
        Rmq apps = clients("app", "p");
        Rmq.Exchange x = apps.exchange("acl-" + run, ns.addrList(), topic, 30, 1_000);
        assertTrue(x.ms() >= 0,
                "consumed with signed route lookups: " + x.received().size() + " of " + x.sent().size());

        // refused with 16 NO_PERMISSION: app may not write KV; unsigned and wrongly signed admin commands
        DefaultMQAdminExt appAdmin = apps.admin("acl-app-admin", ns.addrs().get(0));
        assertEquals(16, code(appAdmin, a -> {
            a.createAndUpdateKvConfig(ns1, "k", "x");
            return "written";
        }), "app may not write KV config");
        DefaultMQAdminExt unsigned = clients(null, "u").admin("acl-unsigned", ns.addrs().get(1));
        assertEquals(16, code(unsigned, a -> {
            a.deleteKvConfig(ns1, "k");
            return "deleted";
        }), "an unsigned admin command");
        Rmq forger = opened.add(new Rmq(run + "f", false,
                new AclClientRPCHook(new SessionCredentials("admin", "not-the-admin-secret-0123"))));
        DefaultMQAdminExt forged = forger.admin("acl-forged", ns.addrs().get(2));
        assertEquals(16, code(forged, a -> {
            a.deleteKvConfig(ns1, "k");
            return "deleted";
        }), "an admin command signed with a wrong secret");
        assertEquals("v", nodeAdmins.get(2).getKVConfig(ns1, "k"), "the refused commands changed nothing");
        Path log = ns.dir().resolve("n1").resolve("logs").resolve("rns.log");
        assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains("RocketMQ ingress: refused request code"),
                "n1 logs the refusals (" + log + ")");
    }
}
