package io.rns.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.rns.client.ResponseMeta;

/** The pieces of the {@code --json} output: protobuf messages, the meta object and quoted strings. */
public final class Json {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
            .includingDefaultValueFields();

    private Json() {
    }

    /** A protobuf message as one line of JSON, default values included. */
    public static String message(MessageOrBuilder m) {
        try {
            return PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code "meta"} object: the fields of the meta line plus the leader hint and ms since leader contact. */
    public static String meta(ResponseMeta m) {
        return "{\"served\":" + quote(m.toMetaLine().split(" ")[0].substring("served=".length())) + ",\"node\":"
                + quote(m.nodeId()) + ",\"role\":" + quote(String.valueOf(m.role())) + ",\"term\":" + m.term()
                + ",\"applied\":" + m.appliedIndex() + ",\"msSinceLeaderContact\":" + m.msSinceLeaderContact()
                + ",\"leaderHint\":" + quote(m.leaderHint()) + ",\"endpoint\":" + quote(m.endpoint()) + "}";
    }

    /** A JSON string literal ({@code null} for null). */
    public static String quote(String s) {
        if (s == null)
            return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20)
                        b.append(String.format("\\u%04x", (int) c));
                    else
                        b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
