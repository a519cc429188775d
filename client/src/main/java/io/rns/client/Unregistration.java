package io.rns.client;

import io.rns.rpc.v1.RegisterBrokerRequest;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.UnregisterBrokerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.rns.client.RegistrarRequests.who;

/**
 * The last step of {@link BrokerRegistrar#close()}: unregister the broker, best effort (a failure is logged; the
 * lease expires instead). Logs as the registrar.
 */
final class Unregistration {
    private static final Logger log = LoggerFactory.getLogger(BrokerRegistrar.class);

    private Unregistration() {
    }

    /** RAFT mode: one client call with the cluster's epoch of the broker. */
    static void fromTheCluster(NamesrvClient client, RegisterBrokerRequest r, long epoch) {
        try {
            client.unregisterBroker(RegistrarRequests.unregister(r, epoch));
            log.info("broker {} unregistered (epoch {})", who(r), epoch);
        } catch (RuntimeException ex) {
            log.warn("broker {}: unregister with epoch {} failed (its lease will expire instead): {}", who(r), epoch,
                    ex.getMessage());
        }
    }

    /** Leaderless: from every node it is registered with, each with that node's epoch, in parallel. */
    static void fromEachNode(NamesrvClient client, RegisterBrokerRequest r, Map<String, Long> epochs) {
        Map<String, CompletableFuture<Reply<UnregisterBrokerResponse>>> calls = RegistrarRequests.toEachRegisteredNode(
                epochs,
                (ep, e) -> client.engine().callNodeAsync(
                        RequestEnvelope.newBuilder().setUnregisterBroker(RegistrarRequests.unregister(r, e)), ep, true,
                        ResponseEnvelope.BodyCase.UNREGISTER_BROKER, ResponseEnvelope::getUnregisterBroker));
        calls.forEach((ep, f) -> {
            try {
                f.join();
                log.info("broker {} unregistered from {} (epoch {})", who(r), ep, epochs.get(ep));
            } catch (CompletionException | CancellationException ex) {
                log.warn("broker {}: unregister from {} with epoch {} failed (its lease there will expire instead): {}",
                        who(r), ep, epochs.get(ep), Replies.unwrap(ex).getMessage());
            }
        });
    }
}
