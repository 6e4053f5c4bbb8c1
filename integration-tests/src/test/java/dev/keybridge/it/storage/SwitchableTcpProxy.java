package dev.keybridge.it.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of MariaDB that a test can "stop": open connections are cut and new ones
 * are accepted but never answered, which is what a crashed or hung database looks like to a
 * client. It can also {@link #freeze} (a SIGSTOPped server: open connections stay open and silent)
 * or {@link #refuse} (a dead server: every connection is closed at once). Started again, it
 * forwards as before.
 */
final class SwitchableTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private enum Mode { FORWARD, HANG, FREEZE, REFUSE }

    private volatile Mode mode = Mode.FORWARD;

    SwitchableTcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "mysql-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** MySQL goes away: every open connection is cut, new ones hang. */
    void stop() {
        mode = Mode.HANG;
        cutAll();
    }

    /** MySQL hangs: open connections stay open but nothing more passes, new ones are never answered. */
    void freeze() {
        mode = Mode.FREEZE;
    }

    /** MySQL is dead: open connections are cut, new ones are closed as soon as they are accepted. */
    void refuse() {
        mode = Mode.REFUSE;
        cutAll();
    }

    void start() {
        cutAll();
        mode = Mode.FORWARD;
    }

    private void cutAll() {
        open.forEach(SwitchableTcpProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.REFUSE) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                if (mode == Mode.FORWARD) {
                    Socket upstream = new Socket(targetHost, targetPort);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                }
            } catch (IOException e) {
                // server closed, or upstream refused: the client sees its connection dropped
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (mode == Mode.FREEZE) {
                        continue; // a stopped server reads nothing and answers nothing
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "mysql-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        server.close();
    }
}
