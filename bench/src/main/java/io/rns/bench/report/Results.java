package io.rns.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured: metadata, then per scenario a status (done / failed / not implemented) and tables.
 * Rendered to results.json and results.md; scenarios add SVG plots next to them.
 */
public final class Results {
    public enum Status {
        DONE, FAILED, NOT_IMPLEMENTED, SKIPPED
    }

    public static final class Table {
        public final String title;
        public final List<String> columns;
        public final List<List<Object>> rows = new ArrayList<>();

        Table(String title, List<String> columns) {
            this.title = title;
            this.columns = List.copyOf(columns);
        }

        public Table row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException(
                        title + ": row has " + cells.length + " cells, table has " + columns.size() + " columns");
            }
            rows.add(Arrays.asList(cells));
            return this;
        }
    }

    public static final class Scenario {
        public final String name;
        public Status status = Status.DONE;
        public String error;
        public double seconds;
        /** Successful real operations this scenario performed against the servers (the smoke test checks > 0). */
        public long okOps;

        public final List<Table> tables = new ArrayList<>();
        public final List<String> notes = new ArrayList<>();
        public final List<String> plots = new ArrayList<>();

        Scenario(String name) {
            this.name = name;
        }

        public Table table(String title, String... columns) {
            Table t = new Table(title, List.of(columns));
            tables.add(t);
            return t;
        }

        public void note(String s) {
            notes.add(s);
        }

        public void addOk(long n) {
            okOps += n;
        }
    }

    public final Map<String, Object> meta = new LinkedHashMap<>();
    public final List<Scenario> scenarios = new ArrayList<>();

    public Scenario scenario(String name) {
        Scenario s = new Scenario(name);
        scenarios.add(s);
        return s;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meta", meta);
        List<Object> ss = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name);
            sm.put("status", s.status.name());
            if (s.error != null)
                sm.put("error", s.error);
            sm.put("seconds", s.seconds);
            sm.put("okOps", s.okOps);
            List<Object> ts = new ArrayList<>();
            for (Table t : s.tables) {
                List<Object> rows = new ArrayList<>();
                for (List<Object> r : t.rows) {
                    Map<String, Object> rm = new LinkedHashMap<>();
                    for (int i = 0; i < t.columns.size(); i++)
                        rm.put(t.columns.get(i), r.get(i));
                    rows.add(rm);
                }
                ts.add(Map.of("title", t.title, "columns", t.columns, "rows", rows));
            }
            sm.put("tables", ts);
            sm.put("notes", s.notes);
            sm.put("plots", s.plots);
            ss.add(sm);
        }
        m.put("scenarios", ss);
        return m;
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder("# RNS vs stock RocketMQ 5.5.0 NameServer — benchmark results\n\n");
        for (Map.Entry<String, Object> e : meta.entrySet()) {
            b.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
        }
        for (Scenario s : scenarios) {
            b.append("\n## ").append(s.name).append(" — ").append(s.status);
            b.append(String.format(" (%.0f s)", s.seconds)).append("\n\n");
            if (s.error != null)
                b.append("**Error:** `").append(s.error.replace('`', '\'')).append("`\n\n");
            for (Table t : s.tables) {
                b.append("### ").append(t.title).append("\n\n|");
                for (String c : t.columns)
                    b.append(' ').append(c).append(" |");
                b.append("\n|");
                for (int i = 0; i < t.columns.size(); i++)
                    b.append("---|");
                b.append('\n');
                for (List<Object> r : t.rows) {
                    b.append('|');
                    for (Object c : r)
                        b.append(' ').append(cell(c)).append(" |");
                    b.append('\n');
                }
                b.append('\n');
            }
            for (String p : s.plots)
                b.append("![").append(p).append("](").append(p).append(")\n\n");
            for (String n : s.notes)
                b.append("- ").append(n).append('\n');
        }
        return b.toString();
    }

    static String cell(Object c) {
        if (c == null)
            return "–";
        if (c instanceof Double d) {
            if (d.isNaN() || d.isInfinite())
                return "–";
            double a = Math.abs(d);
            if (a >= 1000)
                return String.format("%,.0f", d);
            if (a >= 10)
                return String.format("%.1f", d);
            return String.format("%.2f", d);
        }
        if (c instanceof Long l && Math.abs(l) >= 10000)
            return String.format("%,d", l);
        return String.valueOf(c).replace("|", "\\|").replace("\n", " ");
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), Json.write(toMap()), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.md"), toMarkdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** a / b, NaN when either is missing or b is 0. */
    public static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0)
            return Double.NaN;
        return a / b;
    }
}
