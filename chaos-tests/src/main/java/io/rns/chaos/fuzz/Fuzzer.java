package io.rns.chaos.fuzz;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fuzz run against a running cluster: idle connections held open on every port, then {@code framesPerPort} frames
 * to each port kind that has addresses, {@code threadsPerPort} senders each, all ports at once, bounded by
 * {@code seconds}; progress every 5 s. The check of the cluster afterwards is {@link ClusterCheck}.
 */
public final class Fuzzer {
    /** What to fuzz and how much; empty address lists skip that port. */
    public record Config(List<InetSocketAddress> nativePorts, List<InetSocketAddress> rocketmqPorts,
            List<InetSocketAddress> peerPorts, long framesPerPort, int threadsPerPort, int idleConnectionsPerPort,
            long seed, long seconds) {
    }

    /** Per port: what was sent; and how many idle connections were open and how many the nodes had closed. */
    public record Result(List<String> ports, long frames, long idleOpened, long idleClosedByServer, boolean finished) {
    }

    private Fuzzer() {
    }

    public static Result run(Config c) throws InterruptedException {
        Random seeds = new Random(c.seed());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(c.seconds());
        List<PortStats> stats = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<AtomicLong> budgets = new ArrayList<>();
        List<Socket> idle = new ArrayList<>();
        long idleClosed = 0;
        try {
            openIdle(c.nativePorts(), c.idleConnectionsPerPort(), idle);
            openIdle(c.rocketmqPorts(), c.idleConnectionsPerPort(), idle);
            openIdle(c.peerPorts(), c.idleConnectionsPerPort(), idle);
            System.out.println("fuzz: " + idle.size() + " idle connections open");
            start("native", c.nativePorts(), NativeFrames::new, c, seeds, deadline, stats, threads, budgets);
            start("rocketmq", c.rocketmqPorts(), RocketmqFrames::new, c, seeds, deadline, stats, threads, budgets);
            start("peer", c.peerPorts(), PeerFrames::new, c, seeds, deadline, stats, threads, budgets);
            long started = System.nanoTime();
            while (threads.stream().anyMatch(Thread::isAlive)) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                for (Thread t : threads) {
                    long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    if (left > 0) {
                        t.join(left);
                    }
                }
                System.out.printf("fuzz: %ds%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                stats.forEach(s -> System.out.println("  " + s));
            }
            for (Socket s : idle) {
                if (closedByPeer(s)) {
                    idleClosed++;
                }
            }
        } finally {
            for (Socket s : idle) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a socket we opened
                }
            }
        }
        long frames = stats.stream().mapToLong(s -> s.frames.sum()).sum();
        boolean finished = budgets.stream().allMatch(b -> b.get() <= 0);
        return new Result(stats.stream().map(PortStats::toString).toList(), frames, idle.size(), idleClosed, finished);
    }

    private interface Source {
        FrameSource create();
    }

    private static void start(String name, List<InetSocketAddress> targets, Source source, Config c, Random seeds,
            long deadline, List<PortStats> stats, List<Thread> threads, List<AtomicLong> budgets) {
        if (targets.isEmpty()) {
            return;
        }
        PortStats st = new PortStats(name);
        stats.add(st);
        AtomicLong budget = new AtomicLong(c.framesPerPort());
        budgets.add(budget);
        for (int i = 0; i < c.threadsPerPort(); i++) {
            long seed = seeds.nextLong();
            Thread t = new Thread(new PortFuzzer(targets, source.create(), seed, budget, deadline, st),
                    "fuzz-" + name + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private static void openIdle(List<InetSocketAddress> targets, int n, List<Socket> into) {
        for (int i = 0; i < n && !targets.isEmpty(); i++) {
            Socket s = new Socket();
            try {
                s.connect(targets.get(i % targets.size()), 2000);
                into.add(s);
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // never connected
                }
                System.out.println("fuzz: idle connection " + i + " to " + targets.get(i % targets.size())
                        + " refused: " + e.getMessage());
            }
        }
    }

    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }
}
