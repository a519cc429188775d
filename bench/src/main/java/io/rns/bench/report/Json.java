package io.rns.bench.report;

import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for maps, collections, strings, numbers, booleans and null (NaN/Infinity become null). */
public final class Json {
    private Json() {
    }

    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 0);
        return b.append('\n').toString();
    }

    private static void indent(StringBuilder b, int n) {
        b.append('\n');
        b.append("  ".repeat(n));
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            str(b, s);
        } else if (v instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : Double.toString(Math.round(d * 1000.0) / 1000.0));
        } else if (v instanceof Float f) {
            write(b, f.doubleValue(), depth);
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first)
                    b.append(',');
                first = false;
                indent(b, depth + 1);
                str(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), depth + 1);
            }
            if (!m.isEmpty())
                indent(b, depth);
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            boolean scalars = c.stream().noneMatch(x -> x instanceof Map || x instanceof Collection);
            for (Object x : c) {
                if (!first)
                    b.append(scalars ? ", " : ",");
                first = false;
                if (!scalars)
                    indent(b, depth + 1);
                write(b, x, depth + 1);
            }
            if (!scalars && !c.isEmpty())
                indent(b, depth);
            b.append(']');
        } else {
            str(b, v.toString());
        }
    }

    private static void str(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 ? String.format("\\u%04x", (int) c) : null;
            };
            if (escape == null)
                b.append(c);
            else
                b.append(escape);
        }
        b.append('"');
    }
}
