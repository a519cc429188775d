package io.rns.cli;

import io.rns.cli.output.Lines;
import io.rns.client.NamesrvClient;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.rpc.v1.GetNodeStatusResponse;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code rns status}: every node's own view of itself. */
@Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Node status of every endpoint (or of --node): id, mode, role, term, leader, indexes, counts, "
        + "liveness (leases_tracked and suspects as this node tracks them: only the leader tracks; "
        + "expiries_proposed/applied and mass_expiry_warnings since it became leader or started), peers. "
        + "A node that does not answer prints 'unreachable'; exit 0 if at least one answered.")
final class StatusCommand extends ClientCommand {
    @Override
    void run(NamesrvClient client) {
        List<String> targets = settings.node() != null ? List.of(settings.node()) : settings.endpoints();
        int answered = 0;
        NamesrvException lastError = null;
        for (String ep : targets) {
            try {
                Reply<GetNodeStatusResponse> r = client.nodeStatus(ep);
                GetNodeStatusResponse s = r.value();
                output.emit(r.meta(), Lines.status(ep, s), s);
                answered++;
            } catch (NamesrvException e) {
                lastError = e;
                output.unreachable(ep, e);
            }
        }
        if (answered == 0 && lastError != null)
            throw lastError;
    }
}
