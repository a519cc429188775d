package io.rns.cli.shadow;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.rns.cli.shadow.DifferenceLog.Poll;
import io.rns.cli.shadow.DifferenceLog.Tracked;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The shadow run as text: a few lines per poll while it runs, and the final summary as JSON and Markdown. */
public final class Report {
    private Report() {
    }

    /**
     * The lines of one poll: a header ({@code poll N AT: ... clean|not clean}), then {@code + KIND key: values} per
     * new difference, {@code - KIND key resolved after S s} per resolved one, {@code ! addr unreachable: why} per
     * node that could not be read.
     */
    public static List<String> pollLines(Poll p, int nodes) {
        List<String> out = new ArrayList<>();
        Map<Difference.Kind, Integer> kinds = new EnumMap<>(Difference.Kind.class);
        p.open().forEach(t -> kinds.merge(t.kind(), 1, Integer::sum));
        String open = kinds.isEmpty() ? "no difference open"
                : p.open().size() + " open (" + kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")) + ")";
        out.add("poll " + p.number() + " " + p.at() + ": " + (nodes - p.unreachable().size()) + "/" + nodes
                + " nodes read, " + p.keys() + " keys compared, " + open + ", " + p.appeared().size() + " new, "
                + p.resolved().size() + " resolved: " + (p.clean() ? "clean" : "not clean"));
        for (Difference d : p.appeared())
            out.add("+ " + d.kind() + " " + d.key() + ": " + values(d.values()));
        for (Tracked t : p.resolved())
            out.add("- " + t.kind() + " " + t.key() + " resolved after " + seconds(t.lasted(p.at())));
        for (NodeView v : p.unreachable())
            out.add("! " + v.addr() + " (" + v.side() + ") unreachable: " + v.failure());
        return out;
    }

    /** Node values grouped by value: {@code a,b: V | c: (absent)}. */
    static String values(Map<String, String> byNode) {
        Map<String, List<String>> nodesByValue = new LinkedHashMap<>();
        byNode.forEach((node, value) -> nodesByValue.computeIfAbsent(value, v -> new ArrayList<>()).add(node));
        return nodesByValue.entrySet().stream().map(e -> String.join(",", e.getValue()) + ": " + e.getKey())
                .collect(Collectors.joining(" | "));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    /** The summary as a JSON document (see the README's migration playbook for the fields). */
    public static String json(DifferenceLog log, List<String> legacy, List<String> rns, Instant ended) {
        JsonObject o = new JsonObject();
        o.add("legacy", strings(legacy));
        o.add("rns", strings(rns));
        o.addProperty("startedAt", log.started().toString());
        o.addProperty("endedAt", ended.toString());
        o.addProperty("polls", log.polls());
        o.addProperty("cleanPolls", log.cleanPolls());
        o.addProperty("lastPollClean", log.last() != null && log.last().clean());
        o.addProperty("lastPollKeys", log.last() == null ? 0 : log.last().keys());
        JsonArray open = new JsonArray();
        log.open().forEach(t -> open.add(tracked(t, ended)));
        o.add("open", open);
        JsonArray resolved = new JsonArray();
        log.resolved().forEach(t -> resolved.add(tracked(t, ended)));
        o.add("resolved", resolved);
        o.addProperty("resolvedNotListed", log.resolvedDropped());
        JsonObject unreachable = new JsonObject();
        log.unreachable().forEach((addr, u) -> {
            JsonObject n = new JsonObject();
            n.addProperty("polls", u.polls());
            n.addProperty("lastAt", u.lastAt().toString());
            n.addProperty("lastFailure", u.lastFailure());
            unreachable.add(addr, n);
        });
        o.add("unreachable", unreachable);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static JsonObject tracked(Tracked t, Instant now) {
        JsonObject d = new JsonObject();
        d.addProperty("kind", t.kind().name());
        d.addProperty("key", t.key());
        d.addProperty("firstSeen", t.firstSeen().toString());
        d.addProperty("lastSeen", t.lastSeen().toString());
        if (t.resolvedAt() != null)
            d.addProperty("resolvedAt", t.resolvedAt().toString());
        d.addProperty("lastedMs", t.lasted(now).toMillis());
        JsonObject values = new JsonObject();
        t.values().forEach(values::addProperty);
        d.add("values", values);
        return d;
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    /** The summary as Markdown: the verdict, the open differences, the resolved ones, the unreachable nodes. */
    public static String markdown(DifferenceLog log, List<String> legacy, List<String> rns, Instant ended) {
        StringBuilder b = new StringBuilder("# rns shadow summary\n\n");
        b.append("- legacy NameServers: ").append(String.join(", ", legacy)).append('\n');
        b.append("- RNS nodes: ").append(String.join(", ", rns)).append('\n');
        b.append("- ").append(log.started()).append(" to ").append(ended).append(": ").append(log.polls())
                .append(" polls, ").append(log.cleanPolls()).append(" clean\n");
        boolean clean = log.last() != null && log.last().clean();
        b.append("- verdict: ")
                .append(clean
                        ? "**clean** — RNS answers what the legacy NameServers agree on"
                                + (log.open().isEmpty() ? "" : " (the legacy nodes' own divergence below is theirs)")
                        : "**not clean** — see the open differences")
                .append("\n\n");
        section(b, "Open differences", log.open(), ended, false);
        section(b, "Resolved differences", log.resolved(), ended, true);
        if (log.resolvedDropped() > 0)
            b.append("(").append(log.resolvedDropped()).append(" more resolved differences not listed)\n\n");
        if (!log.unreachable().isEmpty()) {
            b.append("## Unreachable nodes\n\n| node | polls | last | last failure |\n|---|---|---|---|\n");
            log.unreachable().forEach((addr, u) -> b.append("| ").append(addr).append(" | ").append(u.polls())
                    .append(" | ").append(u.lastAt()).append(" | ").append(cell(u.lastFailure())).append(" |\n"));
            b.append('\n');
        }
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<Tracked> list, Instant now, boolean resolved) {
        b.append("## ").append(title).append(" (").append(list.size()).append(")\n\n");
        if (list.isEmpty()) {
            b.append("none\n\n");
            return;
        }
        b.append("| kind | key | first seen | ").append(resolved ? "lasted" : "open for").append(" | values |\n");
        b.append("|---|---|---|---|---|\n");
        for (Tracked t : list)
            b.append("| ").append(t.kind()).append(" | ").append(cell(t.key())).append(" | ").append(t.firstSeen())
                    .append(" | ").append(seconds(t.lasted(now))).append(" | ").append(cell(values(t.values())))
                    .append(" |\n");
        b.append('\n');
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
