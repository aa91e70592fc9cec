package dev.shipgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location in the {@code postgresql://user:password@host:port/database} form used by the
 * design Shipgate replaces, so existing deployments keep their setting. The password never appears in
 * {@link #toString()}.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

    public static DatabaseUrl parse(String setting, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(setting + " is not a URL: expected postgresql://user:password@host:port/database");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new ConfigException(setting + " must start with postgresql:// (got scheme '" + scheme + "')");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(setting + " " + badAuthority(value.trim(), uri.getRawAuthority())
                    + ": expected postgresql://user:password@host:port/database");
        }
        if (uri.getRawQuery() != null) {
            throw new ConfigException(setting + " has parameters (?" + uri.getRawQuery().replaceAll("password=[^&]*", "password=...")
                    + ") that Shipgate does not apply; remove them (TLS to PostgreSQL and other connection options are not "
                    + "supported in this setting)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw new ConfigException(setting + " has no database name after the host");
        }
        String user = "postgres";
        String password = "";
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new ConfigException(setting + " has port " + port + ": a TCP port is 1 to 65535");
        }
        return new DatabaseUrl(uri.getHost(), port, decode(path), user, password);
    }

    /**
     * Why a URL's authority ({@code user:password@host:port}) names no host (for every URL setting and the
     * webhook endpoints' URLs: {@link java.net.URI} reads a non-numeric port as a host-less authority), as the
     * end of a sentence starting with the setting's name ("has port 'abc', which is not a number"), without ever quoting the user
     * or password: no authority at all, a port that is not a number, or a host that is not a host name.
     * When the text after the authority still holds an {@code @}, a reserved character in the user or
     * password cut the authority short (then nothing of it is quoted: it may be part of the password).
     */
    public static String badAuthority(String value, String rawAuthority) {
        if (rawAuthority == null || rawAuthority.isEmpty()) {
            return "has no host";
        }
        int end = value.indexOf(rawAuthority) + rawAuthority.length();
        if (value.indexOf('@', end) >= 0) {
            return "cannot be read: a '/', '?' or '#' in the user or password must be percent-encoded (%2F, %3F, %23)";
        }
        String hostPort = rawAuthority.substring(rawAuthority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
            String port = hostPort.substring(colon + 1);
            if (!port.matches("[0-9]*")) {
                return "has port '" + port + "', which is not a number";
            }
            if (port.length() > 5) {
                return "has port " + port + ": a TCP port is 1 to 65535";
            }
            hostPort = hostPort.substring(0, colon);
        }
        return hostPort.isEmpty() ? "has no host" : "has host '" + hostPort + "', which is not a valid host name";
    }

    /** Percent-decoding as libpq reads a URL: a '+' stays a '+' (URLDecoder alone would make it a space). */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Where the service connects, safe to print. */
    public String display() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return display();
    }
}
