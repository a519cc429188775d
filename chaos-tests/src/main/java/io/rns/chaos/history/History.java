package io.rns.chaos.history;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable list of {@link Op}s in recording order, with pairing into {@link Operation}s and JSONL I/O.
 *
 * <p>JSONL format ({@code history.jsonl}), one object per line, null fields omitted:
 * <pre>{"process":3,"type":"invoke","f":"register","key":"t1","value":"b#7","node":"n2","time":123456789}
 * {"process":3,"type":"ok","f":"register","key":"t1","value":"b#7","time":130000000,
 *  "meta":{"served":"LINEARIZABLE","node":"n1","term":2,"applied":42}}</pre>
 */
public final class History {

    private static final Gson GSON = new Gson();

    private final List<Op> ops;

    private History(List<Op> ops) {
        this.ops = ops;
    }

    public static History of(List<Op> ops) {
        return new History(List.copyOf(ops));
    }

    public static History of(Op... ops) {
        return new History(List.of(ops));
    }

    public List<Op> ops() {
        return ops;
    }

    public int size() {
        return ops.size();
    }

    public History filter(Predicate<Op> p) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            if (p.test(op)) {
                out.add(op);
            }
        }
        return new History(Collections.unmodifiableList(out));
    }

    /** Client ops only (drops nemesis / annotation events, process &lt; 0). */
    public History clientOps() {
        return filter(Op::isClient);
    }

    /** Sorted distinct keys of client invocations ({@code null} keys are reported as {@code ""}). */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (Op op : ops) {
            if (op.isClient() && op.type() == Op.Type.INVOKE) {
                keys.add(op.key() == null ? "" : op.key());
            }
        }
        return keys;
    }

    /** Client invocations paired with their completions, plus any irregularities found while pairing. */
    public record Pairing(List<Operation> operations, List<String> warnings) {
    }

    /**
     * Pairs every client invocation with the next completion of the same process (in list order). Irregularities are
     * tolerated and reported: a completion with no open invocation is ignored; an invocation while the process still
     * has one open leaves the earlier op pending (indeterminate); a process that is used again after an {@code INFO}
     * completion is reported (harmless for checking, because an indeterminate op never ends, so later ops of that
     * process are simply concurrent with it, but it means the workload broke the fresh-process-id rule).
     */
    public Pairing pair() {
        List<Operation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<Integer, Integer> open = new HashMap<>(); // process -> index in out (completion pending)
        Set<Integer> crashed = new HashSet<>();
        Set<Integer> reportedReuse = new HashSet<>();
        for (Op op : ops) {
            if (!op.isClient()) {
                continue;
            }
            int p = op.process();
            if (op.type() == Op.Type.INVOKE) {
                if (open.containsKey(p)) {
                    warnings.add("process " + p + " invoked again while its previous op is open; the previous op is "
                            + "treated as indeterminate: " + op);
                    crashed.add(p);
                }
                if (crashed.contains(p) && reportedReuse.add(p)) {
                    warnings.add("process " + p + " reused after an indeterminate (INFO) op: " + op);
                }
                open.put(p, out.size());
                out.add(new Operation(op, null));
            } else {
                Integer idx = open.remove(p);
                if (idx == null) {
                    warnings.add("completion without an open invocation ignored: " + op);
                    continue;
                }
                Operation inv = out.get(idx);
                if (op.time() < inv.call()) {
                    warnings.add("completion earlier than its invocation (clamped): " + op);
                }
                if (!inv.f().equals(op.f())) {
                    warnings.add("completion f differs from invocation f (" + inv.f() + "): " + op);
                }
                out.set(idx, new Operation(inv.invoke(), op));
                if (op.type() == Op.Type.INFO) {
                    crashed.add(p);
                }
            }
        }
        return new Pairing(Collections.unmodifiableList(out), Collections.unmodifiableList(warnings));
    }

    /** Paired operations grouped by key (insertion order of first appearance; {@code null} key as {@code ""}). */
    public static Map<String, List<Operation>> byKey(List<Operation> operations) {
        Map<String, List<Operation>> m = new LinkedHashMap<>();
        for (Operation o : operations) {
            m.computeIfAbsent(o.key() == null ? "" : o.key(), k -> new ArrayList<>()).add(o);
        }
        return m;
    }

    // ------------------------------------------------------------------ JSONL

    public static String toJson(Op op) {
        JsonObject o = new JsonObject();
        o.addProperty("process", op.process());
        o.addProperty("type", op.type().name().toLowerCase());
        o.addProperty("f", op.f());
        if (op.key() != null) {
            o.addProperty("key", op.key());
        }
        if (op.value() != null) {
            o.addProperty("value", op.value());
        }
        if (op.node() != null) {
            o.addProperty("node", op.node());
        }
        o.addProperty("time", op.time());
        if (op.meta() != null) {
            ServerMeta m = op.meta();
            JsonObject mo = new JsonObject();
            if (m.served() != null) {
                mo.addProperty("served", m.served());
            }
            if (m.nodeId() != null) {
                mo.addProperty("node", m.nodeId());
            }
            mo.addProperty("term", m.term());
            mo.addProperty("applied", m.appliedIndex());
            o.add("meta", mo);
        }
        if (op.error() != null) {
            o.addProperty("error", op.error());
        }
        return GSON.toJson(o);
    }

    public static Op fromJson(String line) {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        ServerMeta meta = null;
        if (o.has("meta") && o.get("meta").isJsonObject()) {
            JsonObject mo = o.getAsJsonObject("meta");
            meta = new ServerMeta(str(mo, "served"), str(mo, "node"),
                    mo.has("term") ? mo.get("term").getAsLong() : ServerMeta.UNKNOWN,
                    mo.has("applied") ? mo.get("applied").getAsLong() : ServerMeta.UNKNOWN);
        }
        return new Op(o.get("process").getAsInt(), Op.Type.valueOf(o.get("type").getAsString().toUpperCase()),
                o.get("f").getAsString(), str(o, "key"), str(o, "value"), str(o, "node"), o.get("time").getAsLong(),
                meta, str(o, "error"));
    }

    private static String str(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    public void writeJsonl(Writer w) throws IOException {
        for (Op op : ops) {
            w.write(toJson(op));
            w.write('\n');
        }
        w.flush();
    }

    public void writeJsonl(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeJsonl(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads JSONL; blank lines are skipped. */
    public static History readJsonl(Reader r) throws IOException {
        List<Op> ops = new ArrayList<>();
        BufferedReader br = r instanceof BufferedReader b ? b : new BufferedReader(r);
        String line;
        int n = 0;
        while ((line = br.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                ops.add(fromJson(line));
            } catch (RuntimeException e) {
                throw new IOException("history line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return of(ops);
    }

    public static History readJsonl(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readJsonl(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History h && h.ops.equals(ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    @Override
    public String toString() {
        return "History[" + ops.size() + " ops]";
    }
}
