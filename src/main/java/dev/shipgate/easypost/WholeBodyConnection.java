package dev.shipgate.easypost;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.security.Permission;
import java.security.Principal;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;

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
final class WholeBodyConnection extends HttpsURLConnection {

    /** The status line and headers came, but not the whole body: EasyPost's answer is lost. */
    static final class IncompleteAnswer extends IOException {
        IncompleteAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int CHUNK_BYTES = 8192;
    private static final ThreadLocal<IncompleteAnswer> LAST_INCOMPLETE = new ThreadLocal<>();

    private final HttpsURLConnection delegate;
    private final int maxBodyBytes;
    private byte[] body;
    private IOException failure;

    WholeBodyConnection(URL url, HttpsURLConnection delegate, int maxBodyBytes) {
        super(url);
        this.delegate = delegate;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The answer that broke off last on this thread, if any, and forgets it. */
    static IncompleteAnswer takeIncomplete() {
        IncompleteAnswer last = LAST_INCOMPLETE.get();
        LAST_INCOMPLETE.remove();
        return last;
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
    public void connect() throws IOException {
        delegate.connect();
    }

    @Override
    public void disconnect() {
        delegate.disconnect();
    }

    @Override
    public boolean usingProxy() {
        return delegate.usingProxy();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return delegate.getOutputStream();
    }

    @Override
    public int getResponseCode() throws IOException {
        return delegate.getResponseCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return delegate.getResponseMessage();
    }

    @Override
    public void setRequestMethod(String method) throws java.net.ProtocolException {
        delegate.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return delegate.getRequestMethod();
    }

    @Override
    public void setRequestProperty(String key, String value) {
        delegate.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        delegate.addRequestProperty(key, value);
    }

    @Override
    public String getRequestProperty(String key) {
        return delegate.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return delegate.getRequestProperties();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        delegate.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return delegate.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        delegate.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return delegate.getReadTimeout();
    }

    @Override
    public void setDoInput(boolean doInput) {
        delegate.setDoInput(doInput);
    }

    @Override
    public boolean getDoInput() {
        return delegate.getDoInput();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        delegate.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return delegate.getDoOutput();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        delegate.setUseCaches(useCaches);
    }

    @Override
    public boolean getUseCaches() {
        return delegate.getUseCaches();
    }

    @Override
    public void setAllowUserInteraction(boolean allow) {
        delegate.setAllowUserInteraction(allow);
    }

    @Override
    public boolean getAllowUserInteraction() {
        return delegate.getAllowUserInteraction();
    }

    @Override
    public void setIfModifiedSince(long ifModifiedSince) {
        delegate.setIfModifiedSince(ifModifiedSince);
    }

    @Override
    public long getIfModifiedSince() {
        return delegate.getIfModifiedSince();
    }

    @Override
    public void setInstanceFollowRedirects(boolean follow) {
        delegate.setInstanceFollowRedirects(follow);
    }

    @Override
    public boolean getInstanceFollowRedirects() {
        return delegate.getInstanceFollowRedirects();
    }

    @Override
    public void setFixedLengthStreamingMode(int length) {
        delegate.setFixedLengthStreamingMode(length);
    }

    @Override
    public void setFixedLengthStreamingMode(long length) {
        delegate.setFixedLengthStreamingMode(length);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
        delegate.setChunkedStreamingMode(chunkLength);
    }

    @Override
    public String getHeaderField(String name) {
        return delegate.getHeaderField(name);
    }

    @Override
    public String getHeaderField(int n) {
        return delegate.getHeaderField(n);
    }

    @Override
    public String getHeaderFieldKey(int n) {
        return delegate.getHeaderFieldKey(n);
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return delegate.getHeaderFields();
    }

    @Override
    public long getHeaderFieldDate(String name, long defaultValue) {
        return delegate.getHeaderFieldDate(name, defaultValue);
    }

    @Override
    public int getHeaderFieldInt(String name, int defaultValue) {
        return delegate.getHeaderFieldInt(name, defaultValue);
    }

    @Override
    public long getHeaderFieldLong(String name, long defaultValue) {
        return delegate.getHeaderFieldLong(name, defaultValue);
    }

    @Override
    public int getContentLength() {
        return delegate.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return delegate.getContentLengthLong();
    }

    @Override
    public String getContentType() {
        return delegate.getContentType();
    }

    @Override
    public String getContentEncoding() {
        return delegate.getContentEncoding();
    }

    @Override
    public long getDate() {
        return delegate.getDate();
    }

    @Override
    public long getExpiration() {
        return delegate.getExpiration();
    }

    @Override
    public long getLastModified() {
        return delegate.getLastModified();
    }

    @Override
    public Permission getPermission() throws IOException {
        return delegate.getPermission();
    }

    @Override
    public String getCipherSuite() {
        return delegate.getCipherSuite();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return delegate.getLocalCertificates();
    }

    @Override
    public Certificate[] getServerCertificates() throws SSLPeerUnverifiedException {
        return delegate.getServerCertificates();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return delegate.getPeerPrincipal();
    }

    @Override
    public Principal getLocalPrincipal() {
        return delegate.getLocalPrincipal();
    }

    @Override
    public Optional<SSLSession> getSSLSession() {
        return delegate.getSSLSession();
    }

    @Override
    public void setHostnameVerifier(HostnameVerifier verifier) {
        delegate.setHostnameVerifier(verifier);
    }

    @Override
    public HostnameVerifier getHostnameVerifier() {
        return delegate.getHostnameVerifier();
    }

    @Override
    public void setSSLSocketFactory(SSLSocketFactory factory) {
        delegate.setSSLSocketFactory(factory);
    }

    @Override
    public SSLSocketFactory getSSLSocketFactory() {
        return delegate.getSSLSocketFactory();
    }

    @Override
    public String toString() {
        return "WholeBodyConnection[" + delegate + "]";
    }
}
