package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.analytics.Rollups;
import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The business's own day (BUSINESS_TIMEZONE=America/Los_Angeles)")
class BusinessTimeZoneIT {

    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    static DatabaseUrl db;
    static ShipgateApp app;
    static Api api;

    @BeforeAll
    static void start() {
        db = TestDatabase.isolated("business_tz");
        app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(db), "BUSINESS_TIMEZONE", "America/Los_Angeles"));
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
        // 23:30 on June 15 in Los Angeles (PDT, UTC-7); in winter (PST, UTC-8) 23:30 is 07:30 UTC the next day
        ship("LATE", "2026-06-16T06:30:00Z");
        ship("WINTER", "2026-01-15T07:30:00Z");
    }

    @AfterAll
    static void stop() {
        api.close();
        app.close();
    }

    static Fixtures.Shipment ship(String code, String instant) {
        return ship(db, code, OffsetDateTime.parse(instant));
    }

    static Fixtures.Shipment ship(DatabaseUrl in, String code, OffsetDateTime at) {
        return Fixtures.shipment(in, "delivered", "USPS", "Priority", "7.50", code, "R-" + code, "N", at);
    }

    static long rollup(DatabaseUrl in, String day) {
        return TestDatabase.count(in, "SELECT coalesce(sum(shipments), 0) FROM shipment_daily_stats WHERE day = '" + day + "'");
    }

    static long analyticsDay(String day) {
        JsonObject answer = api.get("/analytics/" + day).bodyAsJsonObject();
        assertThat(answer.getString("time_zone")).isEqualTo("America/Los_Angeles");
        return answer.getLong("shipments");
    }

    static List<String> listed(String from, String to) {
        JsonObject page = api.get("/shipments?limit=200&created_from=" + from + "&created_to=" + to).bodyAsJsonObject();
        assertThat(page.getString("time_zone")).isEqualTo("America/Los_Angeles");
        return page.getJsonArray("shipments").stream().map(JsonObject.class::cast).map(s -> s.getString("tracking_code")).toList();
    }

    @Test
    @DisplayName("a shipment made at 23:30 local time (06:30 UTC the next day) counts on the local day everywhere")
    void lateEveningCountsOnTheLocalDay() {
        assertThat(rollup(db, "2026-06-15")).isEqualTo(1);
        assertThat(rollup(db, "2026-06-16")).isZero();
        assertThat(analyticsDay("2026-06-15")).isEqualTo(1);
        assertThat(analyticsDay("2026-06-16")).isZero();
        assertThat(listed("2026-06-15", "2026-06-15")).containsExactly("LATE");
        assertThat(listed("2026-06-16", "2026-06-16")).doesNotContain("LATE");

        assertThat(rollup(db, "2026-01-14")).isEqualTo(1);
        assertThat(analyticsDay("2026-01-14")).isEqualTo(1);
        assertThat(listed("2026-01-14", "2026-01-14")).containsExactly("WINTER");
        assertThat(listed("2026-01-15", "2026-01-15")).isEmpty();

        JsonObject range = api.get("/analytics?from=2026-06-15&to=2026-06-16").bodyAsJsonObject();
        assertThat(range.getString("time_zone")).isEqualTo("America/Los_Angeles");
        assertThat(range.getJsonArray("days").getJsonObject(0).getLong("shipments")).isEqualTo(1);
        assertThat(range.getJsonArray("days").getJsonObject(1).getLong("shipments")).isZero();
    }

    @Test
    @DisplayName("\"today\" is the local day: the overview's last 30 days end on it, and a minute before local midnight is yesterday")
    void todayIsTheLocalDay() {
        LocalDate today = LocalDate.now(LA);
        OffsetDateTime midnight = today.atStartOfDay(LA).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        ship(db, "TODAY", midnight.plusSeconds(1));
        ship(db, "YESTERDAY", midnight.minusMinutes(1));

        JsonObject overview = api.get("/analytics?days=30").bodyAsJsonObject();
        assertThat(overview.getString("to")).isEqualTo(today.toString());
        assertThat(overview.getString("from")).isEqualTo(today.minusDays(29).toString());
        JsonArray days = overview.getJsonArray("days");
        assertThat(days.getJsonObject(days.size() - 1).getString("date")).isEqualTo(today.toString());
        assertThat(days.getJsonObject(days.size() - 1).getLong("shipments")).isEqualTo(1);
        assertThat(days.getJsonObject(days.size() - 2).getLong("shipments")).isGreaterThanOrEqualTo(1);

        JsonObject todayAnswer = api.get("/analytics/today").bodyAsJsonObject();
        assertThat(todayAnswer.getString("date")).isEqualTo(today.toString());
        assertThat(todayAnswer.getLong("shipments")).isEqualTo(1);
        assertThat(listed(today.toString(), today.toString())).containsExactly("TODAY");
    }

    @Test
    @DisplayName("the 23-hour spring-forward day and the 25-hour fall-back day hold exactly their local hours")
    void daylightSavingDays() {
        ship("SPRING-A", "2026-03-08T07:30:00Z"); // 23:30 PST, March 7
        ship("SPRING-B", "2026-03-08T08:30:00Z"); // 00:30 PST, March 8
        ship("SPRING-C", "2026-03-09T06:30:00Z"); // 23:30 PDT, March 8
        ship("SPRING-D", "2026-03-09T07:30:00Z"); // 00:30 PDT, March 9
        assertThat(rollup(db, "2026-03-07")).isEqualTo(1);
        assertThat(rollup(db, "2026-03-08")).isEqualTo(2);
        assertThat(rollup(db, "2026-03-09")).isEqualTo(1);
        assertThat(analyticsDay("2026-03-08")).isEqualTo(2);
        assertThat(listed("2026-03-08", "2026-03-08")).containsExactlyInAnyOrder("SPRING-B", "SPRING-C");

        ship("FALL-A", "2026-11-01T06:30:00Z"); // 23:30 PDT, October 31
        ship("FALL-B", "2026-11-01T07:30:00Z"); // 00:30 PDT, November 1
        ship("FALL-C", "2026-11-02T07:30:00Z"); // 23:30 PST, November 1
        ship("FALL-D", "2026-11-02T08:30:00Z"); // 00:30 PST, November 2
        assertThat(analyticsDay("2026-10-31")).isEqualTo(1);
        assertThat(analyticsDay("2026-11-01")).isEqualTo(2);
        assertThat(rollup(db, "2026-11-02")).isGreaterThanOrEqualTo(1);
        assertThat(listed("2026-11-01", "2026-11-01")).containsExactlyInAnyOrder("FALL-B", "FALL-C");
    }

    /** Sets the tracking facts carrier performance and the exceptions queue read (SQL as the API cannot backdate). */
    static void tracked(DatabaseUrl in, Fixtures.Shipment s, String bought, String delivered, String promised) {
        TestDatabase.execute(in, "UPDATE shipments SET label_url = 'https://example.test/" + s.trackingCode() + ".png', "
                + "label_bought_at = '" + bought + "', first_scan_at = '" + bought + "', status_at = now(), "
                + "delivered_at = " + (delivered == null ? "NULL" : "'" + delivered + "'") + ", "
                + "promised_delivery_date = " + (promised == null ? "NULL" : "'" + promised + "'") + " WHERE id = '" + s.id() + "'");
    }

    @Test
    @DisplayName("carrier performance uses local days: a parcel delivered at 23:30 Los Angeles time on its promised day is on "
            + "time and counts on that day, though it is the next day in UTC; 00:30 the day after is late")
    void carrierPerformanceOnLocalDays() {
        // hand-checked: ON-TIME delivered 2026-07-21T06:30Z = 23:30 PDT July 20, promised July 20 -> on time, day July 20
        //               LATE    delivered 2026-07-21T07:30Z = 00:30 PDT July 21, promised July 20 -> late, day July 21
        // on UTC days both were July 21 and late; July 20 had no delivery
        tracked(db, Fixtures.shipment(db, "delivered", "UPS", "Ground", "9.00", "PERF-LA-ON", "R-ON", "N",
                OffsetDateTime.parse("2026-07-18T16:00:00Z")), "2026-07-18T17:00:00Z", "2026-07-21T06:30:00Z", "2026-07-20");
        tracked(db, Fixtures.shipment(db, "delivered", "UPS", "Ground", "9.00", "PERF-LA-LATE", "R-LATE", "N",
                OffsetDateTime.parse("2026-07-18T16:00:00Z")), "2026-07-18T17:00:00Z", "2026-07-21T07:30:00Z", "2026-07-20");

        JsonObject day = api.get("/analytics/carriers?from=2026-07-20&to=2026-07-20").bodyAsJsonObject();
        assertThat(day.getString("time_zone")).isEqualTo("America/Los_Angeles");
        JsonObject ups = day.getJsonArray("carriers").getJsonObject(0).getJsonObject("overall");
        assertThat(ups.getLong("delivered")).isEqualTo(1);
        assertThat(ups.getLong("on_time")).as("23:30 local on the promised day").isEqualTo(1);
        JsonObject next = api.get("/analytics/carriers?from=2026-07-21&to=2026-07-21").bodyAsJsonObject()
                .getJsonArray("carriers").getJsonObject(0).getJsonObject("overall");
        assertThat(next.getLong("delivered")).isEqualTo(1);
        assertThat(next.getLong("on_time")).as("00:30 local the day after").isZero();
        JsonObject both = api.get("/analytics/carriers?from=2026-07-20&to=2026-07-21").bodyAsJsonObject()
                .getJsonArray("carriers").getJsonObject(0).getJsonObject("overall");
        assertThat(both.getDouble("on_time_share")).isEqualTo(0.5);
        assertThat(api.get("/analytics/carriers?days=7").bodyAsJsonObject().getString("to")).isEqualTo(LocalDate.now(LA).toString());
    }

    @Test
    @DisplayName("at 23:30 in Los Angeles (06:30 UTC the next day) today is still the local day: daily spend, the exceptions "
            + "queue's estimated delivery day, end-of-day scan forms, days= and the audit trail's dates all follow it")
    void aMinuteBeforeLocalMidnight() throws InterruptedException {
        DatabaseUrl own = TestDatabase.isolated("business_tz_late");
        Clock lateEvening = Clock.fixed(Instant.parse("2026-06-16T06:30:00Z"), ZoneOffset.UTC); // 23:30 PDT, June 15
        Map<String, String> env = Map.of("DATABASE_URL", TestApp.databaseUrl(own), "BUSINESS_TIMEZONE", "America/Los_Angeles");
        try (ShipgateApp late = TestApp.start(env, lateEvening); Api lateApi = new Api(late.config().httpPort(), TestApp.TOKEN)) {
            // exceptions: promised June 15 is not past at 23:30 on June 15; promised June 14 is, since local midnight
            tracked(own, ship(own, "DUE-TODAY", OffsetDateTime.parse("2026-06-12T17:00:00Z")), "2026-06-12T17:00:00Z", null, "2026-06-15");
            tracked(own, ship(own, "DUE-YESTERDAY", OffsetDateTime.parse("2026-06-12T17:00:00Z")), "2026-06-12T17:00:00Z", null, "2026-06-14");
            TestDatabase.execute(own, "UPDATE shipments SET status = 'in_transit', first_scan_at = now(), label_bought_at = now() "
                    + "WHERE tracking_code IN ('DUE-TODAY', 'DUE-YESTERDAY')");
            JsonArray late1 = lateApi.get("/exceptions?reason=past_estimated_delivery").bodyAsJsonObject().getJsonArray("exceptions");
            assertThat(late1.stream().map(JsonObject.class::cast).map(e -> e.getString("tracking_code")).toList())
                    .containsExactly("DUE-YESTERDAY");
            assertThat(OffsetDateTime.parse(late1.getJsonObject(0).getString("since")).toInstant())
                    .as("late since local midnight").isEqualTo(Instant.parse("2026-06-15T07:00:00Z"));

            // end of day: labels bought at 23:00 local on June 15 (06:00 UTC June 16) are today's; 23:00 June 14 is not
            Fixtures.Shipment tonight = ship(own, "EOD-TONIGHT", OffsetDateTime.parse("2026-06-16T06:00:00Z"));
            Fixtures.Shipment lastNight = ship(own, "EOD-LAST-NIGHT", OffsetDateTime.parse("2026-06-15T06:00:00Z"));
            tracked(own, tonight, "2026-06-16T06:00:00Z", null, null);
            tracked(own, lastNight, "2026-06-15T06:00:00Z", null, null);
            JsonObject open = lateApi.get("/scan-forms/open").bodyAsJsonObject();
            assertThat(open.getString("date")).isEqualTo("2026-06-15");
            assertThat(open.getJsonArray("carriers").stream().map(JsonObject.class::cast)
                    .flatMap(c -> c.getJsonArray("shipment_ids").stream()).toList())
                    .contains(tonight.id().toString()).doesNotContain(lastNight.id().toString());

            // days=1 on analytics and carrier performance is the local June 15
            assertThat(lateApi.get("/analytics/carriers?days=1").bodyAsJsonObject().getString("from")).isEqualTo("2026-06-15");
            assertThat(lateApi.get("/analytics?days=1").bodyAsJsonObject().getString("to")).isEqualTo("2026-06-15");

            // daily spend: a label bought now is spent on June 15, and the token list shows it as today's
            JsonObject token = lateApi.post("/tokens", new JsonObject().put("name", "late-buyer")
                    .put("scopes", new JsonArray().add("read").add("ship").add("buy")).put("daily_spend", "1000.00"), null)
                    .bodyAsJsonObject();
            try (Api buyer = new Api(late.config().httpPort(), token.getString("token"))) {
                JsonObject created = buyer.post("/shipments", Fixtures.newShipment("LATE-BUY")).bodyAsJsonObject();
                var bought = buyer.post("/shipments/" + created.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
                assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
            }
            assertThat(TestDatabase.count(own, "SELECT count(*) FROM token_spend WHERE day = '2026-06-15' AND spent > 0"))
                    .as("the local day, not UTC's June 16").isEqualTo(1);
            assertThat(TestDatabase.count(own, "SELECT count(*) FROM token_spend WHERE day = '2026-06-16'")).isZero();
            JsonObject listed = lateApi.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream().map(JsonObject.class::cast)
                    .filter(t -> t.getString("name").equals("late-buyer")).findFirst().orElseThrow();
            assertThat(new java.math.BigDecimal(listed.getString("spent_today"))).isPositive();

            // audit: a bare date is a local day; the purchase was written at real now(), so a far local day has none of it
            long deadline = System.currentTimeMillis() + 10_000; // the trail is written after the answer has started
            while (TestDatabase.count(own, "SELECT count(*) FROM audit_log WHERE operation = 'buy_label'") == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            TestDatabase.execute(own, "UPDATE audit_log SET at = '2026-06-16T06:45:00Z' WHERE operation = 'buy_label'");
            assertThat(lateApi.get("/audit?operation=buy_label&from=2026-06-15&to=2026-06-15").bodyAsJsonObject()
                    .getJsonArray("entries")).as("23:45 local on June 15").hasSize(1);
            assertThat(lateApi.get("/audit?operation=buy_label&from=2026-06-16&to=2026-06-16").bodyAsJsonObject()
                    .getJsonArray("entries")).isEmpty();
        }
    }

    @Test
    @DisplayName("starting with another zone re-buckets the rollup, later writes follow it, and rebuild-rollups does it on demand")
    void anotherZoneRebuckets() {
        DatabaseUrl own = TestDatabase.isolated("business_tz_restart");
        ship(own, "EARLY", OffsetDateTime.parse("2026-06-16T06:30:00Z"));
        assertThat(Rollups.storedZone(own)).isEqualTo("UTC");
        assertThat(rollup(own, "2026-06-16")).as("built on UTC days").isEqualTo(1);

        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", TestApp.databaseUrl(own), "BUSINESS_TIMEZONE", "America/Los_Angeles"));
        try (ShipgateApp la = TestApp.start(env)) {
            assertThat(Rollups.storedZone(own)).isEqualTo("America/Los_Angeles");
            assertThat(rollup(own, "2026-06-15")).isEqualTo(1);
            assertThat(rollup(own, "2026-06-16")).isZero();
            ship(own, "AFTER", OffsetDateTime.parse("2026-06-16T06:45:00Z"));
            assertThat(rollup(own, "2026-06-15")).as("a later write buckets in the stored zone").isEqualTo(2);
        }

        env.put("BUSINESS_TIMEZONE", "Asia/Tokyo");
        try (ShipgateApp tokyo = TestApp.start(env); Api tokyoApi = new Api(tokyo.config().httpPort(), TestApp.TOKEN)) {
            assertThat(Rollups.storedZone(own)).isEqualTo("Asia/Tokyo");
            assertThat(rollup(own, "2026-06-15")).isZero();
            assertThat(rollup(own, "2026-06-16")).as("15:30 and 15:45 in Tokyo").isEqualTo(2);
            JsonObject day = tokyoApi.get("/analytics/2026-06-16").bodyAsJsonObject();
            assertThat(day.getString("time_zone")).isEqualTo("Asia/Tokyo");
            assertThat(day.getLong("shipments")).isEqualTo(2);
            // a status change of an old shipment moves it between statuses within its day, not across days
            TestDatabase.execute(own, "UPDATE shipments SET status = 'return_to_sender' WHERE tracking_code = 'EARLY'");
            assertThat(rollup(own, "2026-06-16")).isEqualTo(2);
            assertThat(TestDatabase.count(own, "SELECT count(*) FROM shipment_daily_stats WHERE shipments < 0")).isZero();
        }

        StringWriter out = new StringWriter();
        Map<String, String> cli = new HashMap<>(env);
        cli.put("BUSINESS_TIMEZONE", "UTC");
        cli.put("LOG_FORMAT", "text");
        // run from a shell whose BUSINESS_TIMEZONE differs from the service's: a repair in the stored zone, which must
        // never re-bucket a running service's days under its feet
        int code = Main.run(new String[] {"rebuild-rollups"}, cli, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(Rollups.storedZone(own)).isEqualTo("Asia/Tokyo");
        assertThat(rollup(own, "2026-06-16")).as("still Tokyo's days").isEqualTo(2);
        assertThat(Main.run(new String[] {"rebuild-rollups", "--time-zone", "PST"}, cli, new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true))).as("an abbreviation is refused").isEqualTo(2);
        code = Main.run(new String[] {"rebuild-rollups", "--time-zone", "UTC"}, cli, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(Rollups.storedZone(own)).isEqualTo("UTC");
        assertThat(rollup(own, "2026-06-16")).isEqualTo(2);
        assertThat(rollup(own, "2026-06-15")).isZero();
        assertThat(TestDatabase.count(own, "SELECT count(*) FROM shipment_daily_stats WHERE status = 'return_to_sender'")).isEqualTo(1);
    }

    @Test
    @DisplayName("a second instance with another zone is refused while the first runs, and the first's days stay as they were")
    void anotherZoneWhileAnInstanceRuns() {
        DatabaseUrl own = TestDatabase.isolated("business_tz_two");
        ship(own, "EARLY", OffsetDateTime.parse("2026-06-16T06:30:00Z"));
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", TestApp.databaseUrl(own), "BUSINESS_TIMEZONE", "UTC"));
        try (ShipgateApp utc = TestApp.start(env); Api utcApi = new Api(utc.config().httpPort(), TestApp.TOKEN)) {
            env.put("BUSINESS_TIMEZONE", "America/Los_Angeles");
            var refused = org.assertj.core.api.Assertions.catchThrowable(() -> TestApp.start(env).close());
            assertThat(refused).isInstanceOf(dev.shipgate.config.ConfigException.class)
                    .hasMessageContaining("BUSINESS_TIMEZONE is America/Los_Angeles")
                    .hasMessageContaining("built on UTC days").hasMessageContaining("another Shipgate instance");
            assertThat(Rollups.storedZone(own)).isEqualTo("UTC");
            JsonObject day = utcApi.get("/analytics/2026-06-16").bodyAsJsonObject();
            assertThat(day.getString("time_zone")).isEqualTo("UTC");
            assertThat(day.getLong("shipments")).as("the UTC day still holds its shipment").isEqualTo(1);
            // the command line is held to the same rule
            Map<String, String> cli = new HashMap<>(env);
            cli.put("LOG_FORMAT", "text");
            StringWriter err = new StringWriter();
            assertThat(Main.run(new String[] {"rebuild-rollups", "--time-zone", "America/Los_Angeles"}, cli,
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))).isEqualTo(2);
            assertThat(err.toString()).contains("another Shipgate instance");
            assertThat(Rollups.storedZone(own)).isEqualTo("UTC");
        }
    }

    @Test
    @DisplayName("a zone the database does not know refuses to start, naming BUSINESS_TIMEZONE")
    void unknownZoneRefused() {
        var e = org.assertj.core.api.Assertions.catchThrowable(() -> TestApp.start(
                Map.of("DATABASE_URL", TestApp.databaseUrl(db), "BUSINESS_TIMEZONE", "Mars/Olympus_Mons")));
        assertThat(e).isInstanceOf(dev.shipgate.config.ConfigException.class).hasMessageContaining("BUSINESS_TIMEZONE");
    }

    static final String COPY_SHIPMENT = "INSERT INTO shipments (id, easypost_id, status, carrier, service, rate, tracking_code, "
            + "reference, recipient_name, from_address_id, to_address_id, parcel_id, created_at, updated_at) "
            + "SELECT gen_random_uuid(), 'shp_' || '%1$s', status, carrier, service, rate, '%1$s', reference, recipient_name, "
            + "from_address_id, to_address_id, parcel_id, '%2$s', '%2$s' FROM shipments WHERE tracking_code = 'SEED'";

    @Test
    @DisplayName("a rebuild waits for a writer in flight, and a writer that waited for a rebuild buckets in the new zone")
    void rebuildAndConcurrentWriters() throws Exception {
        DatabaseUrl own = TestDatabase.isolated("business_tz_locks");
        ship(own, "SEED", OffsetDateTime.parse("2026-01-01T12:00:00Z"));

        // a writer in flight (not committed yet) while the rebuild starts: the rebuild waits, then counts it
        try (java.sql.Connection writer = java.sql.DriverManager.getConnection(own.jdbcUrl(), own.user(), own.password())) {
            writer.setAutoCommit(false);
            writer.createStatement().execute(String.format(COPY_SHIPMENT, "IN-FLIGHT", "2026-06-16T06:30:00Z"));
            var rebuild = java.util.concurrent.CompletableFuture.supplyAsync(() -> Rollups.rebuild(own, LA));
            Thread.sleep(700);
            assertThat(rebuild).as("the rebuild waits for the writer").isNotDone();
            writer.commit();
            Rollups.Rebuild done = rebuild.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.shipments()).isEqualTo(2);
        }
        assertThat(rollup(own, "2026-06-15")).isEqualTo(1);
        assertThat(rollup(own, "2026-06-16")).isZero();

        // a writer arriving while a rebuild to Tokyo holds its lock waits, then buckets in Tokyo's days
        try (java.sql.Connection rebuilder = java.sql.DriverManager.getConnection(own.jdbcUrl(), own.user(), own.password())) {
            rebuilder.setAutoCommit(false);
            rebuilder.createStatement().execute("LOCK TABLE shipments IN SHARE MODE");
            rebuilder.createStatement().execute("UPDATE business_settings SET time_zone = 'Asia/Tokyo'");
            rebuilder.createStatement().execute("DELETE FROM shipment_daily_stats");
            var write = java.util.concurrent.CompletableFuture.runAsync(() ->
                    TestDatabase.execute(own, String.format(COPY_SHIPMENT, "WAITED", "2026-06-16T15:30:00Z")));
            Thread.sleep(700);
            assertThat(write).as("the writer waits for the rebuild").isNotDone();
            rebuilder.commit();
            write.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        // 15:30 UTC is 00:30 on June 17 in Tokyo, 08:30 on June 16 in Los Angeles
        assertThat(rollup(own, "2026-06-17")).isEqualTo(1);
        assertThat(rollup(own, "2026-06-16")).isZero();
    }
}
