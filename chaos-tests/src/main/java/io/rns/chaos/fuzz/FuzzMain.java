package io.rns.chaos.fuzz;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/fuzz.sh}'s entry point: {@code FuzzMain --native h:p,... --rocketmq h:p,... --peer h:p,... --admin
 * h:p,... --frames N --seed S --seconds T [--threads K] [--idle M]}. Prints progress, the per-port figures and the
 * cluster check; exits 0 only if every frame budget was spent and the check passed.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> nat = List.of();
        List<String> rmq = List.of();
        List<String> peer = List.of();
        List<String> admin = List.of();
        long frames = 20_000;
        long seed = System.nanoTime();
        long seconds = 600;
        int threads = 2;
        int idle = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--native" -> nat = split(v);
                case "--rocketmq" -> rmq = split(v);
                case "--peer" -> peer = split(v);
                case "--admin" -> admin = split(v);
                case "--frames" -> frames = Long.parseLong(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--seconds" -> seconds = Long.parseLong(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--idle" -> idle = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (nat.isEmpty()) {
            throw new IllegalArgumentException("--native host:port,... is required (the check uses it)");
        }
        System.out.println("fuzz: seed " + seed + ", " + frames + " frames per port, " + threads + " senders per port, "
                + idle + " idle connections per port, at most " + seconds + " s");
        Fuzzer.Result r = Fuzzer
                .run(new Fuzzer.Config(addrs(nat), addrs(rmq), addrs(peer), frames, threads, idle, seed, seconds));
        System.out.println("fuzz: done: " + r.frames() + " frames; idle connections " + r.idleOpened() + " opened, "
                + r.idleClosedByServer() + " closed by the nodes meanwhile");
        r.ports().forEach(p -> System.out.println("  " + p));
        ClusterCheck.Verdict v = ClusterCheck.check(nat, admin, seed);
        v.lines().forEach(System.out::println);
        if (!r.finished()) {
            System.out.println("fuzz: the frame budget was not spent within " + seconds + " s");
        }
        System.exit(v.ok() && r.finished() ? 0 : 1);
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static List<InetSocketAddress> addrs(List<String> eps) {
        return eps.stream().map(e -> {
            int c = e.lastIndexOf(':');
            return new InetSocketAddress(e.substring(0, c), Integer.parseInt(e.substring(c + 1)));
        }).toList();
    }
}
