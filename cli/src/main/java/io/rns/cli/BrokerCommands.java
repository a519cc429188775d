package io.rns.cli;

import io.rns.cli.output.Lines;
import io.rns.client.NamesrvClient;
import io.rns.client.Reply;
import io.rns.rpc.v1.BrokerLease;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.HeartbeatResponse;
import io.rns.rpc.v1.ListBrokerLeasesResponse;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.TopicConfig;
import io.rns.rpc.v1.UnregisterBrokerRequest;
import io.rns.rpc.v1.UnregisterBrokerResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The broker commands: register, unregister, heartbeat and the leader's lease table (brokers). */
final class BrokerCommands {
    private BrokerCommands() {
    }

    /** The broker a register or heartbeat names. */
    static final class BrokerOptions {
        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--broker-name", required = true)
        String brokerName;

        @Option(names = "--broker-id", defaultValue = "0", description = "0 = master (default)")
        long brokerId;

        @Option(names = {"--addr", "--broker-addr"}, required = true, paramLabel = "HOST:PORT")
        String addr;
    }

    @Command(name = "register", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Register (or re-register) a broker and its topics.",
            "A registered broker has a lease: the leader expires (unregisters) it when nothing heartbeats or "
                    + "re-registers it for that long. A broker registered by hand therefore disappears after "
                    + "its lease unless something heartbeats it ('rns heartbeat --epoch <broker_epoch> "
                    + "--every-ms M --count K', or a broker using the client's BrokerRegistrar).",
            "The lease is --lease-ms, or the server's liveness.default-lease-ms when 0; it must lie within the "
                    + "server's liveness.min-lease-ms and liveness.max-lease-ms (default 300000), otherwise the "
                    + "answer is INVALID_ARGUMENT."})
    static final class Register extends ClientCommand {
        @Mixin
        BrokerOptions broker;

        @Option(names = "--ha-addr", paramLabel = "HOST:PORT")
        String haAddr;

        @Option(names = "--topic", paramLabel = "T[:READ:WRITE[:PERM]]", description = "Repeatable. Queue counts default to 16:16, perm to 6 (read+write).")
        List<String> topics = new ArrayList<>();

        @Option(names = "--lease-ms", defaultValue = "0", paramLabel = "MS", description = "The broker's lease in ms (0 = the server's default; at most the server's "
                + "liveness.max-lease-ms, default 300000). Without a heartbeat for this long the broker expires.")
        long leaseMs;

        @Override
        void run(NamesrvClient client) {
            if (leaseMs < 0 || leaseMs > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--lease-ms must be in [0, " + Integer.MAX_VALUE + "]: " + leaseMs);
            }
            RegisterBrokerRequest.Builder r = RegisterBrokerRequest.newBuilder().setCluster(broker.cluster)
                    .setBrokerName(broker.brokerName).setBrokerId(broker.brokerId).setBrokerAddr(broker.addr)
                    .setLeaseTimeoutMs((int) leaseMs);
            if (haAddr != null)
                r.setHaServerAddr(haAddr);
            for (String t : topics)
                r.addTopics(parseTopic(t));
            Reply<RegisterBrokerResponse> reply = client.registerBroker(r.build(), options());
            RegisterBrokerResponse v = reply.value();
            String line = "registered broker_epoch=" + v.getBrokerEpoch() + " changed=" + v.getChanged()
                    + (v.getMasterAddr().isEmpty() ? "" : " master=" + v.getMasterAddr())
                    + (v.getHaServerAddr().isEmpty() ? "" : " ha=" + v.getHaServerAddr()) + " lease_ms="
                    + Integer.toUnsignedLong(v.getLeaseTimeoutMs()) + " heartbeat_interval_ms="
                    + Integer.toUnsignedLong(v.getHeartbeatIntervalMs());
            output.emitWrite(reply, List.of(line), v, x -> "broker_epoch=" + x.getBrokerEpoch());
        }

        TopicConfig parseTopic(String spec) {
            String[] p = spec.split(":", -1);
            if (p[0].isEmpty() || (p.length != 1 && p.length != 3 && p.length != 4)) {
                throw new IllegalArgumentException(
                        "--topic must be T, T:READ:WRITE or T:READ:WRITE:PERM: '" + spec + "'");
            }
            TopicConfig.Builder b = TopicConfig.newBuilder().setTopic(p[0]).setReadQueueNums(16).setWriteQueueNums(16)
                    .setPerm(6);
            try {
                if (p.length >= 3)
                    b.setReadQueueNums(Integer.parseInt(p[1])).setWriteQueueNums(Integer.parseInt(p[2]));
                if (p.length == 4)
                    b.setPerm(Integer.parseInt(p[3]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--topic: numbers expected in '" + spec + "'");
            }
            return b.build();
        }
    }

    @Command(name = "unregister", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Unregister a broker.")
    static final class Unregister extends ClientCommand {
        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--broker-name", required = true)
        String brokerName;

        @Option(names = "--broker-id", defaultValue = "0")
        long brokerId;

        @Option(names = {"--addr", "--broker-addr"}, paramLabel = "HOST:PORT")
        String addr;

        @Option(names = "--epoch", defaultValue = "0", description = "0 = whatever is current")
        long epoch;

        @Override
        void run(NamesrvClient client) {
            UnregisterBrokerRequest.Builder r = UnregisterBrokerRequest.newBuilder().setCluster(cluster)
                    .setBrokerName(brokerName).setBrokerId(brokerId).setBrokerEpoch(epoch);
            if (addr != null)
                r.setBrokerAddr(addr);
            Reply<UnregisterBrokerResponse> reply = client.unregisterBroker(r.build(), options());
            output.emitWrite(reply, List.of("unregistered"), reply.value());
        }
    }

    @Command(name = "heartbeat", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Send a broker heartbeat (to the leader) and print the lease it granted.",
            "With --every-ms M --count K (both or neither): K heartbeats, one every M ms; stops at the first "
                    + "failure. --epoch must be the broker's current epoch (the broker_epoch 'rns register' "
                    + "printed): otherwise STALE_BROKER_EPOCH; UNKNOWN_BROKER if it is not registered (any more).",
            "Prints one line per heartbeat, each followed by the meta line."})
    static final class Heartbeat extends ClientCommand {
        static final int MAX_COUNT = 100_000;

        @Mixin
        BrokerOptions broker;

        @Option(names = "--epoch", required = true, paramLabel = "EPOCH", description = "The broker's current epoch.")
        long epoch;

        @Option(names = "--every-ms", paramLabel = "MS", description = "Interval between heartbeats (with --count).")
        Long everyMs;

        @Option(names = "--count", paramLabel = "K", description = "Number of heartbeats, 1.." + MAX_COUNT
                + " (with --every-ms).")
        Integer count;

        @Override
        void run(NamesrvClient client) {
            if ((everyMs == null) != (count == null)) {
                throw new IllegalArgumentException("--every-ms and --count must be given together");
            }
            int k = count == null ? 1 : count;
            long m = everyMs == null ? 0 : everyMs;
            if (k < 1 || k > MAX_COUNT)
                throw new IllegalArgumentException("--count must be in [1, " + MAX_COUNT + "]: " + k);
            if (everyMs != null && (m < 1 || m > 3_600_000)) {
                throw new IllegalArgumentException("--every-ms must be in [1, 3600000]: " + m);
            }
            if (epoch <= 0)
                throw new IllegalArgumentException("--epoch must be > 0: " + epoch);
            HeartbeatRequest hb = HeartbeatRequest.newBuilder().setCluster(broker.cluster)
                    .setBrokerName(broker.brokerName).setBrokerId(broker.brokerId).setBrokerAddr(broker.addr)
                    .setBrokerEpoch(epoch).build();
            long start = System.nanoTime();
            for (int i = 1; i <= k; i++) {
                if (i > 1) {
                    long wait = start + (i - 1) * m * 1_000_000L - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new Failure(RnsCli.EXIT_SERVER_ERROR,
                                    "error: interrupted after " + (i - 1) + " heartbeats");
                        }
                    }
                }
                Reply<HeartbeatResponse> reply = client.heartbeat(hb, options());
                HeartbeatResponse v = reply.value();
                output.emit(reply.meta(),
                        List.of("heartbeat " + i + "/" + k + " lease_ms="
                                + Integer.toUnsignedLong(v.getLeaseTimeoutMs()) + " heartbeat_interval_ms="
                                + Integer.toUnsignedLong(v.getHeartbeatIntervalMs())),
                        v);
            }
        }
    }

    @Command(name = "brokers", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "The leader's broker lease table, one line per broker (sorted by name, then id):",
            "lease cluster=<c> broker=<name> id=<n> addr=<host:port> epoch=<n> last_contact_age_ms=<n> "
                    + "lease_remaining_ms=<n> lease_timeout_ms=<n> flags=<suspect,expiring|->",
            "lease_remaining_ms < 0: expired, expiry pending. suspect: its connection closed, on the short "
                    + "suspect lease. expiring: an expiry is being replicated. Only the leader tracks leases; "
                    + "the request goes to the leader."})
    static final class Brokers extends ClientCommand {
        @Override
        void run(NamesrvClient client) {
            Reply<ListBrokerLeasesResponse> reply = client.listBrokerLeases(options());
            ListBrokerLeasesResponse v = reply.value();
            List<String> lines = new ArrayList<>();
            for (BrokerLease l : v.getLeasesList())
                lines.add(Lines.lease(l));
            if (lines.isEmpty())
                lines.add("(no leases)");
            output.emit(reply.meta(), lines, v);
        }
    }
}
