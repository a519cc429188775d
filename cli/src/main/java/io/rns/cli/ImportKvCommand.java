package io.rns.cli;

import io.rns.cli.rocketmq.NamesrvReader;
import io.rns.cli.rocketmq.NamesrvReader.ReadFailure;
import io.rns.cli.rocketmq.NamesrvReader.Target;
import io.rns.client.NamesrvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rns import-kv}: copies the KV configuration of stock NameServers into RNS, once. Everything is read and
 * checked before the first write: a key the legacy nodes hold with different values, or one RNS already holds with
 * another value (without {@code --overwrite}), stops the import with nothing written.
 */
@Command(name = "import-kv", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = {
        "Copy the KV config of stock RocketMQ NameServers into RNS (through --endpoints, like every other command).",
        "Reads every namespace given from every legacy node (all must answer; a key some of them lack is still",
        "imported), then RNS's current entries, then writes only what is missing or different. Nothing is written if",
        "two legacy nodes hold a key with different values, or RNS holds it with another value and --overwrite is not",
        "given. Keys only RNS has are left alone. Run it again at any time: it is idempotent.",
        "Exit codes: 0 imported (or nothing to do), 1 usage error, 2 a node answered with an error, 3 unreachable,",
        "4 conflicting values (listed on stderr; nothing written)."})
final class ImportKvCommand extends ClientCommand {
    static final int EXIT_CONFLICT = 4;

    @Option(names = "--legacy", required = true, paramLabel = "HOST:PORT[;HOST:PORT...]", description = "The stock NameServers (';' or ',' separated).")
    String legacy;

    @Option(names = "--namespace", paramLabel = "NS", description = "A namespace to import (repeatable; default ORDER_TOPIC_CONFIG). The protocol has no list of namespaces, so name them.")
    List<String> namespaces = new ArrayList<>(List.of("ORDER_TOPIC_CONFIG"));

    @Option(names = "--overwrite", description = "Replace the value of a key RNS already holds with another value.")
    boolean overwrite;

    @Option(names = "--dry-run", description = "Print what would be written; write nothing.")
    boolean dryRun;

    @Override
    void run(NamesrvClient client) {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Map<String, String>> wanted = readLegacy(Addresses.parse(legacy, "--legacy"));
        List<String> conflicts = new ArrayList<>();
        List<String[]> puts = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, Map<String, String>> ns : wanted.entrySet()) {
            Map<String, String> current = client.kvList(ns.getKey(), options()).value();
            for (Map.Entry<String, String> e : ns.getValue().entrySet()) {
                String have = current.get(e.getKey());
                if (e.getValue().equals(have)) {
                    unchanged++;
                } else {
                    if (have != null && !overwrite)
                        conflicts.add(ns.getKey() + " " + e.getKey() + ": legacy '" + e.getValue() + "', RNS '" + have
                                + "' (--overwrite replaces it)");
                    puts.add(new String[]{ns.getKey(), e.getKey(), e.getValue()});
                }
            }
        }
        if (!conflicts.isEmpty())
            throw conflict(conflicts);
        for (String[] p : puts) {
            if (!dryRun)
                client.kvPut(p[0], p[1], p[2], options());
            out.println((dryRun ? "would put " : "put ") + p[0] + " " + p[1] + "=" + p[2]);
        }
        out.println("import-kv: " + puts.size() + (dryRun ? " to write" : " written") + ", " + unchanged
                + " already equal, namespaces " + String.join(",", wanted.keySet()));
        out.flush();
    }

    /** namespace -> key -> value, the union over the legacy nodes; a key with two values is a conflict. */
    private Map<String, Map<String, String>> readLegacy(List<String> addrs) {
        Map<String, Map<String, String>> union = new LinkedHashMap<>();
        Map<String, String> seenAt = new TreeMap<>();
        List<String> conflicts = new ArrayList<>();
        try (NamesrvReader reader = new NamesrvReader(Math.min(3000, settings.timeoutMs()))) {
            for (String ns : namespaces) {
                Map<String, String> merged = union.computeIfAbsent(ns, k -> new TreeMap<>());
                for (String addr : addrs) {
                    Map<String, String> kv = reader.kvList(new Target(addr, Map.of()), ns);
                    for (Map.Entry<String, String> e : kv.entrySet()) {
                        String before = merged.putIfAbsent(e.getKey(), e.getValue());
                        String where = ns + " " + e.getKey();
                        if (before == null)
                            seenAt.put(where, addr);
                        else if (!before.equals(e.getValue()))
                            conflicts.add(where + ": '" + before + "' at " + seenAt.get(where) + ", '" + e.getValue()
                                    + "' at " + addr);
                    }
                }
            }
        } catch (ReadFailure e) {
            throw new Failure(RnsCli.EXIT_UNREACHABLE, "error: cannot read legacy NameServer " + e.getMessage()
                    + " (every legacy node must answer; nothing imported)");
        }
        if (!conflicts.isEmpty())
            throw conflict(conflicts);
        return union;
    }

    private static Failure conflict(List<String> conflicts) {
        return new Failure(EXIT_CONFLICT,
                "error: conflicting values, nothing imported:\n  " + String.join("\n  ", conflicts));
    }
}
