package io.rns.statemachine;

import io.rns.log.v1.BrokerQueue;
import io.rns.log.v1.ChangeWritePerm;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.TopicQueueConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A seeded random log over a small universe, so that records collide, conflict, move and get rejected. */
final class RandomLog {
    private RandomLog() {
    }

    static final String[] CLUSTERS = {"c1", "c2", "c3"};
    static final String[] NAMES = {"b1", "b2", "b3", "b4", "b5", "b6"};

    static List<LogEntry> generate(long seed, int n) {
        Random rnd = new Random(seed);
        Map<String, Long> epochs = new HashMap<>();
        List<Long> opened = new ArrayList<>();
        Map<Long, Long> seqs = new HashMap<>();
        List<LogEntry> log = new ArrayList<>(n);
        long index = 1;
        for (int i = 0; i < n; i++) {
            index += rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(3) : 1; // occasional gaps (config entries etc.)
            double p = rnd.nextDouble();
            LogRecord r;
            if (p < 0.45) {
                int nameIdx = rnd.nextInt(NAMES.length);
                String name = NAMES[nameIdx];
                String cluster = rnd.nextInt(10) < 8 ? CLUSTERS[nameIdx % CLUSTERS.length]
                        : CLUSTERS[rnd.nextInt(CLUSTERS.length)];
                long id = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
                RegisterBroker.Builder b = RegisterBroker.newBuilder().setCluster(cluster).setBrokerName(name)
                        .setBrokerId(id).setBrokerAddr(addr(rnd)).setHaServerAddr(rnd.nextBoolean() ? "" : addr(rnd))
                        .setDataVersionTimestamp(rnd.nextInt(3)).setDataVersionCounter(rnd.nextInt(3))
                        .setLeaseTimeoutMs(rnd.nextInt(2) * 30_000);
                int topics = rnd.nextInt(6);
                for (int t = 0; t < topics; t++) {
                    String topic = "T" + rnd.nextInt(40);
                    if (b.getTopicsList().stream().anyMatch(x -> x.getTopic().equals(topic))) {
                        continue;
                    }
                    b.addTopics(TopicQueueConfig.newBuilder().setTopic(topic).setReadQueueNums(1 + rnd.nextInt(4))
                            .setWriteQueueNums(1 + rnd.nextInt(4)).setPerm(rnd.nextInt(8))
                            .setTopicSysFlag(rnd.nextInt(2)));
                }
                r = Records.base().setLeaderTimeMs(Records.TIME + index).setRegisterBroker(b).build();
                epochs.put(name + "/" + id, index);
            } else if (p < 0.58) {
                String name = NAMES[rnd.nextInt(NAMES.length)];
                long id = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
                int e = rnd.nextInt(10);
                long epoch = e < 4 ? 0
                        : e < 8 ? epochs.getOrDefault(name + "/" + id, 0L) : 1 + rnd.nextInt((int) index);
                r = Records.unregister(name, id, rnd.nextInt(10) < 7 ? "" : addr(rnd), epoch);
            } else if (p < 0.67) {
                r = Records.deleteTopic("T" + rnd.nextInt(40),
                        rnd.nextBoolean() ? "" : CLUSTERS[rnd.nextInt(CLUSTERS.length)]);
            } else if (p < 0.78) {
                r = Records.putKv("ns" + rnd.nextInt(3), "k" + rnd.nextInt(10), "v" + rnd.nextInt(1000));
            } else if (p < 0.85) {
                r = Records.deleteKv("ns" + rnd.nextInt(3), "k" + rnd.nextInt(10));
            } else if (p < 0.90) {
                r = Records.changeWritePerm(NAMES[rnd.nextInt(NAMES.length)],
                        rnd.nextBoolean() ? ChangeWritePerm.Op.WIPE : ChangeWritePerm.Op.ADD);
            } else if (p < 0.95) {
                int count = 1 + rnd.nextInt(3);
                List<BrokerQueue> qs = new ArrayList<>();
                for (int q = 0; q < count; q++) {
                    String name = NAMES[rnd.nextInt(NAMES.length)];
                    if (qs.stream().noneMatch(x -> x.getBrokerName().equals(name))) {
                        qs.add(Records.queue(name, 1 + rnd.nextInt(4), 1 + rnd.nextInt(4), rnd.nextInt(8),
                                rnd.nextInt(4)));
                    }
                }
                r = Records.registerTopic("T" + rnd.nextInt(40), qs.toArray(new BrokerQueue[0]));
            } else {
                r = switch (rnd.nextInt(5)) {
                    case 3 -> Records.changeWritePerm("b1", ChangeWritePerm.Op.OP_UNSPECIFIED);
                    case 4 -> Records.registerTopic("T1");
                    case 0 -> Records.register("c1", "b1", 0, "10.0.0.1:10911", Records.topic("T1", -1, 1, 6));
                    case 1 -> Records.putKv("", "k", "v");
                    default -> Records.unregister("b1", -5, "", 0);
                };
            }
            if (rnd.nextInt(40) == 0) {
                // sessions: few and short (3-30 s at 100 ms per index) with a small cap, so they expire and fill up
                r = Records.openSession(3_000 + rnd.nextInt(27_000), 2 + rnd.nextInt(4));
                opened.add(index);
            } else if (!opened.isEmpty() && rnd.nextInt(3) == 0) {
                long sid = rnd.nextInt(12) == 0 ? 999_999 : opened.get(rnd.nextInt(opened.size()));
                long last = seqs.getOrDefault(sid, 0L);
                int k = rnd.nextInt(10);
                long seq = k < 6 ? last + 1 : k < 8 ? Math.max(1, last) : Math.max(1, last - 1 - rnd.nextInt(3));
                seqs.put(sid, Math.max(last, seq));
                r = Records.inSession(r, sid, seq, r.getLeaderTimeMs());
            }
            // leader time advances 100 ms per index, now and then stepping back (a new leader whose clock is behind)
            r = r.toBuilder().setLeaderTimeMs(Records.TIME + index * 100 - (rnd.nextInt(20) == 0 ? 3_000 : 0)).build();
            log.add(new LogEntry(index, r));
        }
        return log;
    }

    private static String addr(Random rnd) {
        return "10.0.0." + (1 + rnd.nextInt(8)) + ":10911";
    }
}
