package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Demo data")
class SeedDemoIT {

    @Test
    @DisplayName("seed-demo loads shipments with events and rates, and the analytics rollup matches the shipments exactly")
    void seedAndRollup() {
        TestDatabase.truncate();
        var u = TestDatabase.url();
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"seed-demo", "--shipments", "30000"}, Map.of("DATABASE_URL", url),
                new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments")).isEqualTo(30_000);
        assertThat(TestDatabase.count("SELECT count(*) FROM rates")).isEqualTo(90_000);
        assertThat(TestDatabase.count("SELECT count(DISTINCT status) FROM shipments")).isGreaterThanOrEqualTo(8);
        assertThat(TestDatabase.count("SELECT count(DISTINCT carrier) FROM shipments")).isGreaterThanOrEqualTo(4);
        assertThat(TestDatabase.count("SELECT count(*) FROM shipment_events")).isGreaterThan(30_000);
        assertThat(TestDatabase.count("""
                SELECT count(*) FROM shipments s
                WHERE s.tracking_code IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM shipment_events e WHERE e.shipment_id = s.id)""")).isZero();

        // Churn through the statement triggers: updates, refunds and deletes.
        TestDatabase.execute("UPDATE shipments SET status = 'delivered' WHERE status = 'out_for_delivery'");
        TestDatabase.execute("UPDATE shipments SET refund_status = 'refunded' WHERE status = 'pre_transit'");
        TestDatabase.execute("DELETE FROM shipments WHERE status = 'error'");

        assertThat(TestDatabase.count("""
                SELECT count(*) FROM (
                    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, coalesce(carrier, '') AS carrier,
                           coalesce(service, '') AS service, status, count(*) AS shipments,
                           count(*) FILTER (WHERE rate IS NOT NULL AND refund_status IS DISTINCT FROM 'refunded') AS labels,
                           coalesce(sum(rate) FILTER (WHERE refund_status IS DISTINCT FROM 'refunded'), 0) AS spend
                    FROM shipments GROUP BY 1, 2, 3, 4
                ) truth
                FULL JOIN (SELECT * FROM shipment_daily_stats WHERE shipments <> 0 OR labels <> 0 OR spend <> 0) r
                    USING (day, carrier, service, status)
                WHERE truth.shipments IS DISTINCT FROM r.shipments
                   OR truth.labels IS DISTINCT FROM r.labels
                   OR truth.spend IS DISTINCT FROM r.spend""")).isZero();
    }

    @Test
    @DisplayName("seed-demo --up-to tops the data up to a total (what finishes a stopped run), says what is there, and refuses both options at once")
    void upToTopsUp() {
        var u = TestDatabase.isolated("demo_up_to");
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        Map<String, String> env = Map.of("DATABASE_URL", url);
        assertThat(Main.run(new String[] {"seed-demo", "--shipments", "1500"}, env, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))).isZero();
        StringWriter out = new StringWriter();
        assertThat(Main.run(new String[] {"seed-demo", "--up-to", "4000"}, env, new PrintWriter(out), new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(TestDatabase.count(u, "SELECT count(*) FROM shipments")).isEqualTo(4_000);
        assertThat(out.toString()).contains("the database holds 1500 shipments; adding 2500 (4000 in all)",
                "the database now holds 4000 shipments");
        StringWriter again = new StringWriter();
        assertThat(Main.run(new String[] {"seed-demo", "--up-to", "3000"}, env, new PrintWriter(again), new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(again.toString()).contains("already holds 4000 shipments; nothing to add");
        assertThat(TestDatabase.count(u, "SELECT count(*) FROM shipments")).isEqualTo(4_000);

        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[] {"seed-demo", "--up-to", "10", "--shipments", "5"}, env, new PrintWriter(new StringWriter()),
                new PrintWriter(err))).isEqualTo(2);
        assertThat(err.toString()).contains("not both").doesNotContain("startup");
        StringWriter zero = new StringWriter();
        assertThat(Main.run(new String[] {"seed-demo", "--shipments", "0"}, env, new PrintWriter(new StringWriter()),
                new PrintWriter(zero))).isEqualTo(2);
        assertThat(zero.toString()).contains("--shipments must be from 1 to 20000000").doesNotContain("startup");
    }

    @Test
    @DisplayName("demo data puts shipments in every exceptions-queue reason and gives every carrier performance figures")
    void exceptionsAndCarrierPerformance() {
        var u = TestDatabase.isolated("demo_exceptions");
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        int code = Main.run(new String[] {"seed-demo", "--shipments", "20000"}, Map.of("DATABASE_URL", url),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        try (ShipgateApp app = TestApp.start(Map.of("DATABASE_URL", url)); Api api = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            io.vertx.core.json.JsonObject summary = api.get("/exceptions/summary").bodyAsJsonObject();
            for (String reason : dev.shipgate.exceptions.ExceptionReason.wireNames()) {
                assertThat(summary.getJsonObject("by_reason").getJsonObject(reason)).as(reason).isNotNull();
                assertThat(summary.getJsonObject("by_reason").getJsonObject(reason).getLong("open")).as(reason + " open").isPositive();
            }
            assertThat(summary.getLong("acknowledged")).as("older exceptions shown as handled").isPositive();
            assertThat(summary.getLong("open")).as("the open queue is a small share of the demo").isBetween(20L, 2_000L);
            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            String yearAgo = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(365).toString();
            var carriers = api.get("/analytics/carriers?from=" + yearAgo + "&to=" + today).bodyAsJsonObject().getJsonArray("carriers");
            assertThat(carriers).hasSizeGreaterThanOrEqualTo(4);
            for (Object o : carriers) {
                var overall = ((io.vertx.core.json.JsonObject) o).getJsonObject("overall");
                assertThat(overall.getLong("delivered")).isPositive();
                assertThat(overall.getDouble("on_time_share")).as(overall.encode()).isBetween(0.3, 1.0);
                assertThat(overall.getDouble("transit_days_p90")).isGreaterThanOrEqualTo(overall.getDouble("transit_days_p50"));
            }
        }
    }
}
