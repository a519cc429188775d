package io.rns.cli;

import io.rns.client.FakeNode;
import io.rns.rpc.v1.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RnsCliTest {
    static final Pattern META = Pattern.compile(
            "^served=(NONE|LINEARIZABLE|LEASE|SEQUENTIAL|STALE) node=\\S+ role=[A-Z_]+ term=\\d+ applied=\\d+ endpoint=\\S+:\\d+$");

    FakeNode leader;
    FakeNode follower;
    String out;
    String err;
    Map<String, String> env = Map.of("RNS_MODE", "raft"); // no mode-learning GetNodeStatus in the request counts

    @BeforeEach
    void start() {
        leader = new FakeNode("n1");
        leader.role = Role.LEADER;
        leader.appliedIndex = 33;
        follower = new FakeNode("n2");
        follower.leaderHint = leader.endpoint;
    }

    @AfterEach
    void stop() {
        leader.close();
        follower.close();
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = RnsCli.execute(args, new PrintWriter(o), new PrintWriter(e), env);
        out = o.toString();
        err = e.toString();
        return code;
    }

    String[] withLeader(String... args) {
        List<String> l = new ArrayList<>(List.of("--endpoints", leader.endpoint));
        l.addAll(Arrays.asList(args));
        return l.toArray(String[]::new);
    }

    String lastLine() {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    void assertMeta(String served, String node, String role) {
        String meta = lastLine();
        assertTrue(META.matcher(meta).matches(), "meta line: '" + meta + "'\n" + out);
        assertTrue(meta.startsWith("served=" + served + " node=" + node + " role=" + role + " "), meta);
    }

    /** A route of {@code topic} on broker-a with {@code queues} read and write queues. */
    static TopicRoute routeOf(String topic, int queues) {
        return TopicRoute.newBuilder().setTopic(topic)
                .addQueueDatas(QueueData.newBuilder().setBrokerName("broker-a").setReadQueueNums(queues)
                        .setWriteQueueNums(queues).setPerm(6))
                .addBrokerDatas(BrokerData.newBuilder().setCluster("DefaultCluster").setBrokerName("broker-a")
                        .putBrokerAddrs(0, "10.0.0.1:10911"))
                .build();
    }

    @Test
    void watchPrintsTheResetThenEachChangeAndResumesFromTheLastRevision() {
        List<Long> froms = new java.util.concurrent.CopyOnWriteArrayList<>();
        leader.script = r -> {
            if (r.getBodyCase() != RequestEnvelope.BodyCase.WATCH) {
                return null;
            }
            long from = r.getWatch().hasFromRevision() ? r.getWatch().getFromRevision() : -1;
            froms.add(from);
            WatchResponse.Builder w = WatchResponse.newBuilder();
            if (from < 0) {
                w.setReset(true).setRevision(5).addEvents(
                        WatchEvent.newBuilder().setRevision(5).setTopic("TopicA").setRoute(routeOf("TopicA", 4)));
            } else if (from == 5) {
                w.setRevision(7)
                        .addEvents(WatchEvent.newBuilder().setRevision(6).setTopic("TopicA")
                                .setRoute(routeOf("TopicA", 8)))
                        .addEvents(WatchEvent.newBuilder().setRevision(7).setTopic("TopicA").setDeleted(true));
            } else {
                w.setRevision(from); // nothing more: a held poll that ends empty
            }
            return leader.ok(r).setWatch(w).build();
        };
        assertEquals(0, run(withLeader("watch", "--topic", "TopicA", "--count", "2")), err);
        assertTrue(out.startsWith("reset revision=5 topics=1\n  topic=TopicA\n  queue broker=broker-a read=4 write=4"),
                out);
        assertTrue(out.contains("change revision=6 topic=TopicA\n  topic=TopicA\n  queue broker=broker-a read=8"), out);
        assertTrue(out.contains("change revision=7 topic=TopicA deleted"), out);
        assertEquals(List.of(-1L, 5L), froms.subList(0, 2),
                "the first poll starts (no from_revision), the second resumes from the reset's revision");
        assertEquals(List.of("TopicA"),
                leader.received.stream().filter(r -> r.getBodyCase() == RequestEnvelope.BodyCase.WATCH).findFirst()
                        .orElseThrow().getWatch().getTopicsList());
    }

    @Test
    void watchRefusesTwoScopes() {
        assertEquals(1, run(withLeader("watch", "--topic", "TopicA", "--all")));
        assertTrue(err.contains("give one of --topic, --cluster or --all"), err);
    }

    @Test
    void routePrintsRouteAndMeta() {
        assertEquals(0, run(withLeader("route", "TopicA")), err);
        assertTrue(out.contains("topic=TopicA"), out);
        assertTrue(out.contains("queue broker=broker-a read=4 write=4 perm=6"), out);
        assertTrue(out.contains("broker cluster=DefaultCluster name=broker-a addrs=0=10.0.0.1:10911"), out);
        assertMeta("LINEARIZABLE", "n1", "LEADER");
        assertEquals("served=LINEARIZABLE node=n1 role=LEADER term=3 applied=33 endpoint=" + leader.endpoint,
                lastLine());
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        assertEquals(0, run("--endpoints", follower.endpoint, "--consistency", "stale", "route", "T"), err);
        assertEquals(Consistency.STALE, follower.received.get(0).getRead().getConsistency());
        assertMeta("STALE", "n2", "FOLLOWER");
        assertEquals(0, run("route", "T", "--endpoints", follower.endpoint, "--consistency", "SeQuEnTiAl"), err);
        assertEquals(Consistency.SEQUENTIAL, follower.received.get(1).getRead().getConsistency());
        assertEquals(33, follower.received.get(1).getRead().getMinIndex() == 0 ? 33 : -1, "a fresh CLI has no floor");
        // after-command wins
        assertEquals(0,
                run("--consistency", "stale", "route", "T", "--endpoints", follower.endpoint, "--consistency", "lease"),
                err);
        assertEquals(Consistency.LEASE, follower.received.get(2).getRead().getConsistency());
        assertEquals(1, run("--endpoints", follower.endpoint, "--consistency", "strong", "route", "T"));
        assertTrue(err.contains("not a consistency level"), err);
    }

    @Test
    void endpointsDefaultFromEnvironment() {
        env = Map.of("RNS_ENDPOINTS", follower.endpoint, "RNS_MODE", "raft");
        assertEquals(0, run("topics"), err);
        assertEquals("TopicA\nTopicB", out.strip().split("\nserved=")[0]);
        assertMeta("LINEARIZABLE", "n2", "FOLLOWER");
    }

    @Test
    void registerParsesTopicsAndFollowsTheLeader() {
        follower.script = r -> r.hasRegisterBroker() ? follower.error(ErrorCode.NOT_LEADER, true, "not leader") : null;
        int code = run("--endpoints", follower.endpoint, "register", "--cluster", "C", "--broker-name", "b1",
                "--broker-id", "0", "--addr", "127.0.0.1:10911", "--ha-addr", "127.0.0.1:10912", "--topic", "T1",
                "--topic", "T2:4:8", "--topic", "T3:1:2:4");
        assertEquals(0, code, err);
        RegisterBrokerRequest req = leader.received.get(0).getRegisterBroker();
        assertEquals("C", req.getCluster());
        assertEquals("b1", req.getBrokerName());
        assertEquals("127.0.0.1:10911", req.getBrokerAddr());
        assertEquals("127.0.0.1:10912", req.getHaServerAddr());
        assertEquals(List.of(
                TopicConfig.newBuilder().setTopic("T1").setReadQueueNums(16).setWriteQueueNums(16).setPerm(6).build(),
                TopicConfig.newBuilder().setTopic("T2").setReadQueueNums(4).setWriteQueueNums(8).setPerm(6).build(),
                TopicConfig.newBuilder().setTopic("T3").setReadQueueNums(1).setWriteQueueNums(2).setPerm(4).build()),
                req.getTopicsList());
        assertTrue(out.contains("registered broker_epoch=33 changed=true lease_ms=10000 heartbeat_interval_ms=0"), out);
        assertEquals(0, req.getLeaseTimeoutMs(), "no --lease-ms: the server's default");
        assertFalse(req.getBindConnection(), "a one-shot tool does not bind the broker to its connection");
        assertMeta("NONE", "n1", "LEADER");
        // --broker-addr is an alias of --addr
        assertEquals(0, run(withLeader("register", "--cluster", "C", "--broker-name", "b1", "--broker-addr", "h:1")),
                err);
        assertEquals(1, run(
                withLeader("register", "--cluster", "C", "--broker-name", "b1", "--addr", "h:1", "--topic", "T:x")));
        assertTrue(err.contains("--topic"), err);
        assertEquals(1, run(withLeader("register", "--cluster", "C")));
        assertTrue(err.contains("Missing required option"), err);
    }

    @Test
    void registerLeaseMs() {
        assertEquals(0, run(withLeader("register", "--cluster", "C", "--broker-name", "b1", "--addr", "h:1",
                "--lease-ms", "30000")), err);
        assertEquals(30000, leader.received.get(0).getRegisterBroker().getLeaseTimeoutMs());
        assertMeta("NONE", "n1", "LEADER");
        assertEquals(1, run(
                withLeader("register", "--cluster", "C", "--broker-name", "b1", "--addr", "h:1", "--lease-ms", "-1")));
        assertTrue(err.contains("--lease-ms"), err);
        assertEquals(1, leader.received.size());
        leader.script = r -> leader.error(ErrorCode.INVALID_ARGUMENT, false,
                "lease_timeout_ms 999999 is above liveness.max-lease-ms 300000");
        assertEquals(2, run(withLeader("register", "--cluster", "C", "--broker-name", "b1", "--addr", "h:1",
                "--lease-ms", "999999")));
        assertTrue(err.startsWith("error: INVALID_ARGUMENT: lease_timeout_ms"), err);
        assertEquals(0, run("register", "--help"));
        String help = out.replaceAll("\\s+", " ");
        assertTrue(help.contains("--lease-ms"), out);
        assertTrue(help.contains("unless something heartbeats it"), out);
        assertTrue(help.contains("rns heartbeat"), out);
        assertTrue(help.contains("liveness.max-lease-ms (default 300000)"), out);
    }

    @Test
    void heartbeatOnceFollowsTheLeaderAndPrintsTheLease() {
        follower.script = r -> r.hasHeartbeat() ? follower.error(ErrorCode.NOT_LEADER, true, "not leader") : null;
        leader.heartbeatIntervalMs = 2000;
        assertEquals(0, run("--endpoints", follower.endpoint, "heartbeat", "--cluster", "C", "--broker-name", "b1",
                "--broker-id", "2", "--broker-addr", "h:1", "--epoch", "17"), err);
        assertEquals(HeartbeatRequest.newBuilder().setCluster("C").setBrokerName("b1").setBrokerId(2)
                .setBrokerAddr("h:1").setBrokerEpoch(17).build(), leader.received.get(0).getHeartbeat());
        assertEquals("heartbeat 1/1 lease_ms=10000 heartbeat_interval_ms=2000", out.split("\n")[0]);
        assertMeta("NONE", "n1", "LEADER");
        assertEquals(2, out.strip().split("\n").length, out);

        String[] heartbeat17 = {"heartbeat", "--cluster", "C", "--broker-name", "b1", "--broker-addr", "h:1", "--epoch",
                "17"};
        leader.script = r -> leader.error(ErrorCode.STALE_BROKER_EPOCH, false,
                "epoch 17 is not current (18): re-register");
        assertEquals(2, run(withLeader(heartbeat17)));
        assertEquals("error: STALE_BROKER_EPOCH: epoch 17 is not current (18): re-register\n", err);
        leader.script = r -> leader.error(ErrorCode.UNKNOWN_BROKER, false, "no broker b1/0");
        assertEquals(2, run(withLeader(heartbeat17)));
        assertTrue(err.startsWith("error: UNKNOWN_BROKER"), err);
    }

    @Test
    void heartbeatRepeatsBoundedAndValidates() {
        String[] base = {"heartbeat", "--cluster", "C", "--broker-name", "b1", "--broker-addr", "h:1", "--epoch", "5"};
        assertEquals(0, run(withLeader(concat(base, "--every-ms", "20", "--count", "3"))), err);
        assertEquals(3, leader.count(RequestEnvelope.BodyCase.HEARTBEAT));
        String[] lines = out.strip().split("\n");
        assertEquals(6, lines.length, out);
        for (int i = 0; i < 3; i++) {
            assertEquals("heartbeat " + (i + 1) + "/3 lease_ms=10000 heartbeat_interval_ms=0", lines[2 * i]);
            assertTrue(META.matcher(lines[2 * i + 1]).matches(), lines[2 * i + 1]);
        }
        // stops at the first failure
        AtomicInteger n = new AtomicInteger();
        leader.script = r -> n.incrementAndGet() == 2 ? leader.error(ErrorCode.UNKNOWN_BROKER, false, "gone") : null;
        assertEquals(2, run(withLeader(concat(base, "--every-ms", "1", "--count", "10"))));
        assertEquals(2, n.get());
        assertTrue(out.startsWith("heartbeat 1/10 "), out);
        assertFalse(out.contains("2/10"), out);

        long before = leader.received.size();
        assertEquals(1, run(withLeader(concat(base, "--count", "3"))));
        assertTrue(err.contains("together"), err);
        assertEquals(1, run(withLeader(concat(base, "--every-ms", "3"))));
        assertTrue(err.contains("together"), err);
        assertEquals(1, run(withLeader(concat(base, "--every-ms", "3", "--count", "100001"))));
        assertTrue(err.contains("--count"), err);
        assertEquals(1, run(withLeader(concat(base, "--every-ms", "0", "--count", "2"))));
        assertTrue(err.contains("--every-ms"), err);
        assertEquals(1, run(withLeader("heartbeat", "--cluster", "C", "--broker-name", "b1", "--broker-addr", "h:1")));
        assertTrue(err.contains("--epoch"), err);
        assertEquals(before, leader.received.size(), "nothing sent for a usage error");
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        l.addAll(Arrays.asList(b));
        return l.toArray(String[]::new);
    }

    @Test
    void brokersPrintsTheLeasesOfTheLeader() {
        follower.script = r -> r.hasListBrokerLeases() ? follower.error(ErrorCode.NOT_LEADER, true, "not leader")
                : null;
        assertEquals(0, run("--endpoints", follower.endpoint, "brokers"), err);
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length, out);
        assertEquals(
                "lease cluster=DefaultCluster broker=broker-a id=0 addr=10.0.0.1:10911 epoch=7 last_contact_age_ms=120 "
                        + "lease_remaining_ms=9880 lease_timeout_ms=10000 flags=-",
                lines[0]);
        assertEquals(
                "lease cluster=DefaultCluster broker=broker-b id=1 addr=10.0.0.2:10911 epoch=9 last_contact_age_ms=4000 "
                        + "lease_remaining_ms=-20 lease_timeout_ms=3000 flags=suspect,expiring",
                lines[1]);
        assertMeta("NONE", "n1", "LEADER");

        assertEquals(0, run(withLeader("brokers", "--json")), err);
        String line = out.strip();
        assertFalse(line.contains("\n"), out);
        assertTrue(
                line.startsWith("{\"result\":{\"leases\":[{\"cluster\":\"DefaultCluster\",\"brokerName\":\"broker-a\""),
                line);
        assertTrue(line.contains("\"suspect\":true,\"expiring\":true"), line);
        assertTrue(line.contains("\"leaderId\":\"n1\""), line);
        assertTrue(line.contains(",\"meta\":{\"served\":\"NONE\",\"node\":\"n1\""), line);
        assertTrue(err.strip().startsWith("served=NONE node=n1 role=LEADER"), err);

        leader.script = r -> leader.ok(r).setListBrokerLeases(ListBrokerLeasesResponse.newBuilder().setLeaderId("n1"))
                .build();
        assertEquals(0, run(withLeader("brokers")), err);
        assertTrue(out.startsWith("(no leases)\n"), out);
        assertMeta("NONE", "n1", "LEADER");
    }

    @Test
    void unregisterClusterTopicsDeleteTopic() {
        assertEquals(0, run(
                withLeader("unregister", "--cluster", "C", "--broker-name", "b1", "--broker-id", "1", "--epoch", "9")),
                err);
        UnregisterBrokerRequest u = leader.received.get(0).getUnregisterBroker();
        assertEquals(1, u.getBrokerId());
        assertEquals(9, u.getBrokerEpoch());
        assertTrue(out.startsWith("unregistered\n"), out);
        assertMeta("NONE", "n1", "LEADER");

        assertEquals(0, run(withLeader("cluster")), err);
        assertTrue(out.contains("cluster DefaultCluster: broker-a"), out);
        assertMeta("LINEARIZABLE", "n1", "LEADER");

        assertEquals(0, run(withLeader("topics", "--cluster", "DefaultCluster")), err);
        assertEquals("DefaultCluster", leader.received.get(leader.received.size() - 1).getListTopics().getCluster());

        assertEquals(0, run(withLeader("delete-topic", "TopicA", "--cluster", "C")), err);
        DeleteTopicRequest d = leader.received.get(leader.received.size() - 1).getDeleteTopic();
        assertEquals("TopicA", d.getTopic());
        assertEquals("C", d.getCluster());
        assertTrue(out.startsWith("existed=true\n"), out);
        assertMeta("NONE", "n1", "LEADER");
    }

    @Test
    void kvCommands() {
        assertEquals(0, run(withLeader("kv", "put", "ns", "k", "v 1")), err);
        assertEquals(KvPutRequest.newBuilder().setNamespace("ns").setKey("k").setValue("v 1").build(),
                leader.received.get(0).getKvPut());
        assertMeta("NONE", "n1", "LEADER");
        assertEquals(0, run(withLeader("kv", "get", "ns", "k")), err);
        assertTrue(out.startsWith("v-k\n"), out);
        assertMeta("LINEARIZABLE", "n1", "LEADER");
        assertEquals(0, run(withLeader("kv", "delete", "ns", "k")), err);
        assertTrue(out.startsWith("existed=false\n"), out);
        assertEquals(0, run(withLeader("kv", "list", "ns")), err);
        assertTrue(out.startsWith("a=1\nb=2\n"), out);
        assertEquals(0, run("kv", "get", "ns", "k", "--endpoints", leader.endpoint, "--consistency", "lease"), err);
        assertMeta("LEASE", "n1", "LEADER");
        assertEquals(1, run(withLeader("kv", "put", "ns", "k")));
        assertEquals(1, run(withLeader("kv")));
    }

    @Test
    void statusOfEveryEndpointAndUnreachableNodes() {
        String dead = FakeNode.deadEndpoint();
        assertEquals(0, run("--endpoints", leader.endpoint + "," + dead + "," + follower.endpoint, "status"), err);
        String[] lines = out.split("\n");
        assertTrue(
                lines[0].startsWith(leader.endpoint
                        + " id=n1 mode=raft role=LEADER term=3 leader=n1@127.0.0.1:9771 applied=33 commit=33"),
                lines[0]);
        assertTrue(
                lines[0].endsWith(
                        " leases_tracked=2 suspects=1 expiries_proposed=5 expiries_applied=4 mass_expiry_warnings=1"),
                lines[0]);
        assertTrue(lines[1].startsWith("  peer n1 "), lines[1]);
        assertTrue(META.matcher(lines[2]).matches(), lines[2]);
        assertTrue(lines[2].startsWith("served=NONE node=n1 role=LEADER"), lines[2]);
        assertTrue(lines[3].startsWith(dead + " unreachable"), lines[3]);
        assertTrue(lines[4].startsWith(follower.endpoint + " id=n2"), lines[4]);
        assertMeta("NONE", "n2", "FOLLOWER");
        // --node asks one node only
        assertEquals(0, run("--endpoints", leader.endpoint, "status", "--node", follower.endpoint), err);
        assertMeta("NONE", "n2", "FOLLOWER");
        assertFalse(out.contains("id=n1"), out);
        // nobody answers: exit 3
        assertEquals(3, run("--endpoints", dead, "status"));
        assertTrue(out.contains(dead + " unreachable"), out);
        assertTrue(err.startsWith("error: CONNECT_FAILED: "), err);
    }

    @Test
    void modeOptionLeaderlessFansOutWritesAndReadsStale() {
        for (FakeNode n : List.of(leader, follower)) {
            n.mode = "leaderless";
            n.role = Role.LEADERLESS;
            n.leaderHint = "";
        }
        follower.appliedIndex = 44;
        String dead = FakeNode.deadEndpoint();
        String eps = leader.endpoint + "," + follower.endpoint + "," + dead;
        env = Map.of(); // AUTO: learned from the nodes
        assertEquals(0, run("--endpoints", eps, "register", "--cluster", "C", "--broker-name", "b1", "--addr", "h:1"),
                err);
        String[] lines = out.strip().split("\n");
        assertEquals("registered broker_epoch=33 changed=true lease_ms=10000 heartbeat_interval_ms=0", lines[0]);
        assertTrue(
                lines[1].startsWith(
                        "node " + leader.endpoint + " ok broker_epoch=33 served=NONE node=n1 role=LEADERLESS"),
                lines[1]);
        assertTrue(lines[2].startsWith("node " + follower.endpoint + " ok broker_epoch=44 served=NONE node=n2"),
                lines[2]);
        assertTrue(lines[3].startsWith("node " + dead + " error CONNECT_FAILED: "), lines[3]);
        assertMeta("NONE", "n1", "LEADERLESS");
        assertEquals(1, leader.count(RequestEnvelope.BodyCase.REGISTER_BROKER));
        assertEquals(1, follower.count(RequestEnvelope.BodyCase.REGISTER_BROKER));
        // reads default to STALE; --mode leaderless given explicitly asks no status first
        long statuses = leader.count(RequestEnvelope.BodyCase.GET_NODE_STATUS);
        assertEquals(0, run("--endpoints", leader.endpoint, "--mode", "LeaderLess", "route", "T"), err);
        assertMeta("STALE", "n1", "LEADERLESS");
        assertEquals(statuses, leader.count(RequestEnvelope.BodyCase.GET_NODE_STATUS));
        assertEquals(0, leader.received.get(leader.received.size() - 1).getRead().getMinIndex());
        // JSON carries the per-node outcomes
        assertEquals(0, run("--endpoints", leader.endpoint + "," + dead, "--mode", "leaderless", "--json", "kv", "put",
                "a", "b", "c"), err);
        assertTrue(out.contains("\"perEndpoint\":[{\"endpoint\":\"" + leader.endpoint + "\",\"ok\":true,"), out);
        assertTrue(out.contains("{\"endpoint\":\"" + dead + "\",\"ok\":false,\"error\":\"CONNECT_FAILED: "), out);
        // every node failing: the first error, listing all; exit 3
        assertEquals(3, run("--endpoints", dead, "--mode", "leaderless", "kv", "put", "a", "b", "c"));
        assertTrue(err.startsWith("error: CONNECT_FAILED: write failed on every node (1): " + dead), err);
        // bad values
        assertEquals(1, run("--mode", "paxos", "--endpoints", leader.endpoint, "topics"));
        assertTrue(err.contains("auto, raft, leaderless"), err);
        env = Map.of("RNS_MODE", "nope");
        assertEquals(1, run("--endpoints", leader.endpoint, "topics"));
        assertTrue(err.contains("RNS_MODE"), err);
    }

    @Test
    void errorsGoToStderrWithExitCodes() {
        leader.script = r -> leader.error(ErrorCode.TOPIC_NOT_FOUND, false, "no route for Nope");
        assertEquals(2, run(withLeader("route", "Nope")));
        assertEquals("error: TOPIC_NOT_FOUND: no route for Nope\n", err);
        assertEquals("", out);
        follower.script = r -> follower.error(ErrorCode.NOT_LEADER, true, "not leader");
        assertEquals(2, run("--endpoints", follower.endpoint, "--node", follower.endpoint, "kv", "put", "a", "b", "c"));
        assertEquals("error: NOT_LEADER: not leader leader=" + leader.endpoint + "\n", err);
        String dead = FakeNode.deadEndpoint();
        assertEquals(3, run("--endpoints", dead, "--timeout-ms", "500", "kv", "get", "a", "b"));
        assertTrue(err.startsWith("error: CONNECT_FAILED: "), err);
        assertEquals(1, run("--endpoints", "nonsense", "topics"));
        assertTrue(err.contains("not host:port"), err);
        assertEquals(1, run("--timeout-ms", "0", "--endpoints", leader.endpoint, "topics"));
        assertEquals(1, run("no-such-command"));
        assertEquals(1, run());
        assertEquals(0, run("--help"));
        assertTrue(out.contains("Exit codes"), out);
    }

    @Test
    void jsonOutput() {
        assertEquals(0, run(withLeader("--json", "route", "TopicA")), err);
        String line = out.strip();
        assertFalse(line.contains("\n"), "one line: " + out);
        assertTrue(line.startsWith("{\"result\":{\"topic\":\"TopicA\",\"queueDatas\":[{\"brokerName\":\"broker-a\""),
                line);
        assertTrue(
                line.endsWith(",\"meta\":{\"served\":\"LINEARIZABLE\",\"node\":\"n1\",\"role\":\"LEADER\",\"term\":3,"
                        + "\"applied\":33,\"msSinceLeaderContact\":0,\"leaderHint\":\"\",\"endpoint\":\""
                        + leader.endpoint + "\"}}"),
                line);
        assertTrue(err.strip().startsWith("served=LINEARIZABLE node=n1"), "meta line on stderr with --json: " + err);
        assertEquals(0, run(withLeader("kv", "list", "ns", "--json")), err);
        assertTrue(out.startsWith("{\"result\":{\"entries\":{\"a\":\"1\",\"b\":\"2\"}}"), out);
    }

    static List<PeerStatus> threePeers() {
        return List.of(
                PeerStatus.newBuilder().setNodeId("n1").setRaftAddr("127.0.0.1:9781").setClientAddr("127.0.0.1:9771")
                        .setLeader(true).setAlive(true).build(),
                PeerStatus.newBuilder().setNodeId("n2").setRaftAddr("127.0.0.1:9782").setClientAddr("127.0.0.1:9772")
                        .setAlive(true).build(),
                PeerStatus.newBuilder().setNodeId("n9").setRaftAddr("10.0.0.9:9789").build());
    }

    @Test
    void peersListPrintsEveryPeerAndTheMetaLine() {
        leader.script = r -> r.hasListPeers()
                ? leader.ok(r).setListPeers(ListPeersResponse.newBuilder().setLeaderId("n1").addAllPeers(threePeers()))
                        .build()
                : null;
        assertEquals(0, run(withLeader("peers", "list")), err);
        assertTrue(out.startsWith("peer n1 raft=127.0.0.1:9781 client=127.0.0.1:9771 leader alive\n"
                + "peer n2 raft=127.0.0.1:9782 client=127.0.0.1:9772 alive\n"
                + "peer n9 raft=10.0.0.9:9789 client=-\n"), out);
        assertMeta("NONE", "n1", "LEADER");
    }

    @Test
    void peersAddSendsTheParsedMemberAndFollowsTheLeader() {
        follower.script = r -> r.hasAddPeer() ? follower.error(ErrorCode.NOT_LEADER, true, "not leader") : null;
        leader.script = r -> r.hasAddPeer()
                ? leader.ok(r).setAddPeer(AddPeerResponse.newBuilder().addAllPeers(threePeers())).build()
                : null;
        assertEquals(0, run("--endpoints", follower.endpoint, "peers", "add", "n9@10.0.0.9:9789:9779"), err);
        AddPeerRequest req = leader.received.get(0).getAddPeer();
        assertEquals(AddPeerRequest.newBuilder().setNodeId("n9").setHost("10.0.0.9").setRaftPort(9789)
                .setClientPort(9779).build(), req);
        assertTrue(out.contains("peer n9 raft=10.0.0.9:9789 client=-"), out);
        assertMeta("NONE", "n1", "LEADER");
    }

    @Test
    void peersAddRejectsABadMemberBeforeAnyRequest() {
        assertEquals(1, run(withLeader("peers", "add", "n9@10.0.0.9:9789")));
        assertTrue(err.contains("must look like id@host:raftPort:clientPort"), err);
        assertEquals(1, run(withLeader("peers", "add", "n9@10.0.0.9:0:9779")));
        assertTrue(err.contains("ports must be in [1, 65535]"), err);
        assertEquals(0, leader.received.size(), "nothing sent");
    }

    @Test
    void peersRemoveAndTransferReportServerErrors() {
        leader.script = r -> {
            if (r.hasRemovePeer()) {
                return leader.error(ErrorCode.INVALID_ARGUMENT, false,
                        "peer n7 is not a member; members are [n1, n2, n3]");
            }
            if (r.hasTransferLeadership()) {
                return leader.ok(r)
                        .setTransferLeadership(TransferLeadershipResponse.newBuilder().setPreviousLeaderId("n1"))
                        .build();
            }
            return null;
        };
        assertEquals(2, run(withLeader("peers", "remove", "n7")));
        assertEquals("n7", leader.received.get(0).getRemovePeer().getNodeId());
        assertTrue(err.contains("INVALID_ARGUMENT: peer n7 is not a member"), err);
        assertEquals(0, run(withLeader("peers", "transfer", "n2")), err);
        assertEquals("n2", leader.received.get(1).getTransferLeadership().getNodeId());
        assertTrue(out.startsWith("transfer started from n1 to n2\n"), out);
        assertMeta("NONE", "n1", "LEADER");
        assertEquals(1, run(withLeader("peers")));
        assertTrue(err.contains("missing peers command"), err);
    }
}
