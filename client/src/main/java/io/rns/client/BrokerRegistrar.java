package io.rns.client;

import io.rns.rpc.transport.DaemonThreads;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.HeartbeatResponse;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RegisterBrokerResponse;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static io.rns.client.RegistrarRequests.who;

/**
 * The broker side of broker liveness: registers a broker, keeps its lease alive with heartbeats and unregisters it
 * on {@link #close()}.
 *
 * <pre>{@code
 * try (BrokerRegistrar r = BrokerRegistrar.builder(client, registration).listener(l).build()) {
 *     r.start();            // registers synchronously; throws NamesrvException if that fails
 *     ...                   // heartbeats run in the background
 * }                         // stops heartbeating, unregisters (best effort)
 * }</pre>
 *
 * <ul>
 *   <li>{@link #start()} registers with {@code bind_connection = true} (whatever the given registration says), then
 *       heartbeats every interval with the current broker epoch (also with {@code bind_connection = true}).</li>
 *   <li>A heartbeat answered STALE_BROKER_EPOCH (someone registered the broker since) or UNKNOWN_BROKER (its lease
 *       expired, or it was unregistered) makes the registrar re-register once (with the full registration, topics
 *       included) and go on heartbeating the new epoch. If that re-registration fails, it is reported as a heartbeat
 *       failure and the next heartbeat tries again.</li>
 *   <li>Any other failure is counted ({@link Stats#heartbeatFailures()}), logged, reported to
 *       {@link Listener#heartbeatFailed}, and heartbeating goes on at the same interval. Each heartbeat is one
 *       {@link NamesrvClient#heartbeat} call, so it is retried and bounded by the client's own retry policy and
 *       overall timeout; a client whose overall timeout is well below the lease keeps a failing call from eating
 *       the lease.</li>
 *   <li>Heartbeats start at a fixed rate (a slow heartbeat delays the next one but never causes a burst); the
 *       interval is {@link Builder#heartbeatInterval} if given, else the one the server asks for
 *       ({@code heartbeat_interval_ms} of the last register or heartbeat answer), else 2 s.</li>
 * </ul>
 *
 * <p><b>Leaderless mode</b> (the client's {@link NamesrvClient#mode()} is {@link ClusterMode#LEADERLESS} at
 * {@link #start()}), as a RocketMQ broker does with its NameServers:
 * <ul>
 *   <li>{@link #start()} registers with every node in parallel ({@code bind_connection = true}); it succeeds if at
 *       least one node accepted (throws, listing every node's error, if none did). Each node assigns its own epoch:
 *       the registrar keeps one per endpoint ({@link #epochs()}). A node that failed is registered with at the next
 *       heartbeat round.</li>
 *   <li>Each round heartbeats every node in parallel, each with <em>that node's</em> epoch. STALE_BROKER_EPOCH or
 *       UNKNOWN_BROKER from a node (it restarted empty, or expired the broker by its own clock) re-registers with
 *       <em>that node only</em>; the others are not touched. Any other failure of a node is reported per node as
 *       above, and heartbeating goes on.</li>
 *   <li>{@link #updateTopics} re-registers with every node; {@link #close()} unregisters from every node with each
 *       node's epoch, in parallel.</li>
 *   <li>{@link #epoch()} is the epoch of the client's <em>first</em> endpoint (0 if it is not registered there);
 *       {@link Listener#reRegistered(String, long, String)} names the node.</li>
 * </ul>
 * In RAFT mode {@link #epochs()} is empty: the cluster has one epoch, {@link #epoch()}.
 *
 * <p>Thread-safe. Heartbeats run on the scheduler's thread and block it for the duration of a call, so a shared
 * scheduler should have a thread to spare. Listener callbacks run on the calling thread (start, updateTopics,
 * close) or the scheduler thread (heartbeat events); exceptions they throw are logged and ignored.
 */
