package io.rns.namesrv.api;

import io.rns.namesrv.auth.Account;
import io.rns.namesrv.auth.AuthFailure;
import io.rns.namesrv.auth.Authenticator;
import io.rns.namesrv.auth.Permission;
import io.rns.namesrv.base.AddressAllowList;
import io.rns.namesrv.base.RnsException;
import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.RequestEnvelope.BodyCase;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, and may they (auth.enabled=true): the account of the request's credentials (or the one an
 * in-process ingress vouches for, the one its source host is trusted as, or anonymous), checked against the one
 * permission its kind needs and, for broker requests, the account's broker names. A refusal is PERMISSION_DENIED,
 * logged by the dispatcher with the account, the address and the operation. The admitted account goes with the
 * request if it is forwarded ({@link LeaderForwarding}), so the leader checks the same account.
 */
final class AccessGate {
    /** The permissions each request kind accepts (any one of them): the whole policy in one table. */
    static final Map<BodyCase, Set<Permission>> REQUIRED = new EnumMap<>(BodyCase.class);
    static {
        for (BodyCase c : new BodyCase[]{BodyCase.GET_TOPIC_ROUTE, BodyCase.GET_CLUSTER_INFO, BodyCase.LIST_TOPICS,
                BodyCase.KV_GET, BodyCase.KV_LIST, BodyCase.GET_NODE_STATUS, BodyCase.LIST_BROKER_LEASES,
                BodyCase.LIST_PEERS, BodyCase.WATCH}) {
            REQUIRED.put(c, EnumSet.of(Permission.READ));
        }
        // a broker reads its own registration back (RocketMQ's QUERY_DATA_VERSION is answered from it)
        REQUIRED.put(BodyCase.GET_BROKER, EnumSet.of(Permission.READ, Permission.BROKER));
        for (BodyCase c : new BodyCase[]{BodyCase.REGISTER_BROKER, BodyCase.UNREGISTER_BROKER, BodyCase.HEARTBEAT,
                BodyCase.REGISTER_TOPIC}) {
            REQUIRED.put(c, EnumSet.of(Permission.BROKER));
        }
        for (BodyCase c : new BodyCase[]{BodyCase.DELETE_TOPIC, BodyCase.KV_PUT, BodyCase.KV_DELETE,
                BodyCase.CHANGE_WRITE_PERM, BodyCase.SAVE_SNAPSHOT, BodyCase.ADD_PEER, BodyCase.REMOVE_PEER,
                BodyCase.TRANSFER_LEADERSHIP}) {
            REQUIRED.put(c, EnumSet.of(Permission.ADMIN));
        }
        // a session serves the caller's later writes, each checked on its own: any writer may open one
        REQUIRED.put(BodyCase.OPEN_SESSION, EnumSet.of(Permission.BROKER, Permission.ADMIN));
        REQUIRED.put(BodyCase.BROKER_CONNECTION_CLOSED, EnumSet.of(Permission.NODE));
        REQUIRED.put(BodyCase.BROKER_CONNECTIONS, EnumSet.of(Permission.NODE));
    }

    private final Authenticator auth;

    AccessGate(Authenticator auth) {
        this.auth = auth;
    }

    /**
     * The name of the account the request acts as, once it may make it (null when auth is off).
     *
     * @throws RnsException PERMISSION_DENIED naming the account and what it lacks
     */
    String admit(RequestEnvelope req, InboundContext ctx) {
        if (!auth.enabled()) {
            return null;
        }
        Account who;
        try {
            who = caller(req, ctx);
        } catch (AuthFailure e) {
            throw new RnsException(ErrorCode.PERMISSION_DENIED, e.getMessage());
        }
        BodyCase kind = req.getBodyCase();
        Set<Permission> accepted = REQUIRED.get(kind);
        if (accepted == null) { // fail closed: a kind added without a line in the table is nobody's
            throw denied(who, kind, "a permission of its own: this request kind is in no permission table");
        }
        if (accepted.stream().noneMatch(who::may)) {
            throw denied(who, kind, String.join(" or ", accepted.stream().map(Permission::text).toList()));
        }
        if (accepted.equals(EnumSet.of(Permission.BROKER))) {
            checkBrokerScope(who, req);
        }
        return who.name();
    }

    /** The account the request acts as. */
    private Account caller(RequestEnvelope req, InboundContext ctx) {
        if (ctx.authenticatedAs() != null) {
            return auth.named(ctx.authenticatedAs()); // an in-process ingress checked it by its own protocol
        }
        if (req.getAuth().isEmpty()) {
            return auth.unauthenticated(AddressAllowList.ipOf(ctx.remoteAddress()));
        }
        Account presented = auth.byToken(req.getAuth().toByteArray());
        if (!req.getAuthFor().isEmpty()) {
            if (!presented.may(Permission.NODE)) {
                throw new AuthFailure(
                        "account '" + presented.name() + "' may not act for another account (needs " + "node)");
            }
            return auth.named(req.getAuthFor());
        }
        return presented;
    }

    private static void checkBrokerScope(Account who, RequestEnvelope req) {
        String cluster;
        String broker;
        switch (req.getBodyCase()) {
            case REGISTER_BROKER -> {
                cluster = req.getRegisterBroker().getCluster();
                broker = req.getRegisterBroker().getBrokerName();
            }
            case UNREGISTER_BROKER -> {
                cluster = req.getUnregisterBroker().getCluster();
                broker = req.getUnregisterBroker().getBrokerName();
            }
            case HEARTBEAT -> {
                cluster = req.getHeartbeat().getCluster();
                broker = req.getHeartbeat().getBrokerName();
            }
            default -> {
                return;
            }
        }
        if (!who.mayActAs(cluster, broker)) {
            throw new RnsException(ErrorCode.PERMISSION_DENIED, "account '" + who.name() + "' may not act as broker "
                    + cluster + "/" + broker + " (its brokers: " + who.brokers() + ")");
        }
    }

    private static RnsException denied(Account who, BodyCase kind, String need) {
        return new RnsException(ErrorCode.PERMISSION_DENIED, "account '" + who.name() + "' may not "
                + kind.name().toLowerCase(Locale.ROOT) + " (needs " + need + ")");
    }
}
