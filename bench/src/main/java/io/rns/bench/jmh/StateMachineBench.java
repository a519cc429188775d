package io.rns.bench.jmh;

import io.rns.bench.infra.Procs;
import io.rns.log.v1.LogRecord;
import io.rns.log.v1.RegisterBroker;
import io.rns.log.v1.TopicQueueConfig;
import io.rns.statemachine.LogEntry;
import io.rns.statemachine.LogRecords;
import io.rns.statemachine.RouteImage;
import io.rns.statemachine.RouteStateMachine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Microbenchmarks of the state machine (no Raft, no network): applying a changed registration (RocksDB WriteBatch,
 * new immutable image) into a table of {@code topics} topics, a batch of 64 small registrations, and the route
 * lookups the read path does on an image ({@code route(topic)}, {@code topicsOfCluster}).
 * Run: {@code scripts/bench.sh --jmh} (or java -cp ... org.openjdk.jmh.Main StateMachineBench).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StateMachineBench {
    static final int TOPICS_PER_BROKER = 100;

    @Param({"10000", "100000"})
    public int topics;

    Path dir;
    RouteStateMachine sm;
    RouteImage image;
    long index;
    long flip;
    String[] names;
    List<LogEntry> batch;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("rns-jmh-sm");
        sm = RouteStateMachine.open(dir.resolve("store"));
        int brokers = Math.max(1, topics / TOPICS_PER_BROKER);
        List<LogEntry> load = new ArrayList<>();
        for (int b = 0; b < brokers; b++) {
            load.add(new LogEntry(++index, register("b" + b, TOPICS_PER_BROKER, 4)));
            if (load.size() == 100) {
                sm.applyBatch(load);
                load = new ArrayList<>();
            }
        }
        if (!load.isEmpty())
            sm.applyBatch(load);
        image = sm.image();
        names = new String[1024];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < names.length; i++)
            names[i] = "b" + rnd.nextInt(brokers) + "-t" + rnd.nextInt(TOPICS_PER_BROKER);
    }

    static LogRecord register(String broker, int topics, int writeQueues) {
        RegisterBroker.Builder r = RegisterBroker.newBuilder().setCluster("C").setBrokerName(broker).setBrokerId(0)
                .setBrokerAddr("127.0.0.1:10911").setHaServerAddr("127.0.0.1:10912").setDataVersionTimestamp(1)
                .setDataVersionCounter(writeQueues);
        for (int i = 0; i < topics; i++) {
            r.addTopics(TopicQueueConfig.newBuilder().setTopic(broker + "-t" + i).setReadQueueNums(4)
                    .setWriteQueueNums(writeQueues).setPerm(6));
        }
        return LogRecord.newBuilder().setFormatVersion(LogRecords.CURRENT_FORMAT_VERSION).setLeaderTimeMs(1)
                .setRegisterBroker(r).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sm.close();
        Procs.deleteTree(dir);
    }

    /** One changed registration of a 100-topic broker (write queues flip 4 <-> 8) into the loaded table. */
    @Benchmark
    public Object applyChangedRegistration100Topics() {
        flip++;
        return sm.apply(new LogEntry(++index, register("b0", TOPICS_PER_BROKER, flip % 2 == 0 ? 4 : 8)));
    }

    /**
     * One changed registration of a 1,000-topic broker (write queues flip 4 <-> 8, so all 1,000 topics change) into
     * the loaded table: the shape of a big broker's registration, and what loading a large table is made of. With
     * {@code -p topics=1000000} this shows whether a change costs O(changed) or O(table).
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object applyChangedRegistration1000Topics() {
        flip++;
        return sm.apply(new LogEntry(++index, register("big", 1000, flip % 2 == 0 ? 4 : 8)));
    }

    /** A batch of 64 changed 2-topic registrations of distinct small brokers (one WriteBatch, one image). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object applyBatchOf64SmallRegistrations() {
        flip++;
        List<LogEntry> b = new ArrayList<>(64);
        for (int i = 0; i < 64; i++)
            b.add(new LogEntry(++index, register("small" + i, 2, flip % 2 == 0 ? 4 : 8)));
        return sm.applyBatch(b);
    }

    /** route(topic) on an immutable image: what every route read does after its barrier. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void routeLookup(Blackhole bh) {
        flip++;
        bh.consume(image.route(names[(int) (flip & 1023)]));
    }

    /** topicsOfCluster: scans every topic (O(topics)). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object topicsOfCluster() {
        return image.topicsOfCluster("C");
    }
}
