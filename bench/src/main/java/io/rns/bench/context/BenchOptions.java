package io.rns.bench.context;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Knobs of one run. {@link #smoke()} shrinks every scenario to a few seconds (CI: it must run, not measure).
 *
 * @param measureS      measured window per load cell (seconds)
 * @param warmupS       warm-up per load cell (seconds, not recorded)
 * @param readClients   concurrent clients for the route-read sweep
 * @param regClients    concurrent clients for re-registrations / 1,000-topic registrations
 * @param smallRegClients concurrent clients for small registrations
 * @param failoverTrials SIGKILL trials (graceful restarts: half, at least 1)
 * @param detectTimeoutMs broker-failure detection timeout for both servers; 0 = each server's default
 *                        (stock: 120 s broker channel expiry; RNS: its 10 s default lease)
 * @param scaleTopics   route-table sizes for the scale scenario
 * @param maxSingleBrokerTopics the largest single-broker registration tried
 * @param rnsConfig     extra RNS node settings (rns.properties keys) for every RNS cluster the run starts, e.g. to
 *                      compare two settings of one build (--rns-config)
 * @param repeat        how many times each load cell of the reads and registrations scenarios runs, the targets
 *                      interleaved; tables give the median and the spread (--repeat)
 */
public record BenchOptions(Path root, Path out, boolean smoke, double measureS, double warmupS,
        List<Integer> readClients, List<Integer> regClients, List<Integer> smallRegClients, int failoverTrials,
        long detectTimeoutMs, List<Integer> scaleTopics, int maxSingleBrokerTopics, int rnsNodes, String rnsHeap,
        String stockHeap, String stockClasspath, Map<String, String> rnsConfig, int repeat) {

    public static BenchOptions defaults(Path root, Path out, String stockClasspath) {
        return new BenchOptions(root, out, false, 4, 1, List.of(1, 4, 16, 64), List.of(16), List.of(16, 128), 5, 0,
                List.of(10_000, 100_000), 160_000, 3, "1g", "1g", stockClasspath, Map.of(), 1);
    }

    public BenchOptions asSmoke() {
        return new BenchOptions(root, out, true, 1, 0.3, List.of(1, 4), List.of(2), List.of(4), 1, 2000, List.of(2_000),
                4_000, rnsNodes, "384m", "384m", stockClasspath, rnsConfig, 1);
    }

    public BenchOptions withMeasure(double s) {
        return new BenchOptions(root, out, smoke, s, warmupS, readClients, regClients, smallRegClients, failoverTrials,
                detectTimeoutMs, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap, stockClasspath,
                rnsConfig, repeat);
    }

    public BenchOptions withScaleTopics(List<Integer> t) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, readClients, regClients, smallRegClients,
                failoverTrials, detectTimeoutMs, t, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap, stockClasspath,
                rnsConfig, repeat);
    }

    public BenchOptions withReadClients(List<Integer> c) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, c, regClients, smallRegClients, failoverTrials,
                detectTimeoutMs, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap, stockClasspath,
                rnsConfig, repeat);
    }

    public BenchOptions withFailoverTrials(int n) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, readClients, regClients, smallRegClients, n,
                detectTimeoutMs, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap, stockClasspath,
                rnsConfig, repeat);
    }

    public BenchOptions withDetectTimeoutMs(long ms) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, readClients, regClients, smallRegClients,
                failoverTrials, ms, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap, stockClasspath,
                rnsConfig, repeat);
    }

    public BenchOptions withRepeat(int n) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, readClients, regClients, smallRegClients,
                failoverTrials, detectTimeoutMs, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap,
                stockClasspath, rnsConfig, n);
    }

    public BenchOptions withRnsConfig(Map<String, String> c) {
        return new BenchOptions(root, out, smoke, measureS, warmupS, readClients, regClients, smallRegClients,
                failoverTrials, detectTimeoutMs, scaleTopics, maxSingleBrokerTopics, rnsNodes, rnsHeap, stockHeap,
                stockClasspath, Map.copyOf(c), repeat);
    }
}
