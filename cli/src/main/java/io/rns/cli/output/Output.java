package io.rns.cli.output;

import com.google.protobuf.MessageOrBuilder;
import io.rns.client.NamesrvException;
import io.rns.client.Reply;
import io.rns.client.ResponseMeta;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where every command prints: a result as text lines followed by the meta line, or ({@code --json}) as one JSON
 * object on stdout with the meta line on stderr; errors as {@code error: <CODE>: <message> [leader=<hint>]} on stderr.
 */
public record Output(PrintWriter out, PrintWriter err, boolean json) {

    /** Prints a result (text lines or one JSON object) followed by the meta line. */
    public void emit(ResponseMeta meta, List<String> text, MessageOrBuilder jsonResult) {
        emit(meta, text, jsonResult, "");
    }

    /**
     * Prints a write's result: as {@link #emit}, and for a fan-out write (leaderless mode) one line per endpoint
     * before the meta line: {@code node <host:port> ok <meta line>} or {@code node <host:port> error <CODE>: <msg>}
     * (JSON: a "perEndpoint" array).
     */
    public void emitWrite(Reply<?> reply, List<String> text, MessageOrBuilder jsonResult) {
        emitWrite(reply, text, jsonResult, v -> "");
    }

    /** As above; {@code perNode} adds a node's own result to its ok line (e.g. its broker_epoch). */
    public <T> void emitWrite(Reply<T> reply, List<String> text, MessageOrBuilder jsonResult,
            Function<T, String> perNode) {
        if (!reply.fannedOut()) {
            emit(reply.meta(), text, jsonResult);
            return;
        }
        List<String> lines = new ArrayList<>(text);
        StringBuilder j = new StringBuilder("[");
        reply.perEndpoint().forEach((ep, o) -> {
            if (j.length() > 1)
                j.append(',');
            j.append("{\"endpoint\":").append(Json.quote(ep));
            if (o.ok()) {
                String own = perNode.apply(o.reply().value());
                lines.add(
                        "node " + ep + " ok" + (own.isEmpty() ? "" : " " + own) + " " + o.reply().meta().toMetaLine());
                j.append(",\"ok\":true,\"meta\":").append(Json.meta(o.reply().meta()));
            } else {
                lines.add("node " + ep + " error " + describe(o.error()));
                j.append(",\"ok\":false,\"error\":").append(Json.quote(describe(o.error())));
            }
            j.append('}');
        });
        emit(reply.meta(), lines, jsonResult, ",\"perEndpoint\":" + j.append(']'));
    }

    /** A node that did not answer (the status command goes on with the next one). */
    public void unreachable(String endpoint, NamesrvException e) {
        if (json) {
            out.println("{\"endpoint\":" + Json.quote(endpoint) + ",\"unreachable\":true,\"error\":"
                    + Json.quote(describe(e)) + "}");
        } else {
            out.println(endpoint + " unreachable (" + describe(e) + ")");
        }
        out.flush();
    }

    /** The failure of a command, on stderr; a write whose outcome is unknown gets a note that it is safe to repeat. */
    public void error(NamesrvException e) {
        StringBuilder b = new StringBuilder("error: ").append(describe(e));
        if (!e.leaderHint().isEmpty())
            b.append(" leader=").append(e.leaderHint());
        err.println(b);
        if (e.outcomeUnknown()) {
            err.println("note: the write may or may not have been applied (outcome unknown); it is safe to repeat");
        }
        err.flush();
    }

    private void emit(ResponseMeta meta, List<String> text, MessageOrBuilder jsonResult, String jsonExtra) {
        if (json) {
            out.println("{\"result\":" + Json.message(jsonResult) + ",\"meta\":" + Json.meta(meta) + jsonExtra + "}");
            err.println(meta.toMetaLine());
        } else {
            text.forEach(out::println);
            out.println(meta.toMetaLine());
        }
        out.flush();
    }

    /** {@code <CODE>: <message>}. */
    private static String describe(NamesrvException e) {
        return e.codeName() + ": " + e.detail();
    }
}
