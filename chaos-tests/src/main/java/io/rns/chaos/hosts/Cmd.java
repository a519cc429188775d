package io.rns.chaos.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands with a hard time bound; a command still running at its deadline is SIGKILLed. */
public final class Cmd {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Cmd() {
    }

    public static ExecResult run(String... command) {
        return run(DEFAULT_TIMEOUT, null, List.of(command));
    }

    public static ExecResult run(List<String> command) {
        return run(DEFAULT_TIMEOUT, null, command);
    }

    /** @param stdin text written to the command's standard input ({@code null}: none) */
    public static ExecResult run(Duration timeout, String stdin, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ExecResult(command, 127, "", "cannot run " + command.get(0) + ": " + e.getMessage(), false);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command exited early; its exit code tells
        }
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            p.destroyForcibly();
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.finish();
        err.finish();
        return new ExecResult(command, done ? p.exitValue() : -1, out.text(), err.text(), !done);
    }

    /** Reads a stream to its end on a daemon thread. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("rns-chaos-cmd-drain");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) >= 0;) {
                    synchronized (buf) {
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // stream closed: done
            }
        }

        void finish() {
            try {
                join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
