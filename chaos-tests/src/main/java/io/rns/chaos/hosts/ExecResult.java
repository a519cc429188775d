package io.rns.chaos.hosts;

import java.util.List;

/** Outcome of one helper command ({@code ip}, {@code iptables}, {@code kill}, ...) run by the harness. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {
    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** @return this if {@link #ok()}, else throws {@link HostsException} naming the command and its stderr */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new HostsException(describe());
        }
        return this;
    }

    public String describe() {
        return String.join(" ", command) + (timedOut ? " timed out" : " exited " + exitCode)
                + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
