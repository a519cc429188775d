package io.rns.cli;

import io.rns.rpc.transport.Endpoints;

import java.util.ArrayList;
import java.util.List;

/** A RocketMQ-style address list: {@code host:port;host:port} (commas accepted too). */
final class Addresses {
    private Addresses() {
    }

    /**
     * The addresses in order.
     *
     * @throws IllegalArgumentException
     *             naming the option when an entry is not HOST:PORT, is listed twice, or the list is empty
     */
    static List<String> parse(String list, String option) {
        List<String> out = new ArrayList<>();
        for (String a : list.split("[;,]")) {
            String s = a.trim();
            if (s.isEmpty())
                continue;
            if (!Endpoints.isValid(s))
                throw new IllegalArgumentException(option + ": '" + s + "' is not HOST:PORT");
            if (out.contains(s))
                throw new IllegalArgumentException(option + ": '" + s + "' is listed twice");
            out.add(s);
        }
        if (out.isEmpty())
            throw new IllegalArgumentException(option + " names no address");
        return out;
    }
}
