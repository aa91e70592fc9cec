package dev.shipgate.auth;

import dev.shipgate.config.DatabaseUrl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;

/**
 * Creating and hashing API tokens. Tokens are 256 random bits; only their SHA-256 digest is stored, so
 * the plain token is shown once, when it is created, and never again. Used by the CLI and at startup,
 * where blocking JDBC is fine.
 */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "sg_";

    private Tokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a new token under a name and returns the plain token, which is not kept anywhere. */
    public static String create(DatabaseUrl url, String name) {
        String token = generate();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO api_tokens (id, name, token_hash) VALUES (?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, name);
            insert.setBytes(3, hash(token));
            insert.executeUpdate();
            return token;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the token: " + e.getMessage(), e);
        }
    }

    /** On the very first start there is no way in: create one token so a newcomer can call the API. */
    public static String createFirstIfNone(DatabaseUrl url) {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM api_tokens")) {
            rs.next();
            return rs.getLong(1) == 0 ? create(url, "first-start") : null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read api_tokens: " + e.getMessage(), e);
        }
    }
}
