package io.rns.chaos.runner;

import io.rns.chaos.history.HistoryRecorder;
import io.rns.chaos.hosts.Hosts;
import io.rns.chaos.hosts.HostsBuilder;
import io.rns.chaos.nemesis.FaultEvent;
import io.rns.chaos.nemesis.Nemesis;
import io.rns.chaos.nemesis.NemesisSchedule;
import io.rns.chaos.nemesis.RnsClusterView;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.TopicConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The part of a chaos run every workload shares: start the cluster and wait until it is usable (a leader in Raft
 * mode, every node answering in leaderless mode), start the history clock, run the workload threads beside the
 * seeded nemesis schedule, then the final heal, wait until the cluster is usable again, quiesce, and hand over for the
 * workload's final reads. The cluster is torn down whatever happens.
 */
final class ClusterRun {
    /** One workload thread's job; closed when it returns or throws. */
    interface Workload extends AutoCloseable {
        void run();

        @Override
        void close();
    }

    interface WorkloadFactory {
        Workload create(int index, List<String> endpoints, HistoryRecorder rec, long deadlineNanos);
    }

    interface AfterHeal<T> {
        T apply(Hosts hosts, List<String> endpoints, HistoryRecorder rec) throws Exception;
    }

    record Outcome<T>(HistoryRecorder recorder, List<FaultEvent> faults, T afterHeal) {
    }

    /**
     * Something that runs beside the workload for the whole run, not only until the workload deadline: started once
     * the history clock starts, closed after {@link AfterHeal} (or when the run fails). E.g. a poller of every node.
     */
    public interface Background {
        AutoCloseable start(Hosts hosts, List<String> endpoints, HistoryRecorder rec) throws Exception;
    }

    /** What a run needs beyond its workload. */
    record Spec(String mode, int nodes, long seed, List<Nemesis> nemeses, Duration duration, Duration faultWindow,
            Duration quietWindow, int workers, String threadPrefix) {
        boolean raft() {
            return mode.equals("raft");
        }
    }

    private ClusterRun() {
    }

    static <T> Outcome<T> run(HostsBuilder hostsBuilder, Path dir, Spec spec, WorkloadFactory factory,
            AfterHeal<T> afterHeal) throws Exception {
        return run(hostsBuilder, dir, spec, factory, null, afterHeal);
    }

    static <T> Outcome<T> run(HostsBuilder hostsBuilder, Path dir, Spec spec, WorkloadFactory factory,
            Background background, AfterHeal<T> afterHeal) throws Exception {
        try (Hosts hosts = hostsBuilder.build(); RnsClusterView view = new RnsClusterView(hosts)) {
            hosts.startAll();
            awaitUsable(view, hosts, spec, dir, false);
            HistoryRecorder rec = new HistoryRecorder(); // time 0 = the cluster is up and the workload starts
            List<String> endpoints = hosts.clientAddresses();
            try (AutoCloseable bg = background == null ? () -> {
            } : background.start(hosts, endpoints, rec)) {
                return runStarted(hosts, view, dir, spec, factory, afterHeal, rec, endpoints);
            }
        }
    }

    private static <T> Outcome<T> runStarted(Hosts hosts, RnsClusterView view, Path dir, Spec spec,
            WorkloadFactory factory, AfterHeal<T> afterHeal, HistoryRecorder rec, List<String> endpoints)
            throws Exception {
        long deadline = System.nanoTime() + spec.duration().toNanos();
        NemesisSchedule schedule = NemesisSchedule.builder().seed(spec.seed()).nemeses(spec.nemeses())
                .quiet(spec.quietWindow()).fault(spec.faultWindow()).duration(spec.duration()).origin(rec.startNanos())
                .listener((name, phase, detail, nanos) -> rec.nemesis(name + ":" + phase, detail)).build();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashes = new CopyOnWriteArrayList<>();
        for (int w = 0; w < spec.workers(); w++) {
            Workload workload = factory.create(w, endpoints, rec, deadline);
            Thread t = new Thread(() -> {
                try (workload) {
                    workload.run();
                } catch (Throwable e) {
                    crashes.add(e);
                }
            }, spec.threadPrefix() + w);
            t.start();
            threads.add(t);
        }
        schedule.run(hosts, view);
        for (Thread t : threads) {
            t.join(spec.duration().toMillis() + 60_000);
        }
        if (!crashes.isEmpty()) {
            throw new IllegalStateException("a workload thread crashed", crashes.get(0));
        }
        rec.nemesis("final-heal:start", NemesisSchedule.finalHeal(hosts));
        awaitUsable(view, hosts, spec, dir, true);
        Thread.sleep(3000); // quiesce
        T after = afterHeal.apply(hosts, endpoints, rec);
        return new Outcome<>(rec, schedule.events(), after);
    }

    /** Raft: a leader (after the final heal: one every node agrees on). Leaderless: every node answers status. */
    private static void awaitUsable(RnsClusterView view, Hosts hosts, Spec spec, Path dir, boolean healed)
            throws InterruptedException {
        if (spec.raft()) {
            if (healed) {
                view.awaitAgreement(Duration.ofSeconds(60), new HashSet<>(hosts.ids())).orElseThrow(
                        () -> new IllegalStateException("nodes did not agree on a leader after the final heal (now: "
                                + view.describe() + "); see " + dir));
            } else {
                view.awaitLeader(Duration.ofSeconds(60))
                        .orElseThrow(() -> new IllegalStateException("no leader within 60 s; see " + dir));
            }
            return;
        }
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (view.statuses().size() < spec.nodes()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not every node answered status within 60 s; see " + dir);
            }
            Thread.sleep(100);
        }
    }

    /**
     * The set workloads' registration: broker {@code name} at {@code addr} (unique per write, the checker's value)
     * serving one topic with 4/4 queues, under a lease long enough that no expiry happens during a run.
     */
    static RegisterBrokerRequest oneTopicBroker(String cluster, String name, String addr, String topic) {
        return RegisterBrokerRequest.newBuilder().setCluster(cluster).setBrokerName(name).setBrokerId(0)
                .setBrokerAddr(addr).setLeaseTimeoutMs(300_000)
                .addTopics(TopicConfig.newBuilder().setTopic(topic).setReadQueueNums(4).setWriteQueueNums(4).setPerm(6))
                .build();
    }
}