public final class BrokerRegistrar implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerRegistrar.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Events of a registrar; every method has an empty default. */
    public interface Listener {
        /** The first registration ({@link #start()}) succeeded with this epoch. */
        default void registered(long epoch) {
        }

        /**
         * A later registration succeeded: after STALE_BROKER_EPOCH or UNKNOWN_BROKER (reason names the code), or for
         * {@link #updateTopics} (reason {@code "topics updated"}).
         */
        default void reRegistered(long epoch, String reason) {
        }

        /**
         * Leaderless mode: a later registration with one node succeeded (reason: STALE_BROKER_EPOCH, UNKNOWN_BROKER,
         * NOT_REGISTERED for a node the registrar had no registration with, or "topics updated" per node). By
         * default calls {@link #reRegistered(long, String)} with that node's epoch.
         */
        default void reRegistered(String endpoint, long epoch, String reason) {
            reRegistered(epoch, reason);
        }

        /** A heartbeat (or the re-registration it triggered) failed; heartbeating goes on. */
        default void heartbeatFailed(NamesrvException e) {
        }

        /** {@link #close()} finished (after the unregister attempt, if the registrar was started). */
        default void closed() {
        }
    }

    private enum State {
        NEW, RUNNING, CLOSED
    }

    private final NamesrvClient client;
    private final Duration fixedInterval;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final Listener listener;

    /** Guards state, registration and scheduling; never held during a heartbeat call. */
    private final Object lock = new Object();

    private State state = State.NEW;
    private RegisterBrokerRequest registration;
    private ScheduledFuture<?> nextTick;
    private long nextStartNanos;

    private volatile long epoch;
    /** Leaderless mode (decided at start): endpoint -> that node's epoch (0 = not registered there); under lock. */
    private boolean leaderless;

    private final Map<String, Long> epochs = new LinkedHashMap<>();
    private volatile long serverIntervalMs;
    private final AtomicLong heartbeatsSent = new AtomicLong();
    private final AtomicLong heartbeatFailures = new AtomicLong();
    private final AtomicLong reRegistrations = new AtomicLong();

    private BrokerRegistrar(Builder b) {
        this.client = b.client;
        this.registration = b.registration.toBuilder().setBindConnection(true).build();
        this.fixedInterval = b.heartbeatInterval;
        this.listener = b.listener != null ? b.listener : new Listener() {
        };
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownScheduler = false;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                    DaemonThreads.named("rns-broker-registrar-" + THREAD_IDS.incrementAndGet()));
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            this.ownScheduler = true;
        }
    }

    /**
     * @param client       the client to use; the registrar does not close it
     * @param registration the broker and its topics; {@code bind_connection} is forced to true, {@code lease_timeout_ms}
     *                     is sent as given (0 = the server's default lease)
     */
    public static Builder builder(NamesrvClient client, RegisterBrokerRequest registration) {
        return new Builder(client, registration);
    }

    /**
     * Registers (synchronously) and starts heartbeating.
     *
     * @throws NamesrvException      if the registration fails; the registrar may then be started again
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        long e;
        synchronized (lock) {
            if (state != State.NEW)
                throw new IllegalStateException("BrokerRegistrar is " + state.name().toLowerCase());
            leaderless = client.mode() == ClusterMode.LEADERLESS;
            e = leaderless ? registerAll() : register();
            state = State.RUNNING;
            nextStartNanos = System.nanoTime() + intervalNanos();
            schedule();
        }
        log.info("broker {} registered with epoch {}{}; heartbeating every {} ms", who(registration), e,
                leaderless ? " (leaderless, per node: " + epochs() + ")" : "",
                TimeUnit.NANOSECONDS.toMillis(intervalNanos()));
        notify(() -> listener.registered(e));
    }

    /**
     * Replaces the topic list of the registration and re-registers now. The server merges a registration's topics
     * into the broker's existing ones, so a topic left out is not removed (delete it explicitly).
     *
     * @throws NamesrvException      if the re-registration fails (the new list is kept and sent with the next one)
     * @throws IllegalStateException if not running
     */
    public void updateTopics(List<TopicConfig> topics) {
        Objects.requireNonNull(topics, "topics");
        long e;
        synchronized (lock) {
            if (state != State.RUNNING)
                throw new IllegalStateException("BrokerRegistrar is " + state.name().toLowerCase());
            registration = registration.toBuilder().clearTopics().addAllTopics(topics).build();
            if (leaderless) {
                try {
                    e = registerAll();
                } catch (NamesrvException ex) {
                    epochs.replaceAll((ep, old) -> 0L); // every node gets the new list at the next round
                    epoch = 0;
                    throw ex;
                }
            } else {
                e = register();
            }
            reRegistrations.incrementAndGet();
        }
        notify(() -> listener.reRegistered(e, "topics updated"));
    }

    /**
     * Stops heartbeating and, if the registrar was started, unregisters with the current epoch (one client call,
     * bounded by the client's overall timeout; a failure is logged, not thrown). Idempotent.
     */
    @Override
    public void close() {
        boolean wasRunning;
        synchronized (lock) {
            if (state == State.CLOSED)
                return;
            wasRunning = state == State.RUNNING;
            state = State.CLOSED;
            if (nextTick != null)
                nextTick.cancel(false);
        }
        if (ownScheduler)
            scheduler.shutdown(); // a heartbeat in flight finishes; it sees CLOSED and stops
        if (wasRunning && leaderless) {
            RegisterBrokerRequest r;
            Map<String, Long> current;
            synchronized (lock) {
                r = registration;
                current = new LinkedHashMap<>(epochs);
            }
            Unregistration.fromEachNode(client, r, current);
        } else if (wasRunning) {
            Unregistration.fromTheCluster(client, registration, epoch);
        }
        notify(listener::closed);
    }

    /**
     * The current broker epoch (0 before the first registration). Leaderless mode: the epoch of the client's first
     * endpoint (0 if the broker is not registered there); see {@link #epochs()}.
     */
    public long epoch() {
        return epoch;
    }

    /**
     * Leaderless mode: every endpoint's epoch for this broker, in the client's endpoint order (0 = not registered
     * with that node, e.g. it was down; the next round registers). RAFT mode (or before start): empty.
     */
    public Map<String, Long> epochs() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(epochs));
        }
    }
    /**
     * What the registrar has done since it was built.
     *
     * @param heartbeatsSent    heartbeat calls made (whatever their outcome; leaderless mode: one per node per round)
     * @param heartbeatFailures heartbeats that failed other than with STALE_BROKER_EPOCH / UNKNOWN_BROKER, plus failed
     *                          re-registrations
     * @param reRegistrations   successful registrations after the first (after STALE_BROKER_EPOCH, UNKNOWN_BROKER, or
     *                          updateTopics)
     */
    public record Stats(long heartbeatsSent, long heartbeatFailures, long reRegistrations) {
    }

    public Stats stats() {
        return new Stats(heartbeatsSent.get(), heartbeatFailures.get(), reRegistrations.get());
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Caller holds the lock. */
    private long register() {
        RegisterBrokerResponse resp = client.registerBroker(registration).value();
        noteServerInterval(resp.getHeartbeatIntervalMs());
        epoch = resp.getBrokerEpoch();
        return epoch;
    }

    /**
     * Leaderless, caller holds the lock: registers with every node in parallel (the client fans out); records each
     * node's epoch (0 where it failed). Throws if every node failed.
     */
    private long registerAll() {
        Reply<RegisterBrokerResponse> reply = client.registerBroker(registration);
        for (String ep : client.endpoints()) {
            Reply.Outcome<RegisterBrokerResponse> o = reply.perEndpoint().get(ep);
            if (o != null && o.ok()) {
                RegisterBrokerResponse resp = o.reply().value();
                noteServerInterval(resp.getHeartbeatIntervalMs());
                epochs.put(ep, resp.getBrokerEpoch());
            } else {
                epochs.put(ep, 0L);
                log.warn("broker {}: registration with {} failed (retried at the next heartbeat round): {}",
                        who(registration), ep, o == null ? "no answer" : o.error().getMessage());
            }
        }
        epoch = firstEpoch();
        return epoch;
    }

    /** Caller holds the lock. */
    private long firstEpoch() {
        return epochs.getOrDefault(client.endpoints().get(0), 0L);
    }

    /** The interval the server asks for in a register or heartbeat answer (0 = none). */
    private void noteServerInterval(int ms) {
        if (ms > 0)
            serverIntervalMs = ms;
    }

    private long intervalNanos() {
        if (fixedInterval != null)
            return fixedInterval.toNanos();
        long ms = serverIntervalMs;
        return ms > 0 ? TimeUnit.MILLISECONDS.toNanos(ms) : DEFAULT_INTERVAL.toNanos();
    }

    /** Caller holds the lock. Schedules the next tick at nextStartNanos (or now, if that has passed). */
    private void schedule() {
        long delay = Math.max(0, nextStartNanos - System.nanoTime());
        try {
            nextTick = scheduler.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.error("broker {}: heartbeats STOPPED: the scheduler rejected the next heartbeat (shut down?); "
                    + "the broker's lease will expire", who(registration), e);
        }
    }

    private void tick() {
        try {
            heartbeatOnce();
        } catch (Throwable t) {
            log.error("broker heartbeat failed unexpectedly; heartbeating goes on", t);
        } finally {
            synchronized (lock) {
                if (state == State.RUNNING) {
                    long interval = intervalNanos();
                    nextStartNanos = Math.max(nextStartNanos + interval, System.nanoTime());
                    schedule();
                }
            }
        }
    }

    private void heartbeatOnce() {
        if (leaderless) {
            heartbeatEveryNode();
            return;
        }
        RegisterBrokerRequest r;
        long used;
        synchronized (lock) {
            if (state != State.RUNNING)
                return;
            r = registration;
            used = epoch;
        }
        HeartbeatRequest hb = RegistrarRequests.heartbeat(r, used, heartbeatsSent.incrementAndGet());
        NamesrvException failure;
        try {
            HeartbeatResponse resp = client.heartbeat(hb).value();
            noteServerInterval(resp.getHeartbeatIntervalMs());
            return;
        } catch (NamesrvException e) {
            failure = e;
        } catch (IllegalStateException e) {
            if (isClosed())
                return; // interrupted or client closed by our own close()
            failure = RegistrarRequests.connectionLost(e, null);
        }
        if (RegistrarRequests.needsReRegistration(failure)) {
            reRegister(used, failure.code(), failure);
            return;
        }
        fail(failure);
    }

    /** Leaderless: one round, every node in parallel with its own epoch; re-registers per node where needed. */
    private void heartbeatEveryNode() {
        RegisterBrokerRequest r;
        Map<String, Long> used;
        synchronized (lock) {
            if (state != State.RUNNING)
                return;
            r = registration;
            used = new LinkedHashMap<>(epochs);
        }
        Map<String, CompletableFuture<Reply<HeartbeatResponse>>> calls = RegistrarRequests.toEachRegisteredNode(used,
                (ep, e) -> {
                    long sequence = heartbeatsSent.incrementAndGet();
                    return client.engine().callNodeAsync(
                            RequestEnvelope.newBuilder().setHeartbeat(RegistrarRequests.heartbeat(r, e, sequence)), ep,
                            false, ResponseEnvelope.BodyCase.HEARTBEAT, ResponseEnvelope::getHeartbeat);
                });
        CompletableFuture
                .allOf(calls.values().stream().map(f -> f.handle((v, x) -> null)).toArray(CompletableFuture[]::new))
                .join();
        for (Map.Entry<String, Long> u : used.entrySet()) {
            String ep = u.getKey();
            long e = u.getValue();
            if (isClosed())
                return;
            if (e == 0) {
                reRegisterWith(ep, 0, "NOT_REGISTERED", null);
                continue;
            }
            NamesrvException failure;
            try {
                HeartbeatResponse resp = calls.get(ep).join().value();
                noteServerInterval(resp.getHeartbeatIntervalMs());
                continue;
            } catch (CompletionException | CancellationException ex) {
                Throwable t = Replies.unwrap(ex);
                if (t instanceof NamesrvException ne) {
                    failure = ne;
                } else {
                    if (isClosed())
                        return;
                    failure = RegistrarRequests.connectionLost(t, ep);
                }
            }
            if (RegistrarRequests.needsReRegistration(failure)) {
                reRegisterWith(ep, e, failure.code().name(), failure);
            } else {
                fail(failure);
            }
        }
    }

    /** Leaderless: re-registers with node {@code ep} only, if its epoch is still {@code usedEpoch}. */
    private void reRegisterWith(String ep, long usedEpoch, String reason, NamesrvException cause) {
        OptionalLong e = reRegisterIfStill(() -> epochs.getOrDefault(ep, 0L) == usedEpoch, // else: already re-registered since
                () -> {
                    if (cause != null) {
                        log.info(
                                "broker {}: heartbeat to {} with epoch {} answered {} ({}); re-registering with that node",
                                who(registration), ep, usedEpoch, reason, cause.detail());
                    }
                }, () -> registerWith(ep));
        if (e.isEmpty())
            return;
        long newEpoch = e.getAsLong();
        log.info("broker {} re-registered with {}: epoch {}", who(registration), ep, newEpoch);
        notify(() -> listener.reRegistered(ep, newEpoch, reason));
    }

    /** Leaderless, caller holds the lock: registers with node {@code ep} only and records its epoch there. */
    private long registerWith(String ep) {
        RegisterBrokerResponse resp = client.registerBroker(registration, CallOptions.DEFAULT.withNode(ep)).value();
        noteServerInterval(resp.getHeartbeatIntervalMs());
        long e = resp.getBrokerEpoch();
        epochs.put(ep, e);
        epoch = firstEpoch();
        return e;
    }

    /**
     * Under the lock: if running and {@code stillStale} holds (nobody re-registered since the heartbeat), logs why
     * and registers once. A failure is reported with {@link #fail}. The new epoch, or empty if nothing was done or
     * the registration failed.
     */
    private OptionalLong reRegisterIfStill(BooleanSupplier stillStale, Runnable logWhy, LongSupplier registerOnce) {
        long e;
        NamesrvException failed = null;
        synchronized (lock) {
            if (state != State.RUNNING || !stillStale.getAsBoolean())
                return OptionalLong.empty();
            logWhy.run();
            try {
                e = registerOnce.getAsLong();
                reRegistrations.incrementAndGet();
            } catch (NamesrvException ex) {
                e = -1;
                failed = ex;
            }
        }
        if (failed != null) {
            fail(failed);
            return OptionalLong.empty();
        }
        return OptionalLong.of(e);
    }

    private void reRegister(long usedEpoch, ErrorCode reason, NamesrvException cause) {
        OptionalLong e = reRegisterIfStill(() -> epoch == usedEpoch, // else: already re-registered since this heartbeat was sent
                () -> log.info("broker {}: heartbeat with epoch {} answered {} ({}); re-registering", who(registration),
                        usedEpoch, reason, cause.detail()),
                this::register);
        if (e.isEmpty())
            return;
        long newEpoch = e.getAsLong();
        log.info("broker {} re-registered with epoch {}", who(registration), newEpoch);
        notify(() -> listener.reRegistered(newEpoch, reason.name()));
    }

    private void fail(NamesrvException e) {
        long n = heartbeatFailures.incrementAndGet();
        log.warn("broker {}: heartbeat failed ({} failures so far): {}", who(registration), n, e.getMessage());
        notify(() -> listener.heartbeatFailed(e));
    }

    private boolean isClosed() {
        synchronized (lock) {
            return state == State.CLOSED;
        }
    }

    private static void notify(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            log.warn("BrokerRegistrar listener threw; ignored", t);
        }
    }

    /** Builds a {@link BrokerRegistrar}; {@link #build()} validates. */
    public static final class Builder {
        private final NamesrvClient client;
        private final RegisterBrokerRequest registration;
        private Duration heartbeatInterval;
        private ScheduledExecutorService scheduler;
        private Listener listener;

        private Builder(NamesrvClient client, RegisterBrokerRequest registration) {
            this.client = Objects.requireNonNull(client, "client");
            this.registration = Objects.requireNonNull(registration, "registration");
        }

        /** Fixed heartbeat interval; default: what the server asks for ({@code heartbeat_interval_ms}), else 2 s. */
        public Builder heartbeatInterval(Duration d) {
            this.heartbeatInterval = d;
            return this;
        }

        /** Where heartbeats run; not shut down by the registrar. Default: an own single daemon thread. */
        public Builder scheduler(ScheduledExecutorService s) {
            this.scheduler = s;
            return this;
        }

        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting */
        public BrokerRegistrar build() {
            if (heartbeatInterval != null && (heartbeatInterval.isNegative() || heartbeatInterval.isZero())) {
                throw new IllegalArgumentException("heartbeatInterval must be > 0: " + heartbeatInterval);
            }
            if (registration.getBrokerName().isEmpty()) {
                throw new IllegalArgumentException("registration.broker_name must not be empty");
            }
            return new BrokerRegistrar(this);
        }
    }
}
