package dev.shipgate.easypost;

import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import javax.net.ssl.HttpsURLConnection;

/**
 * Makes the official EasyPost client read every answer whole. easypost-java 8.2.0 reads a response body
 * only if {@code InputStream.available()} is non-zero right after the status line, so a server that
 * flushes its headers before the body (or whose TLS records split the same way) turns a successful call
 * into {@code null} although EasyPost acted on it. The client builds each connection through the handler
 * named by the system property {@value #PROPERTY}; this one hands it a {@link WholeBodyConnection}, the
 * JDK's own HTTPS connection whose body is read completely before the client looks at it.
 *
 * <p>Installed once by {@link EasyPostGateway#start}; it applies to every {@code EasyPostClient} in the JVM.
 */
public final class WholeBodyStreamHandler extends URLStreamHandler {

    /** The system property easypost-java 8.2.0 reads for a custom handler (a class with a public no-arg constructor). */
    public static final String PROPERTY = "com.easypost.net.customURLStreamHandler";
    /** Largest answer accepted, in bytes: 32 MiB, far above EasyPost's largest documented objects. */
    public static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final int maxBodyBytes;

    public WholeBodyStreamHandler() {
        this(MAX_BODY_BYTES);
    }

    WholeBodyStreamHandler(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Points easypost-java at this handler for every later call in this JVM. */
    public static void install() {
        System.setProperty(PROPERTY, WholeBodyStreamHandler.class.getName());
    }

    @Override
    protected URLConnection openConnection(URL url) throws IOException {
        return new WholeBodyConnection(url, https(jdkUrl(url).openConnection()), maxBodyBytes);
    }

    @Override
    protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
        return new WholeBodyConnection(url, https(jdkUrl(url).openConnection(proxy)), maxBodyBytes);
    }

    /** The same address with the JDK's own handler, so the delegate is the JDK's HTTPS connection. */
    private static URL jdkUrl(URL url) throws IOException {
        try {
            return new URI(url.toExternalForm()).toURL();
        } catch (URISyntaxException e) {
            throw new IOException("not a valid EasyPost URL: " + url, e);
        }
    }

    private static HttpsURLConnection https(URLConnection connection) throws IOException {
        if (connection instanceof HttpsURLConnection https) {
            return https;
        }
        throw new IOException("EasyPost is only reached over https, not " + connection.getURL());
    }
}
