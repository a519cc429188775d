package io.rns.rpc.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.slf4j.Logger;

import javax.net.ssl.SSLException;
import java.io.IOException;

/** How client and server connections end on an error: one log line, then the channel is closed. */
final class ConnectionErrors {
    /** Protocol-error lines of this process, at most 10 a second. */
    private static final LogBudget PROTOCOL_ERRORS = new LogBudget(10, System::nanoTime);

    private ConnectionErrors() {
    }

    /**
     * Logs {@code cause} and closes the channel: a protocol error ({@link DecoderException}, described by
     * {@code protocolReason}) and an unexpected error at WARN, an I/O error at DEBUG.
     *
     * @param peer {@code "to host:port"} or {@code "from host:port"}
     */
    static void logAndClose(ChannelHandlerContext ctx, Logger log, String peer, Throwable cause,
            Throwable protocolReason) {
        if (cause instanceof DecoderException) {
            if (PROTOCOL_ERRORS.admit()) { // a flood of bad frames must not fill the disk through the log
                boolean tls = cause instanceof NotSslRecordException || protocolReason instanceof SSLException;
                log.warn("closing connection {}: {}: {}{}", peer, tls ? "TLS error" : "protocol error",
                        LogText.printable(String.valueOf(protocolReason.getMessage())),
                        PROTOCOL_ERRORS.takeSuppressed());
            }
        } else if (cause instanceof IOException) {
            log.debug("closing connection {}: {}", peer, cause.toString());
        } else {
            log.warn("closing connection {}: unexpected error", peer, cause);
        }
        ctx.close();
    }
}
