package io.rns.rpc.transport;

/**
 * A Raft group member as written in the server's {@code members} setting and in {@code rns peers add}:
 * {@code id@host:raftPort:clientPort}. Only the syntax is checked here; each user checks the values (id characters,
 * port ranges) with its own messages.
 *
 * @param id         the node id (before the {@code @}, not empty)
 * @param host       the host (between the {@code @} and the raft port, not empty)
 * @param raftPort   the internal Raft port, as written
 * @param clientPort the client port, as written
 */
public record MemberSpec(String id, String host, int raftPort, int clientPort) {

    /**
     * Parses {@code id@host:raftPort:clientPort} (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException {@code member '<spec>' must look like id@host:raftPort:clientPort} or
     *                                  {@code member '<spec>': ports must be numbers}
     */
    public static MemberSpec parse(String spec) {
        String s = spec.trim();
        int at = s.indexOf('@');
        int c2 = s.lastIndexOf(':');
        int c1 = c2 > 0 ? s.lastIndexOf(':', c2 - 1) : -1;
        if (at <= 0 || c1 <= at + 1 || c2 <= c1 + 1 || c2 == s.length() - 1) {
            throw new IllegalArgumentException("member '" + spec + "' must look like id@host:raftPort:clientPort");
        }
        try {
            return new MemberSpec(s.substring(0, at), s.substring(at + 1, c1),
                    Integer.parseInt(s.substring(c1 + 1, c2)), Integer.parseInt(s.substring(c2 + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member '" + spec + "': ports must be numbers");
        }
    }
}
