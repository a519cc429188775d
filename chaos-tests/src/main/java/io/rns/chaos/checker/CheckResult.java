package io.rns.chaos.checker;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Result of checking a whole history.
 *
 * @param verdict  INVALID if any key is invalid; else UNKNOWN if any key is unknown; else VALID
 * @param keys     per-key results, sorted by key
 * @param warnings irregularities found while pairing the history (e.g. a process reused after INFO)
 */
public record CheckResult(String model, Verdict verdict, Map<String, KeyResult> keys, List<String> warnings,
        Duration elapsed) {

    public boolean isValid() {
        return verdict == Verdict.VALID;
    }

    public List<KeyResult> withVerdict(Verdict v) {
        List<KeyResult> out = new ArrayList<>();
        for (KeyResult k : keys.values()) {
            if (k.verdict() == v) {
                out.add(k);
            }
        }
        return out;
    }

    public long count(Verdict v) {
        return withVerdict(v).size();
    }

    /** Multi-line summary: overall verdict, counts, and the witness of every invalid key. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(model).append(" linearizability: ").append(verdict).append(" — ").append(keys.size())
                .append(" keys: ").append(count(Verdict.VALID)).append(" valid, ").append(count(Verdict.INVALID))
                .append(" invalid, ").append(count(Verdict.UNKNOWN)).append(" unknown (").append(elapsed.toMillis())
                .append(" ms)\n");
        for (String w : warnings) {
            sb.append("warning: ").append(w).append('\n');
        }
        for (KeyResult k : keys.values()) {
            if (k.verdict() != Verdict.VALID) {
                sb.append(k).append('\n');
                if (k.witness() != null) {
                    sb.append(k.witness().describe());
                }
            }
        }
        return sb.toString();
    }

    /** JSON for {@code results.json}. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.addProperty("verdict", verdict.name());
        o.addProperty("elapsedMs", elapsed.toMillis());
        JsonArray ws = new JsonArray();
        warnings.forEach(ws::add);
        o.add("warnings", ws);
        JsonArray ks = new JsonArray();
        for (KeyResult k : keys.values()) {
            JsonObject ko = new JsonObject();
            ko.addProperty("key", k.key());
            ko.addProperty("verdict", k.verdict().name());
            ko.addProperty("ops", k.ops());
            ko.addProperty("pruned", k.pruned());
            ko.addProperty("indeterminate", k.indeterminate());
            ko.addProperty("states", k.cacheEntries());
            ko.addProperty("elapsedMs", k.elapsed().toMillis());
            if (k.reason() != null) {
                ko.addProperty("reason", k.reason());
            }
            if (k.witness() != null) {
                Witness w = k.witness();
                JsonObject wo = new JsonObject();
                wo.addProperty("failedOp", w.failedOp().toString());
                wo.addProperty("stateAfterPrefix", w.stateAfterPrefix());
                JsonArray pre = new JsonArray();
                w.linearizedPrefix().forEach(c -> pre.add(c.toString()));
                wo.add("linearizedPrefix", pre);
                JsonArray con = new JsonArray();
                w.concurrent().forEach(c -> con.add(c.toString()));
                wo.add("concurrent", con);
                ko.add("witness", wo);
            }
            ks.add(ko);
        }
        o.add("keys", ks);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    }
}
