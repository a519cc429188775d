package io.rns.rpc.transport;

/** Text a client sent, made safe for one log line. */
public final class LogText {
    /** The most characters of one client-sent value written to a log line. */
    public static final int MAX_PRINTED = 300;

    private LogText() {
    }

    /**
     * {@code s} with control and non-ASCII characters written as backslash-u and four hex digits (a refused name may
     * hold a line break meant to forge log lines), cut at {@link #MAX_PRINTED} characters; "null" for null.
     */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_PRINTED) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (i == MAX_PRINTED) {
                return b.append("... (").append(s.length()).append(" characters)").toString();
            }
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
