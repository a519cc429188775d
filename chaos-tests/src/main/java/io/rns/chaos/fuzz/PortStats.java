package io.rns.chaos.fuzz;

import java.util.concurrent.atomic.LongAdder;

/** What the fuzzer did to one port. */
final class PortStats {
    final String port;
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder closedByServer = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder answerBytes = new LongAdder();
    final LongAdder slowWrites = new LongAdder();

    PortStats(String port) {
        this.port = port;
    }

    @Override
    public String toString() {
        return String.format(
                "%-8s frames=%d bytes=%d connections=%d closed-by-server=%d connect-failures=%d "
                        + "answer-bytes=%d slow-writes=%d",
                port, frames.sum(), bytes.sum(), connections.sum(), closedByServer.sum(), connectFailures.sum(),
                answerBytes.sum(), slowWrites.sum());
    }
}
