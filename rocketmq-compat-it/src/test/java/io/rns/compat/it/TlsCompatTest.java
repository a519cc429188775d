package io.rns.compat.it;

import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, TLS with unmodified RocketMQ software: an RNS cluster started with {@code scripts/cluster.sh start --tls}
 * (TLS only on the RocketMQ ports), a stock broker with {@code -Dtls.enable=true}, and a stock producer, push consumer
 * and admin with {@code useTLS}: the broker registers over TLS with every node, messages flow, and a client without
 * TLS is refused (and the nodes log why). Always against RNS (the stock control run has no TLS NameServers).
 */
@Tag("rocketmq")
@Tag("cluster")
class TlsCompatTest extends ScenarioTest {
    private RnsNameServers ns;
    private Broker broker;
    private Rmq clients;
    private Rmq plaintextClients;

    @BeforeAll
    void setUp() throws Exception {
        begin("tls");
        ns = opened.add(RnsNameServers.start(it, "--tls"));
        broker = Broker.startWithTls(it, "broker-tls", ns.addrList());
        opened.add(broker::kill);
        clients = opened.add(new Rmq(run, true, null));
        plaintextClients = opened.add(new Rmq(run + "p", false, null));
    }

    @Test
    void aTlsBrokerRegistersTlsClientsExchangeMessagesAndPlaintextIsRefused() throws Exception {
        clients.awaitRegistered(broker, ns.addrs(), "tls-admin");

        String topic = "it-tls-" + run;
        DefaultMQAdminExt admin = clients.admin("tls-admin-all", ns.addrList());
        admin.createAndUpdateTopicConfig(broker.addr(), new TopicConfig(topic, 2, 2, 6));
        Rmq.Exchange x = clients.exchange("tls-" + run, ns.addrList(), topic, 50, 1_000);
        assertTrue(x.ms() >= 0, "consumed over TLS routes: " + x.received().size() + " of " + x.sent().size());

        // a stock client without TLS cannot even read the cluster info, and the node says why in its log
        DefaultMQAdminExt plain = plaintextClients.admin("plain-admin", ns.addrs().get(0));
        assertThrows(Exception.class, plain::examineBrokerClusterInfo, "plaintext on a TLS-only RocketMQ port");
        Path log = ns.dir().resolve("n1").resolve("logs").resolve("rns.log");
        long logged = ScenarioEnv.waitUntil(Duration.ofSeconds(10),
                () -> Files.readString(log, StandardCharsets.UTF_8)
                        .contains("RocketMQ ingress: closing connection from")
                        && Files.readString(log, StandardCharsets.UTF_8).contains("TLS error"));
        assertTrue(logged >= 0, "n1 logs the plaintext connection it closed (" + log + ")");
    }
}
