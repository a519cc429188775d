package io.rns.client;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.HeartbeatRequest;
import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.UnregisterBrokerRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** What {@link BrokerRegistrar} sends, built from its registration, and how it reads a failed heartbeat. */
final class RegistrarRequests {
    private RegistrarRequests() {
    }

    /**
     * Heartbeat number {@code sequence} of the registered broker with {@code epoch} ({@code bind_connection = true}).
     * The numbers increase with every heartbeat sent, so the leader can tell a late copy from a new one.
     */
    static HeartbeatRequest heartbeat(RegisterBrokerRequest r, long epoch, long sequence) {
        return HeartbeatRequest.newBuilder().setCluster(r.getCluster()).setBrokerName(r.getBrokerName())
                .setBrokerId(r.getBrokerId()).setBrokerAddr(r.getBrokerAddr()).setBrokerEpoch(epoch)
                .setBindConnection(true).setSequence(sequence).build();
    }

    /** The unregistration of the registered broker with {@code epoch}. */
    static UnregisterBrokerRequest unregister(RegisterBrokerRequest r, long epoch) {
        return UnregisterBrokerRequest.newBuilder().setCluster(r.getCluster()).setBrokerName(r.getBrokerName())
                .setBrokerId(r.getBrokerId()).setBrokerAddr(r.getBrokerAddr()).setBrokerEpoch(epoch).build();
    }

    /** {@code <broker name>/<broker id>}, how the log names the broker. */
    static String who(RegisterBrokerRequest r) {
        return r.getBrokerName() + "/" + r.getBrokerId();
    }

    /** STALE_BROKER_EPOCH or UNKNOWN_BROKER from a node: the registration is gone or replaced, register again. */
    static boolean needsReRegistration(NamesrvException e) {
        return e.kind() == NamesrvException.Kind.SERVER
                && (e.code() == ErrorCode.STALE_BROKER_EPOCH || e.code() == ErrorCode.UNKNOWN_BROKER);
    }

    /** A failure that is not a NamesrvException (client closed, interrupted) as a retriable CONNECTION_CLOSED. */
    static NamesrvException connectionLost(Throwable t, String endpoint) {
        return new NamesrvException(NamesrvException.Kind.CONNECTION_CLOSED, ErrorCode.ERROR_CODE_UNSPECIFIED,
                String.valueOf(t.getMessage()), true, "", null, false, endpoint, 0, t);
    }

    /** Starts {@code call} for every node with a registration there (epoch != 0), all at once, in endpoint order. */
    static <T> Map<String, CompletableFuture<Reply<T>>> toEachRegisteredNode(Map<String, Long> epochs,
            BiFunction<String, Long, CompletableFuture<Reply<T>>> call) {
        Map<String, CompletableFuture<Reply<T>>> calls = new LinkedHashMap<>();
        epochs.forEach((ep, e) -> {
            if (e != 0)
                calls.put(ep, call.apply(ep, e));
        });
        return calls;
    }
}
