package io.rns.chaos.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends frames to the addresses of one port kind on one thread: a connection per batch of 1..64 frames, written
 * back to back (now and then one dribbled byte by byte), then whatever the server answers is read for a moment and
 * the connection is left — closed, reset, or in the middle of a frame. Never waits on an answer, so a frame the server
 * cannot parse costs it a connection, not the fuzzer a timeout.
 */
final class PortFuzzer implements Runnable {
    private final List<InetSocketAddress> targets;
    private final FrameSource source;
    private final Random rnd;
    private final AtomicLong budget;
    private final long deadlineNanos;
    private final PortStats stats;

    PortFuzzer(List<InetSocketAddress> targets, FrameSource source, long seed, AtomicLong budget, long deadlineNanos,
            PortStats stats) {
        this.targets = targets;
        this.source = source;
        this.rnd = new Random(seed);
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
        this.stats = stats;
    }

    @Override
    public void run() {
        byte[] sink = new byte[1 << 16];
        while (System.nanoTime() < deadlineNanos && budget.get() > 0) {
            InetSocketAddress target = targets.get(rnd.nextInt(targets.size()));
            try (Socket s = new Socket()) {
                s.connect(target, 2000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(25);
                stats.connections.increment();
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                int batch = 1 + rnd.nextInt(64);
                for (int i = 0; i < batch && budget.get() > 0; i++) {
                    byte[] f = source.next(rnd);
                    if (rnd.nextInt(500) == 0) {
                        dribble(out, f);
                    } else {
                        out.write(f);
                    }
                    budget.decrementAndGet(); // a frame counts once written (senders may overshoot by one each)
                    stats.frames.increment();
                    stats.bytes.add(f.length);
                    if (in.available() > 0) {
                        stats.answerBytes.add(in.read(sink));
                    }
                }
                drain(in, sink);
                if (rnd.nextInt(4) == 0) {
                    s.setSoLinger(true, 0); // leave with a reset instead of a FIN
                }
            } catch (ConnectException e) {
                stats.connectFailures.increment();
                pause(50);
            } catch (IOException e) {
                stats.closedByServer.increment(); // reset or broken pipe: the server dropped the connection
            }
        }
    }

    /** A slow writer: the frame a few bytes at a time. */
    private void dribble(OutputStream out, byte[] f) throws IOException {
        stats.slowWrites.increment();
        for (int i = 0; i < f.length; i += 1 + rnd.nextInt(8)) {
            out.write(f, i, Math.min(f.length - i, 1 + rnd.nextInt(8)));
            out.flush();
            if (i < 64) {
                pause(1);
            }
        }
    }

    /** Reads answers until the server closes or is quiet for the socket timeout (bounded: at most 200 ms). */
    private void drain(InputStream in, byte[] sink) throws IOException {
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until) {
            try {
                int n = in.read(sink);
                if (n < 0) {
                    stats.closedByServer.increment();
                    return;
                }
                stats.answerBytes.add(n);
            } catch (SocketTimeoutException quiet) {
                return;
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
