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

    /**
     * What a new token may do and spend, as the CLI and {@code POST /tokens} take it; amounts in USD with
     * at most two decimals, null for no limit.
     */
    public record Spec(String name, java.util.Set<Scope> scopes, Limits limits) {

        /** Everything wrong with the spec, one entry per field (name, reason); empty when it is fine. */
        public java.util.List<String[]> problems() {
            java.util.List<String[]> out = new java.util.ArrayList<>();
            if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > 100) {
                out.add(new String[] {"name", "must be 1 to 100 characters"});
            } else if (dev.shipgate.http.DisplayText.disguised(name)) {
                out.add(new String[] {"name", dev.shipgate.http.DisplayText.REASON});
            }
            if (scopes == null || scopes.isEmpty()) {
                out.add(new String[] {"scopes", "must name at least one of read, ship, buy, admin"});
            }
            money(out, "max_label_cost", limits.maxLabelCost());
            money(out, "daily_spend", limits.dailySpend());
            money(out, "approval_above", limits.approvalAbove());
            return out;
        }

        private static void money(java.util.List<String[]> out, String field, java.math.BigDecimal amount) {
            // The decimals as written: "5.000" has three, whatever their value.
            if (amount != null && (amount.signum() < 0 || amount.scale() > 2
                    || amount.compareTo(new java.math.BigDecimal("1000000")) > 0)) {
                out.add(new String[] {field, "must be a USD amount from 0 to 1000000 with at most two decimals"});
            }
        }
    }

    /** Parses {@code read,ship}: the scopes, or empty when a name is not a scope. */
    public static java.util.Optional<java.util.Set<Scope>> parseScopes(java.util.Collection<String> names) {
        java.util.Set<Scope> out = java.util.EnumSet.noneOf(Scope.class);
        for (String n : names) {
            java.util.Optional<Scope> s = Scope.parse(n.trim().toLowerCase(java.util.Locale.ROOT));
            if (s.isEmpty()) {
                return java.util.Optional.empty();
            }
            out.add(s.get());
        }
        return java.util.Optional.of(out);
    }

    /** Stores a new token with all scopes and no limits (the first-start token); returns the plain token once. */
    public static String create(DatabaseUrl url, String name) {
        return create(url, new Spec(name, Scope.ALL, Limits.NONE));
    }

    /** Stores a new token as {@code spec} says and returns the plain token, which is not kept anywhere. */
    public static String create(DatabaseUrl url, Spec spec) {
        String token = generate();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO api_tokens (id, name, token_hash, scopes, max_label_cost, daily_spend, approval_above)"
                             + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, spec.name());
            insert.setBytes(3, hash(token));
            insert.setArray(4, c.createArrayOf("text", spec.scopes().stream().map(Scope::wire).toArray()));
            insert.setBigDecimal(5, spec.limits().maxLabelCost());
            insert.setBigDecimal(6, spec.limits().dailySpend());
            insert.setBigDecimal(7, spec.limits().approvalAbove());
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
