package io.portlink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a free local port in front of a database server, that counts the client's turns: the times the client
 * sends after the server has answered (or for the first time). A statement and its answer are one turn; two statements
 * sent before the client waits are one turn too. One client connection at a time; {@link #close} ends it.
 */
public final class RoundTripProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final AtomicInteger turns = new AtomicInteger();
    /** Who sent last: 'c' the client, 's' the server. */
    private final AtomicReference<Character> last = new AtomicReference<>('s');
    private final AtomicReference<Socket[]> open = new AtomicReference<>();

    /** Starts the proxy in front of {@code host:port}. */
    public RoundTripProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "round-trip-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** The proxy's port on the loopback address. */
    public int port() {
        return server.getLocalPort();
    }

    /** The client's turns so far. */
    public int turns() {
        return turns.get();
    }

    private void accept() {
        try (Socket client = server.accept(); Socket db = new Socket(host, port)) {
            client.setTcpNoDelay(true);
            db.setTcpNoDelay(true);
            open.set(new Socket[] { client, db });
            Thread up = new Thread(() -> pump(client, db, 'c'), "round-trip-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(db, client, 's');
            up.join();
        } catch (IOException | InterruptedException e) {
            // closed: the test is over
        }
    }

    private void pump(Socket from, Socket to, char side) {
        byte[] buffer = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                // a turn starts when the client sends after the server's answer; the bytes are counted before they go
                // on, so the answer cannot arrive before its question was counted
                if (side == 'c' && last.getAndSet('c') == 's') {
                    turns.incrementAndGet();
                } else if (side == 's') {
                    last.set('s');
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket[] sockets = open.get();
        if (sockets != null) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
