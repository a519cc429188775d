package io.rns.cli;

import io.rns.client.NamesrvClient;
import io.rns.client.Reply;
import io.rns.rpc.v1.KvDeleteResponse;
import io.rns.rpc.v1.KvGetResponse;
import io.rns.rpc.v1.KvListResponse;
import io.rns.rpc.v1.KvPutResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code rns kv}: the namespaced key-value store (put, get, delete, list). */
final class KvCommands {
    private KvCommands() {
    }

    @Command(name = "kv", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "The namespaced key-value store.", subcommands = {
            KvPut.class, KvGet.class, KvDelete.class, KvList.class})
    static final class Kv extends CommandGroup {
        @Override
        String missingCommandMessage() {
            return "missing kv command (put, get, delete, list)";
        }
    }

    /** A command on one key of a namespace: {@code NS KEY ...}. */
    abstract static class KeyCommand extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;
    }

    @Command(name = "put", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Set a key.")
    static final class KvPut extends KeyCommand {
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        void run(NamesrvClient client) {
            Reply<Void> reply = client.kvPut(ns, key, value, options());
            output.emitWrite(reply, List.of("ok"), KvPutResponse.getDefaultInstance());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Print a key's value (KEY_NOT_FOUND: exit 2).")
    static final class KvGet extends KeyCommand {
        @Override
        void run(NamesrvClient client) {
            Reply<String> reply = client.kvGet(ns, key, options());
            output.emit(reply.meta(), List.of(reply.value()), KvGetResponse.newBuilder().setValue(reply.value()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Delete a key.")
    static final class KvDelete extends KeyCommand {
        @Override
        void run(NamesrvClient client) {
            Reply<Boolean> reply = client.kvDelete(ns, key, options());
            output.emitWrite(reply, List.of("existed=" + reply.value()),
                    KvDeleteResponse.newBuilder().setExisted(reply.value()), x -> "existed=" + x);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "All KEY=VALUE of a namespace (sorted by key).")
    static final class KvList extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NS")
        String ns;

        @Override
        void run(NamesrvClient client) {
            Reply<Map<String, String>> reply = client.kvList(ns, options());
            List<String> lines = reply.value().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.toList());
            output.emit(reply.meta(), lines, KvListResponse.newBuilder().putAllEntries(reply.value()));
        }
    }
}
