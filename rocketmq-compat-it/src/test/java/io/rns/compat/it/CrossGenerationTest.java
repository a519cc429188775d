package io.rns.compat.it;

import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generations mixed: a broker of the OTHER generation (its JVM on the other rmq-* module's classpath, given as
 * rns.it.otherClasspathFile) with this module's producer, push consumer and admin. Run by rmq-5.5.0 only (a 4.9.7
 * broker with 5.5.0 clients; the reactor builds rmq-4.9.7 first); rmq-4.9.7 excludes this class.
 */
@Tag("rocketmq")
@Tag("cluster")
class CrossGenerationTest extends ScenarioTest {
    private NameServers ns;
    private Broker broker;
    private Rmq clients;

    @BeforeAll
    void setUp() throws Exception {
        begin("crossgen");
        Path otherCp = Path.of(System.getProperty("rns.it.otherClasspathFile", "(rns.it.otherClasspathFile not set)"));
        String otherGen = System.getProperty("rns.it.otherGeneration", "");
        if (!Files.isRegularFile(otherCp) || otherGen.isBlank()) {
            fail("the other generation's classpath " + otherCp + " (generation '" + otherGen
                    + "') is missing: build the"
                    + " rocketmq-compat-it reactor (rmq-4.9.7 writes it in generate-test-resources)");
        }
        ScenarioEnv.checkClasspath(Files.readString(otherCp).trim(), otherGen);
        ns = opened.add(it.target.equals("rns") ? RnsNameServers.start(it) : StockNamesrvs.start(it));
        broker = Broker.start(it, "broker-old", ns.addrList(), Files.readString(otherCp).trim(), otherGen);
        opened.add(broker::kill); // a no-op unless the test failed before its own SIGTERM
        clients = opened.add(new Rmq(run));
    }

    @Test
    void otherGenerationBrokerServesThisGenerationsClients() throws Exception {
        DefaultMQAdminExt[] nodeAdmins = new DefaultMQAdminExt[3];
        for (int i = 0; i < 3; i++) {
            nodeAdmins[i] = clients.admin("x-node" + (i + 1), ns.addrs().get(i));
        }
        long regMs = ScenarioEnv.waitUntil(Duration.ofSeconds(180), () -> {
            if (!broker.alive()) {
                throw new IllegalStateException("broker died");
            }
            for (DefaultMQAdminExt a : nodeAdmins) {
                if (!Map.of(0L, broker.addr()).equals(Rmq.brokerAddrs(a).get(broker.name))) {
                    return false;
                }
            }
            return true;
        });
        assertTrue(regMs >= 0, "RocketMQ " + broker.generation + " broker not registered on every node within 180 s; "
                + ns.describe() + "\n" + broker.logTail());
        ScenarioEnv.log("RocketMQ %s broker registered on all three nodes after %d ms", broker.generation, regMs);

        DefaultMQAdminExt admin = clients.admin("x-all", ns.addrList());
        String topic = "it-crossgen-" + run;
        admin.createAndUpdateTopicConfig(broker.addr(), new TopicConfig(topic, 4, 4, 6));
        for (int i = 0; i < 3; i++) {
            assertEquals(Set.of(broker.name), Rmq.brokerNames(nodeAdmins[i].examineTopicRouteInfo(topic)),
                    "node " + (i + 1) + " route of " + topic + " right after the create");
        }

        Rmq.Exchange x = clients.exchange("crossgen-" + run, ns.addrList(), topic, 200, 30_000);
        ScenarioEnv.log("RocketMQ %s broker, %s clients: sent 200, consumed %d distinct after %d ms, missing %d",
                broker.generation, it.generation, x.received().size(), x.ms(), x.missing().size());
        assertEquals(x.sent(), x.received().keySet(), "consumed keys must be exactly the sent keys");

        long t0 = System.nanoTime();
        broker.stop();
        long gone = ScenarioEnv.waitUntil(Duration.ofSeconds(60), () -> {
            for (DefaultMQAdminExt a : nodeAdmins) {
                if (Rmq.brokerAddrs(a).containsKey(broker.name) || Rmq.routeCode(a, topic) != Rmq.TOPIC_NOT_EXIST) {
                    return false;
                }
            }
            return true;
        });
        ScenarioEnv.log("stopped RocketMQ %s broker gone from every node %d ms after SIGTERM", broker.generation,
                gone < 0 ? -1 : (System.nanoTime() - t0) / 1_000_000);
        assertTrue(gone >= 0, "the stopped broker was still listed 60 s after SIGTERM");
    }
}
