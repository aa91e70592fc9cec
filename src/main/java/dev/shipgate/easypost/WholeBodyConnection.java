package dev.shipgate.easypost;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;

/**
 * The JDK's HTTPS connection, with a body that is read completely before anyone sees it, so that
 * {@code available()} on what {@link #getInputStream()} and {@link #getErrorStream()} return is the
 * whole answer's length (see {@link WholeBodyStreamHandler} for why).
 *
 * <p>Limits: at most {@code maxBodyBytes} bytes; each read waits at most the read timeout (the socket's),
 * and the whole body must have arrived once the read timeout has passed since reading it began (checked
 * between reads, so a body that trickles in takes at most twice the read timeout). A body shorter than
 * its {@code Content-Length}, a broken chunked body, a larger one or a late one fails with
 * {@link IncompleteAnswer}, an {@link IOException} the client turns into {@code HttpError}: never a
 * short or empty string. That {@code HttpError} drops the exception it wraps, so the failure is also kept
 * for the calling thread ({@link #takeIncomplete()}): the client reads on the thread that called it.
 */
final class WholeBodyConnection extends DelegatingHttpsConnection {

    /** The status line and headers came, but not the whole body: EasyPost's answer is lost. */
    static final class IncompleteAnswer extends IOException {
        IncompleteAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int CHUNK_BYTES = 8192;
    private static final ThreadLocal<IncompleteAnswer> LAST_INCOMPLETE = new ThreadLocal<>();
    private static final ThreadLocal<IOException> LAST_NOT_SENT = new ThreadLocal<>();

    private final int maxBodyBytes;
    private byte[] body;
    private IOException failure;

    WholeBodyConnection(URL url, HttpsURLConnection delegate, int maxBodyBytes) {
        super(url, delegate);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The answer that broke off last on this thread, if any, and forgets it. */
    static IncompleteAnswer takeIncomplete() {
        IncompleteAnswer last = LAST_INCOMPLETE.get();
        LAST_INCOMPLETE.remove();
        return last;
    }

    /**
     * Why the last request on this thread never left (a refused connection, an unknown host, a failed TLS
     * handshake), if it did not, and forgets it. The client's {@code HttpError} drops this cause, yet it is
     * what proves EasyPost did not act, so a creation or a purchase may be sent again.
     */
    static IOException takeNotSent() {
        IOException last = LAST_NOT_SENT.get();
        LAST_NOT_SENT.remove();
        return last;
    }

    @Override
    public void connect() throws IOException {
        try {
            super.connect();
        } catch (java.net.ConnectException | java.net.UnknownHostException | javax.net.ssl.SSLHandshakeException e) {
            LAST_NOT_SENT.set(e);
            throw e;
        }
    }

    @Override
    public java.io.OutputStream getOutputStream() throws IOException {
        try {
            return super.getOutputStream();
        } catch (java.net.ConnectException | java.net.UnknownHostException | javax.net.ssl.SSLHandshakeException e) {
            LAST_NOT_SENT.set(e);
            throw e;
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new ByteArrayInputStream(body(false));
    }

    /**
     * The error body, read whole. The signature allows no checked exception, so a broken body comes back
     * as a stream that throws the failure from {@code available()} and {@code read()}; a missing one as empty.
     */
    @Override
    public InputStream getErrorStream() {
        try {
            return new ByteArrayInputStream(body(true));
        } catch (IOException e) {
            return new FailedStream(e);
        }
    }

    /** Reads the body once; the stream itself is opened by the JDK, whose own failures pass unchanged. */
    private synchronized byte[] body(boolean error) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (body == null) {
            InputStream in = error ? delegate.getErrorStream() : delegate.getInputStream();
            try {
                body = in == null ? new byte[0] : readWhole(in);
            } catch (IOException e) {
                IncompleteAnswer incomplete = e instanceof IncompleteAnswer known ? known
                        : new IncompleteAnswer("EasyPost's answer broke off: " + e.getMessage(), e);
                LAST_INCOMPLETE.set(incomplete);
                failure = incomplete;
                delegate.disconnect();
                throw failure;
            }
        }
        return body;
    }

    private byte[] readWhole(InputStream in) throws IOException {
        long expected = delegate.getContentLengthLong();
        if (expected > maxBodyBytes) {
            in.close();
            throw new IncompleteAnswer("EasyPost's answer announces " + expected + " bytes, above the limit of "
                    + maxBodyBytes, null);
        }
        int timeoutMs = delegate.getReadTimeout();
        long deadline = System.nanoTime() + (timeoutMs > 0 ? TimeUnit.MILLISECONDS.toNanos(timeoutMs) : Long.MAX_VALUE / 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream(expected > 0 ? (int) expected : CHUNK_BYTES);
        byte[] chunk = new byte[CHUNK_BYTES];
        try (in) {
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                out.write(chunk, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw new IncompleteAnswer("EasyPost's answer is larger than the limit of " + maxBodyBytes
                            + " bytes", null);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IncompleteAnswer("EasyPost's answer still incomplete after the read timeout",
                            new SocketTimeoutException(out.size() + " bytes in " + timeoutMs + " ms"));
                }
            }
        }
        if (expected >= 0 && out.size() != expected) {
            throw new IncompleteAnswer("EasyPost's answer was cut off after " + out.size() + " of " + expected
                    + " bytes", null);
        }
        return out.toByteArray();
    }

    /** What {@link #getErrorStream()} returns when the error body could not be read whole. */
    private static final class FailedStream extends InputStream {
        private final IOException failure;

        FailedStream(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int available() throws IOException {
            throw failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "WholeBodyConnection[" + delegate + "]";
    }
}
