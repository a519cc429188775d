package io.rns.chaos.hosts;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code docker exec} in a running container with stdout and stderr collected, bounded by {@link #EXEC_TIMEOUT}. */
final class ContainerExec {
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(20);

    private ContainerExec() {
    }

    /** Runs {@code command} in the container; {@code desc} is how the result describes it. Never throws. */
    static ExecResult run(DockerClient docker, String containerId, List<String> desc, List<String> command) {
        try {
            String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame f) {
                    synchronized (out) {
                        switch (f.getStreamType()) {
                            case STDERR -> err.writeBytes(f.getPayload());
                            default -> out.writeBytes(f.getPayload());
                        }
                    }
                }
            };
            boolean done = docker.execStartCmd(execId).exec(cb).awaitCompletion(EXEC_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            cb.close();
            Long code = done ? docker.inspectExecCmd(execId).exec().getExitCodeLong() : null;
            synchronized (out) {
                return new ExecResult(desc, code == null ? -1 : code.intValue(), out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8), !done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(desc, -1, "", "interrupted", true);
        } catch (IOException | RuntimeException e) {
            return new ExecResult(desc, 126, "", e.toString(), false);
        }
    }
}
