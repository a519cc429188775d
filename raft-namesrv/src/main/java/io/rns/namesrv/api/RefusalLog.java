package io.rns.namesrv.api;

import io.rns.rpc.transport.InboundContext;
import io.rns.rpc.transport.LogBudget;
import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.RequestEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

import static io.rns.rpc.transport.LogText.printable;

/**
 * The node's log of the requests it refused: one WARN line per refusal on the node that refused it, naming the
 * request (for broker requests the broker, its cluster and address), the peer, the code and the message, which
 * names the field and the rule. A flood of refusals is bounded by a {@link LogBudget} of {@link #LINES_PER_SECOND}
 * lines a second.
 */
final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    static final int LINES_PER_SECOND = 50;

    /** The codes that mean "this request was refused" (as opposed to "not here", "not now" or "not found"). */
    private static final Set<ErrorCode> REFUSALS = EnumSet.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.UNSUPPORTED_REQUEST,
            ErrorCode.CONSISTENCY_NOT_SUPPORTED, ErrorCode.STALE_BROKER_EPOCH, ErrorCode.UNKNOWN_BROKER,
            ErrorCode.STALE_SEQUENCE, ErrorCode.SESSION_EXPIRED, ErrorCode.STALE_REGISTRATION,
            ErrorCode.PERMISSION_DENIED);

    private final LogBudget budget;

    RefusalLog(LongSupplier nanoClock) {
        this.budget = new LogBudget(LINES_PER_SECOND, nanoClock);
    }

    /** Logs the refusal of {@code req} if {@code code} is a refusal. */
    void refused(RequestEnvelope req, InboundContext ctx, ErrorCode code, String message) {
        if (REFUSALS.contains(code) && budget.admit()) {
            log.warn("refused {} from {}: {} {}{}", describe(req), ctx.remoteAddress(), code, printable(message),
                    budget.takeSuppressed());
        }
    }

    /** The request kind as on the wire, with the broker or topic it is about. */
    static String describe(RequestEnvelope req) {
        String kind = req.getBodyCase().name().toLowerCase(Locale.ROOT);
        return switch (req.getBodyCase()) {
            case REGISTER_BROKER ->
                kind + broker(req.getRegisterBroker().getBrokerName(), req.getRegisterBroker().getBrokerId(),
                        req.getRegisterBroker().getCluster(), req.getRegisterBroker().getBrokerAddr());
            case UNREGISTER_BROKER ->
                kind + broker(req.getUnregisterBroker().getBrokerName(), req.getUnregisterBroker().getBrokerId(),
                        req.getUnregisterBroker().getCluster(), req.getUnregisterBroker().getBrokerAddr());
            case HEARTBEAT -> kind + broker(req.getHeartbeat().getBrokerName(), req.getHeartbeat().getBrokerId(),
                    req.getHeartbeat().getCluster(), req.getHeartbeat().getBrokerAddr());
            case BROKER_CONNECTION_CLOSED -> kind + broker(req.getBrokerConnectionClosed().getBrokerName(),
                    req.getBrokerConnectionClosed().getBrokerId(), "", "");
            case DELETE_TOPIC -> kind + " of topic '" + printable(req.getDeleteTopic().getTopic()) + "'";
            case REGISTER_TOPIC -> kind + " of topic '" + printable(req.getRegisterTopic().getTopic()) + "'";
            default -> kind;
        };
    }

    private static String broker(String name, long id, String cluster, String addr) {
        StringBuilder b = new StringBuilder(" of broker '").append(printable(name)).append("'/").append(id);
        if (!cluster.isEmpty() || !addr.isEmpty()) {
            b.append(" (cluster '").append(printable(cluster)).append("', ")
                    .append(addr.isEmpty() ? "no address" : printable(addr)).append(')');
        }
        return b.toString();
    }
}
