package io.rns.cli;

import io.rns.cli.output.Lines;
import io.rns.client.NamesrvClient;
import io.rns.client.Reply;
import io.rns.rpc.v1.AddPeerResponse;
import io.rns.rpc.v1.ListPeersResponse;
import io.rns.rpc.v1.RemovePeerResponse;
import io.rns.rpc.v1.TransferLeadershipResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code rns peers}: Raft group membership (list, add, remove, transfer). */
final class PeerCommands {
    private PeerCommands() {
    }

    @Command(name = "peers", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Raft group membership (raft mode only; a leaderless node answers UNSUPPORTED_REQUEST).",
            "Each peer prints as: peer <id> raft=<host:port> client=<host:port|-> [leader] [alive]",
            "(alive: as the leader sees it; shown only by the leader). add/remove/transfer go to the leader."}, subcommands = {
                    PeersList.class, PeersAdd.class, PeersRemove.class, PeersTransfer.class})
    static final class Peers extends CommandGroup {
        @Override
        String missingCommandMessage() {
            return "missing peers command (list, add, remove, transfer)";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "The voting members as the node asked (--node, or any) knows them: the leader's current "
            + "configuration, elsewhere the last committed one.")
    static final class PeersList extends ClientCommand {
        @Override
        void run(NamesrvClient client) {
            Reply<ListPeersResponse> reply = client.listPeers(options());
            output.emit(reply.meta(), Lines.peers(reply.value().getPeersList()), reply.value());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Add a voter. The leader lets it catch up, then commits the new configuration; prints the "
                    + "configuration after the change.",
            "The new node must be running with its raft port reachable (a brand-new node: start it with the "
                    + "current members plus itself in its members setting)."})
    static final class PeersAdd extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MEMBER", description = "id@host:raftPort:clientPort")
        String member;

        @Override
        void run(NamesrvClient client) {
            NamesrvClient.parseMember(member); // usage error (exit 1) before any network traffic
            Reply<AddPeerResponse> reply = client.addPeer(member, options());
            output.emit(reply.meta(), Lines.peers(reply.value().getPeersList()), reply.value());
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
            "Remove a voter (the leader too: it steps down once the change commits); prints the "
                    + "configuration after the change.",
            "Refused (INVALID_ARGUMENT) if it is not a member, the last one, or the remaining live voters would "
                    + "not be a majority. The removed node keeps running until you stop it."})
    static final class PeersRemove extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        void run(NamesrvClient client) {
            Reply<RemovePeerResponse> reply = client.removePeer(id, options());
            output.emit(reply.meta(), Lines.peers(reply.value().getPeersList()), reply.value());
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Hand leadership to a voter; prints 'transfer started from <old leader> to <id>' (the target "
            + "leads after its election, usually well under a second).")
    static final class PeersTransfer extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        void run(NamesrvClient client) {
            Reply<TransferLeadershipResponse> reply = client.transferLeadership(id, options());
            output.emit(reply.meta(),
                    List.of("transfer started from " + reply.value().getPreviousLeaderId() + " to " + id),
                    reply.value());
        }
    }
}
