package dev.shipgate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of PostgreSQL that reads the wire protocol to count the round trips a client
 * really waits for. A round trip opens with the first message a connection sends while none of its
 * requests is outstanding and closes with the server's ReadyForQuery that answers the last of them.
 * The round trip is closed before that answer is passed on, so nothing the client sends because of the
 * answer can join it; statements the client pipelines (sends before earlier answers) join it as long as
 * they arrive while it is open. The closing answer is held back 5 ms so that pipelined writes the
 * proxy's thread reads late on a busy machine are not counted as round trips of their own; writes that
 * reach the proxy further apart than that still are, so an error only ever adds round trips.
 * pg_stat_statements counts statements; this counts the waits.
 */
final class PgWireProxy implements AutoCloseable {

    /**
     * One round trip: the connection's {@code application_name}, the statements executed and prepared in
     * it, and the transactions it ended, as the server's ReadyForQuery reported them (back to idle from a
     * request or from a transaction block, not from a failed one).
     */
    record RoundTrip(String application, List<String> statements, List<String> prepared, int transactions) {
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final long HOLD_NANOS = 5_000_000;

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<RoundTrip> completed = new ArrayList<>();
    private int opened;

    PgWireProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        daemon("pg-proxy-accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The round trips completed since the last call, forgotten here. */
    synchronized List<RoundTrip> drain() {
        List<RoundTrip> all = List.copyOf(completed);
        completed.clear();
        opened = 0;
        return all;
    }

    /** Connections that finished their startup since the last {@link #drain()}. */
    synchronized int opened() {
        return opened;
    }

    private synchronized void record(RoundTrip trip) {
        completed.add(trip);
    }

    private synchronized void connectionOpened() {
        opened++;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Connection c = new Connection();
                daemon("pg-proxy-client", () -> pump(client, upstream, c, true));
                daemon("pg-proxy-server", () -> pump(upstream, client, c, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, Connection c, boolean fromClient) {
        byte[] chunk = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (fromClient) {
                    c.clientBytesInHand = true;
                    c.fromClient(chunk, n);
                    c.clientBytesInHand = false;
                    out.write(chunk, 0, n);
                } else {
                    if (c.fromServer(chunk, n)) {
                        LockSupport.parkNanos(HOLD_NANOS);
                        awaitClientBytes(to, c);
                        c.answered();
                    }
                    out.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            // the other side closed; closing both ends below is all there is to do
        } finally {
            close(from);
            close(to);
        }
    }

    /**
     * Bytes the client sent before this answer reached it (still in the socket, or read but not yet
     * parsed) belong to the round trip: let the other pump take them in before it is closed.
     */
    private static void awaitClientBytes(Socket client, Connection c) throws IOException {
        long deadline = System.nanoTime() + 100 * HOLD_NANOS;
        while ((client.getInputStream().available() > 0 || c.clientBytesInHand) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(HOLD_NANOS / 10);
        }
    }

    /** What the proxy knows of one connection; both pump threads update it. */
    private final class Connection {

        private volatile boolean clientBytesInHand;

        private final Framer clientStream = new Framer();
        private final Framer serverStream = new Framer();
        private final Map<String, String> prepared = new HashMap<>();
        private boolean startup = true;
        private boolean ready;
        private boolean opaque;
        private int singleByteAnswers;
        private String application = "?";
        private int outstanding;
        private List<String> statements;
        private List<String> prepares;
        private int transactions;
        private char status = 'I';

        synchronized void fromClient(byte[] chunk, int n) {
            if (opaque) {
                return;
            }
            clientStream.feed(chunk, n);
            byte[] m;
            while ((m = clientStream.next(startup)) != null) {
                if (startup) {
                    startup(m);
                } else if (ready) {
                    message(m);
                }
            }
        }

        private void startup(byte[] m) {
            int code = Framer.int32(m, 5);
            if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                singleByteAnswers++;
                return;
            }
            if (code == CANCEL_REQUEST) {
                opaque = true;
                return;
            }
            startup = false;
            String[] params = Framer.cstrings(m, 9, Integer.MAX_VALUE);
            for (int i = 0; i + 1 < params.length && !params[i].isEmpty(); i += 2) {
                if ("application_name".equals(params[i])) {
                    application = params[i + 1];
                }
            }
        }

        private void message(byte[] m) {
            char type = (char) m[0];
            if (type == 'X') {
                return;
            }
            if (statements == null) {
                statements = new ArrayList<>();
                prepares = new ArrayList<>();
                transactions = 0;
            }
            switch (type) {
                case 'P' -> {
                    String[] s = Framer.cstrings(m, 5, 2);
                    prepared.put(s[0], s[1]);
                    prepares.add(s[1]);
                }
                case 'B' -> statements.add(prepared.getOrDefault(Framer.cstrings(m, 5, 2)[1], "?"));
                case 'Q' -> {
                    statements.add(Framer.cstrings(m, 5, 1)[0]);
                    outstanding++;
                }
                case 'S' -> outstanding++;
                default -> {
                }
            }
        }

        /** Whether this chunk answers the last outstanding request of an open round trip. */
        synchronized boolean fromServer(byte[] chunk, int n) {
            if (opaque) {
                return false;
            }
            serverStream.feed(chunk, n);
            boolean answered = false;
            while (true) {
                if (singleByteAnswers > 0) {
                    if (serverStream.skip(1) == 0) {
                        break;
                    }
                    singleByteAnswers--;
                    continue;
                }
                byte[] m = serverStream.next(false);
                if (m == null) {
                    break;
                }
                if (m[0] == 'Z') {
                    if (!ready) {
                        ready = true;
                        connectionOpened();
                    } else if (outstanding > 0) {
                        outstanding--;
                        answered = true;
                        char now = (char) m[5];
                        if (now == 'I' && status != 'E') {
                            transactions++;
                        }
                        status = now;
                    }
                }
            }
            return answered && outstanding == 0 && statements != null;
        }

        /** The closing answer goes to the client now: what it sends from here on may depend on it. */
        synchronized void answered() {
            if (outstanding == 0 && statements != null) {
                record(new RoundTrip(application, List.copyOf(statements), List.copyOf(prepares), transactions));
                statements = null;
            }
        }
    }

    /** Cuts a byte stream into messages: a type byte and a length that counts itself (none for startup). */
    private static final class Framer {

        private byte[] buf = new byte[65536];
        private int start;
        private int end;

        void feed(byte[] chunk, int n) {
            if (end + n > buf.length) {
                int live = end - start;
                byte[] bigger = live + n > buf.length ? new byte[Math.max(buf.length * 2, live + n)] : buf;
                System.arraycopy(buf, start, bigger, 0, live);
                buf = bigger;
                start = 0;
                end = live;
            }
            System.arraycopy(chunk, 0, buf, end, n);
            end += n;
        }

        /** The next whole message as its type byte (0 when untyped), its length and its body; or null. */
        byte[] next(boolean untyped) {
            int header = untyped ? 4 : 5;
            if (end - start < header) {
                return null;
            }
            int length = int32(buf, untyped ? start : start + 1);
            int total = (untyped ? 0 : 1) + length;
            if (end - start < total) {
                return null;
            }
            byte[] m = new byte[1 + length];
            m[0] = untyped ? 0 : buf[start];
            System.arraycopy(buf, untyped ? start : start + 1, m, 1, length);
            start += total;
            return m;
        }

        int skip(int n) {
            int skipped = Math.min(n, end - start);
            start += skipped;
            return skipped;
        }

        static int int32(byte[] b, int at) {
            return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
        }

        /** Up to {@code max} NUL-terminated strings from {@code at}. */
        static String[] cstrings(byte[] b, int at, int max) {
            List<String> out = new ArrayList<>();
            int i = at;
            while (i < b.length && out.size() < max) {
                int zero = i;
                while (zero < b.length && b[zero] != 0) {
                    zero++;
                }
                out.add(new String(b, i, zero - i, StandardCharsets.UTF_8));
                i = zero + 1;
            }
            return out.toArray(String[]::new);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(this::close);
    }
}
