package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When the database goes away")
class DatabaseOutageIT {

    @Test
    @DisplayName("health turns 503 and API calls answer 503 problems, never 500")
    void databaseDown() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        String url = "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres";
        try (ShipgateApp app = TestApp.start(Map.of("DATABASE_URL", url));
             Api api = new Api(app.config().httpPort(), TestApp.TOKEN);
             Api anonymous = new Api(app.config().httpPort(), null)) {
            assertThat(anonymous.get("/health").statusCode()).isEqualTo(200);
            assertThat(api.get("/shipments").statusCode()).isEqualTo(200);

            pg.close();

            var health = anonymous.get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
            assertThat(health.bodyAsJsonObject().getJsonObject("database").getString("status")).isEqualTo("DOWN");
            assertThat(anonymous.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
            for (String uri : new String[] {"/shipments", "/analytics/2026-01-01",
                "/shipments/00000000-0000-4000-8000-000000000000"}) {
                var response = api.get(uri);
                assertThat(response.statusCode()).as(uri).isEqualTo(503);
                assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
                assertThat(response.getHeader("Retry-After")).isNotNull();
            }
        }
    }
}
