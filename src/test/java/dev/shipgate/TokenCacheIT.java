package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.auth.TokenCache;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process token cache gives up nothing of immediate revocation: a change made in SQL by another
 * connection (as another service instance would) reaches every cached token through the
 * {@code api_token_changes} notification, and across a database restart the cache is bypassed until it
 * listens again.
 */
@DisplayName("The token cache and changes made elsewhere")
class TokenCacheIT {

    private static final Duration NOTIFIED = Duration.ofSeconds(2);

    static JsonObject token(Api admin, String name, String scopes, String maxLabelCost) {
        JsonObject body = new JsonObject().put("name", name).put("scopes", new JsonArray(List.of(scopes.split(","))))
                .put("max_label_cost", maxLabelCost);
        HttpResponse<Buffer> created = admin.post("/tokens", body, null);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return created.bodyAsJsonObject();
    }

    static HttpResponse<Buffer> call(Api api, String token, HttpMethod method, String uri, String body) {
        try {
            var request = api.client().request(method, uri).timeout(30_000).bearerTokenAuthentication(token);
            var sent = body == null ? request.send()
                    : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body));
            return sent.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + uri, e);
        }
    }

    static int list(Api api, String token) {
        return call(api, token, HttpMethod.GET, "/shipments?limit=1", null).statusCode();
    }

    static void sql(String jdbcUrl, String user, String password, String statement, UUID id) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement s = c.prepareStatement(statement)) {
            s.setObject(1, id);
            assertThat(s.executeUpdate()).as(statement).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sharedSql(String statement, UUID id) {
        var u = TestDatabase.url();
        sql(u.jdbcUrl(), u.user(), u.password(), statement, id);
    }

    @Test
    @DisplayName("a cached token revoked in SQL by another connection is refused once the notification arrives")
    void revokeInSqlReachesTheCache() {
        ShipgateApp app = TestApp.shared();
        TokenCache cache = app.tokenCache();
        try (Api admin = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            JsonObject agent = token(admin, "revoked-elsewhere", "read", null);
            UUID id = UUID.fromString(agent.getString("id"));
            Await.until("the token cache to listen", Duration.ofSeconds(10), cache::listening);
            assertThat(list(admin, agent.getString("token"))).isEqualTo(200);
            assertThat(cache.holds(id)).as("cached after its first request").isTrue();
            assertThat(list(admin, agent.getString("token"))).isEqualTo(200);

            sharedSql("UPDATE api_tokens SET revoked_at = now() WHERE id = ?", id);

            Await.until("the revoked token to be refused", NOTIFIED, () -> list(admin, agent.getString("token")) == 401);
            assertThat(cache.holds(id)).isFalse();
            assertThat(list(admin, agent.getString("token"))).as("and stays refused").isEqualTo(401);
        }
    }

    @Test
    @DisplayName("a per-label limit raised in SQL applies to the cached token's next dry run")
    void limitChangedInSqlApplies() {
        ShipgateApp app = TestApp.shared();
        TokenCache cache = app.tokenCache();
        try (Api admin = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            JsonObject agent = token(admin, "limit-raised-elsewhere", "read,buy", "5.00");
            UUID id = UUID.fromString(agent.getString("id"));
            String shipment = Fixtures.created(admin, "CACHE-LIMIT-1").getString("id");
            String dryRun = "{\"strategy\":\"cheapest\",\"dry_run\":true}";
            Await.until("the token cache to listen", Duration.ofSeconds(10), cache::listening);
            JsonObject before = call(admin, agent.getString("token"), HttpMethod.POST, "/shipments/" + shipment + "/buy", dryRun)
                    .bodyAsJsonObject();
            assertThat(before.getString("verdict")).as(before.encode()).isEqualTo("refused");
            assertThat(before.getString("limit")).isEqualTo("max_label_cost");
            assertThat(cache.holds(id)).isTrue();

            sharedSql("UPDATE api_tokens SET max_label_cost = 100.00 WHERE id = ?", id);

            JsonObject after = Await.value("the raised limit to apply", NOTIFIED,
                    () -> call(admin, agent.getString("token"), HttpMethod.POST, "/shipments/" + shipment + "/buy", dryRun)
                            .bodyAsJsonObject(),
                    answer -> "allowed".equals(answer.getString("verdict")));
            assertThat(after.getBoolean("dry_run")).isTrue();
        }
    }

    @Test
    @DisplayName("after a database restart a revoke still takes effect: made while nobody listened, and made after LISTEN is back")
    void revokeAcrossADatabaseRestart(@TempDir Path dir) throws Exception {
        int port = TestApp.freePort();
        EmbeddedPostgres pg = DatabaseRestartIT.postgres(dir, port);
        String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (ShipgateApp app = TestApp.start(Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + port + "/postgres",
                "DATABASE_POOL_SIZE", "4", "DATABASE_MAX_OVERFLOW", "2", "DATABASE_RAW_POOL_SIZE", "4"));
             Api admin = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            TokenCache cache = app.tokenCache();
            JsonObject during = token(admin, "revoked-during-outage", "read", null);
            UUID duringId = UUID.fromString(during.getString("id"));
            Await.until("the token cache to listen", Duration.ofSeconds(10), cache::listening);
            assertThat(list(admin, during.getString("token"))).isEqualTo(200);
            assertThat(cache.holds(duringId)).isTrue();

            pg.close();
            Await.until("the cache to notice its listener is gone", Duration.ofSeconds(10), () -> !cache.listening());
            pg = DatabaseRestartIT.postgres(dir, port);
            // Revoked as soon as the server is back, before or while the listener reconnects: no notice reaches it.
            sql(jdbc, "postgres", "", "UPDATE api_tokens SET revoked_at = now() WHERE id = ?", duringId);

            List<Integer> answers = new ArrayList<>();
            Await.until("the token revoked during the outage to be refused", Duration.ofSeconds(15), () -> {
                answers.add(list(admin, during.getString("token")));
                return answers.get(answers.size() - 1) == 401;
            });
            assertThat(answers).as("never served from the cache after the revoke").doesNotContain(200);

            Await.until("the token cache to listen again", Duration.ofSeconds(15), cache::listening);
            JsonObject after = token(admin, "revoked-after-restart", "read", null);
            UUID afterId = UUID.fromString(after.getString("id"));
            assertThat(list(admin, after.getString("token"))).isEqualTo(200);
            assertThat(cache.holds(afterId)).as("cached again once listening").isTrue();
            sql(jdbc, "postgres", "", "UPDATE api_tokens SET revoked_at = now() WHERE id = ?", afterId);
            Await.until("the token revoked after the restart to be refused", NOTIFIED,
                    () -> list(admin, after.getString("token")) == 401);
        } finally {
            pg.close();
        }
    }
}
