package dev.shipgate.webhooks;

import dev.shipgate.http.StorableText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Keeps webhook deliveries away from the service's own network (server-side request forgery). A URL must
 * be absolute http(s) without user info, https unless private targets are allowed, and every address its
 * host resolves to must be public: not loopback, private (RFC 1918, RFC 6598 shared), link-local (cloud
 * metadata at 169.254.169.254), unique-local (RFC 4193), site-local, multicast, unspecified or reserved,
 * IPv4 or IPv6, including IPv4 addresses embedded in IPv6 (mapped, compatible, NAT64 64:ff9b::/96,
 * 6to4 2002::/16). It is checked when an endpoint is registered and again before every attempt, and the
 * attempt connects to the very address that was checked, so a DNS answer that changes in between (DNS
 * rebinding) cannot redirect it. Redirects are never followed.
 */
final class TargetGuard {

    static final int MAX_URL_LENGTH = 2048;

    /** A URL that passed the syntax checks, with its host as it must be resolved (IPv6 without brackets). */
    record Target(URI uri, String host, int port, boolean tls) {
    }

    private final Vertx vertx;
    private final boolean allowPrivate;

    TargetGuard(Vertx vertx, boolean allowPrivate) {
        this.vertx = vertx;
        this.allowPrivate = allowPrivate;
    }

    /**
     * The URL's parts, or an {@link IllegalArgumentException} whose message says what is wrong with it (in
     * words for the {@code url} field of a problem).
     */
    Target parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_URL_LENGTH + " characters");
        }
        String storable = StorableText.problem(url);
        if (storable != null) {
            throw new IllegalArgumentException(storable);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("must be an https:// URL");
        }
        if (scheme.equals("http") && !allowPrivate) {
            throw new IllegalArgumentException("must be https (plain http is allowed only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true)");
        }
        if (uri.getHost() == null && uri.getRawAuthority() != null && !uri.getRawAuthority().contains("@")) {
            // "https://hooks.example.com:abc/x" parses with no host: say what is wrong with it
            String why = dev.shipgate.config.DatabaseUrl.badAuthority(url.trim(), uri.getRawAuthority());
            if (why.startsWith("has port")) {
                throw new IllegalArgumentException(why);
            }
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must be an absolute URL with a host and without user info or fragment");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = scheme.equals("https");
        return new Target(uri, host, uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80, tls);
    }

    /**
     * The address to connect to for {@code target}: the first its host resolves to, when every one is
     * allowed. Fails with an {@link IllegalArgumentException} naming the refused address or the host that
     * does not resolve. Resolution blocks, so it runs on a worker thread.
     */
    Future<InetAddress> resolve(Target target) {
        return vertx.executeBlocking(() -> {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(target.host());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host " + target.host() + " does not resolve");
            }
            if (!allowPrivate) {
                for (InetAddress address : all) {
                    String refused = refusal(address);
                    if (refused != null) {
                        throw new IllegalArgumentException("host " + target.host() + " resolves to " + address.getHostAddress()
                                + ", " + refused + "; only public addresses may receive webhooks");
                    }
                }
            }
            return all[0];
        }, false);
    }

    /** Why {@code address} may not receive webhooks, or null when it is a public address. */
    static String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusalV4(b);
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local address";
            }
            byte[] embedded = embeddedV4(b);
            if (embedded != null) {
                try {
                    String inner = refusal(InetAddress.getByAddress(embedded));
                    return inner == null ? null : "an IPv6 address embedding " + InetAddress.getByAddress(embedded).getHostAddress()
                            + " (" + inner + ")";
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "a documentation address";
            }
        }
        return null;
    }

    private static String refusalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return "an unspecified address";
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return "a private address (shared, RFC 6598)";
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
            return "a reserved address";
        }
        if (a0 == 198 && (a1 == 18 || a1 == 19)) {
            return "a reserved address";
        }
        if (a0 >= 240) {
            return "a reserved address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address, else null. */
    private static byte[] embeddedV4(byte[] b) {
        boolean zeroTen = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]);
        if (zeroTen && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || b[10] == 0 && b[11] == 0)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        byte[] nat64 = {0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
        if (Arrays.equals(Arrays.copyOf(b, 12), nat64)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }
}
