package dev.shipgate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare TCP connection for what an HTTP client library will not send: oversized, slow or half-finished requests. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Everything the server sends until it closes the connection, or until {@code millis} pass without a byte. */
    String readUntilClosed(int millis) throws IOException {
        socket.setSoTimeout(millis);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open " + millis + " ms; it sent: " + received);
        } catch (IOException e) {
            // a reset after the answer counts as closed
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** One complete answer with a Content-Length body, leaving the connection open. */
    String readOne(int millis) throws IOException {
        socket.setSoTimeout(millis);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int headerEnd = -1;
        int length = -1;
        while (headerEnd < 0 || received.size() < headerEnd + length) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after: " + received);
            }
            received.write(b);
            if (headerEnd < 0 && received.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                String head = received.toString(StandardCharsets.ISO_8859_1);
                headerEnd = head.length();
                var m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
                length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    boolean closedByServer(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static String body(String response) {
        int end = response.indexOf("\r\n\r\n");
        return end < 0 ? "" : response.substring(end + 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
