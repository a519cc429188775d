package io.rns.rpc.transport;

import io.rns.rpc.v1.ResponseEnvelope;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking socket for hand-crafted bytes. */
final class RawSocket implements AutoCloseable {
    final Socket socket;

    RawSocket(InetSocketAddress addr) throws IOException {
        socket = new Socket();
        socket.connect(addr, 2000);
        socket.setSoTimeout(5000);
    }

    RawSocket write(byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            socket.getOutputStream().write(p);
        }
        socket.getOutputStream().flush();
        return this;
    }

    ResponseEnvelope readResponse() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int n = in.readInt();
        byte[] body = new byte[n];
        in.readFully(body);
        return ResponseEnvelope.parseFrom(body);
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout; skips any data. */
    boolean closedByPeer() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) { // connection reset
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
