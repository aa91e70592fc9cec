package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.analytics.UncachedAnalytics;
import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closed days are kept folded (each day, and the buckets, closed parts and previous periods of the ranges asked
 * for, with their JSON): every answer must still be, byte for byte, what folding the range's rollup rows at once
 * gives ({@link UncachedAnalytics}), on the first read and on the reads served from memory, in every grouping,
 * in zones whose days are not UTC's, and right after a late change to an old day.
 */
@DisplayName("Analytics from folded closed spans, byte for byte the answer of the rows")
class AnalyticsFoldedSpansIT {

    /**
     * About 2,400 shipments over the last 800 days (and a few in the next days), of varied carriers, services,
     * statuses and rates; some not bought, some refunded, some insured.
     */
    static final String SEED = """
            INSERT INTO addresses (id, name, street1, city, state, zip) VALUES
              ('00000000-0000-0000-0000-00000000000a', 'Warehouse', '1 Dock Rd', 'Oakland', 'CA', '94607'),
              ('00000000-0000-0000-0000-00000000000b', 'Ann', '5 Elm St', 'Boston', 'MA', '02108');
            INSERT INTO parcels (id, length, width, height, weight) VALUES ('00000000-0000-0000-0000-00000000000c', 10, 8, 4, 15.5);
            INSERT INTO shipments (id, easypost_id, status, carrier, service, rate, refund_status, insurance_fee, tracking_code,
                                   reference, recipient_name, from_address_id, to_address_id, parcel_id, created_at, updated_at)
            SELECT gen_random_uuid(), 'shp_oracle_' || i,
                   (ARRAY['created','pre_transit','in_transit','delivered','return_to_sender','failure'])[1 + (i * 7) % 6],
                   CASE WHEN i % 9 = 0 THEN NULL ELSE (ARRAY['USPS','UPS','FedEx','DHL'])[1 + (i * 3) % 4] END,
                   CASE WHEN i % 9 = 0 THEN NULL ELSE (ARRAY['Priority','Ground','Express','First'])[1 + (i * 5) % 4] END,
                   CASE WHEN i % 9 = 0 THEN NULL ELSE round((3 + (i * 37) % 4000 / 100.0)::numeric, 2) END,
                   CASE WHEN i % 13 = 0 AND i % 9 <> 0 THEN 'refunded' END,
                   CASE WHEN i % 11 = 0 THEN round(((i % 7) + 0.35)::numeric, 2) END,
                   'T' || i, 'R' || i, 'Ann', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000b',
                   '00000000-0000-0000-0000-00000000000c', t, t
            FROM generate_series(1, 2400) i,
                 LATERAL (SELECT now() - make_interval(hours => (i * 8 + (i * 7919) % 23)) + interval '3 days' AS t) at""";

    @ParameterizedTest(name = "BUSINESS_TIMEZONE={0}")
    @ValueSource(strings = {"Asia/Kolkata", "America/Los_Angeles"})
    @DisplayName("every range, grouping and day answers as the uncached fold, before and after late changes to old days")
    void cachedAnswersEqualTheFoldOfTheRows(String zone) {
        DatabaseUrl db = TestDatabase.isolated("analytics_folded_" + zone.replace('/', '_').toLowerCase());
        ShipgateApp app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(db), "BUSINESS_TIMEZONE", zone));
        try (Api api = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            TestDatabase.execute(db, SEED);
            Await.until("the analytics day cache to listen", Duration.ofSeconds(10), app.closedDays()::listening);
            LocalDate today = LocalDate.parse(api.get("/analytics/today").bodyAsJsonObject().getString("date"));
            List<String> queries = queries(today);

            int compared = compareAll(api, db, zone, queries);
            LocalDate old = today.minusDays(40);
            assertThat(app.closedDays().holds(old)).as("a closed day is kept once read").isTrue();
            assertThat(app.closedDays().holds(today.minusDays(1))).as("yesterday never is").isFalse();
            String before = api.get("/analytics?days=90").bodyAsString();

            // a late tracking change and a refund on old days, made by another connection
            TestDatabase.execute(db, "UPDATE shipments SET status = 'return_to_sender' WHERE id = (SELECT id FROM shipments "
                    + "WHERE status = 'in_transit' AND created_at < now() - interval '40 days' ORDER BY created_at DESC LIMIT 1)");
            TestDatabase.execute(db, "UPDATE shipments SET refund_status = 'refunded' WHERE id = (SELECT id FROM shipments "
                    + "WHERE rate IS NOT NULL AND refund_status IS NULL AND created_at < now() - interval '100 days' "
                    + "ORDER BY created_at DESC LIMIT 1)");
            String after = api.get("/analytics?days=90").bodyAsString();
            assertThat(after).as("the late changes are in the very next answer").isNotEqualTo(before)
                    .isEqualTo(UncachedAnalytics.range(db, today.minusDays(89), today, "day", zone));
            compared += compareAll(api, db, zone, queries);

            // a shipment added to a closed day, then the rollup emptied and rebuilt
            TestDatabase.execute(db, SEED.substring(SEED.indexOf("INSERT INTO shipments"))
                    .replace("_oracle_", "_late_").replace("'T' ||", "'LT' ||").replace("generate_series(1, 2400)", "generate_series(100, 130)"));
            compared += compareAll(api, db, zone, queries);
            assertThat(compared).isEqualTo(3 * 2 * queries.size());
        } finally {
            app.close();
        }
    }

    /** Fixed and random ranges, in every grouping the API accepts for them, and single days. */
    static List<String> queries(LocalDate today) {
        List<String> out = new ArrayList<>();
        for (int days : new int[] {1, 2, 3, 7, 30, 90, 365, 800}) {
            out.add("/analytics?days=" + days);
            for (String g : new String[] {"day", "week", "month"}) {
                if (!g.equals("day") || days <= 366) {
                    out.add("/analytics?days=" + days + "&group=" + g);
                }
            }
        }
        Random random = new Random(42);
        String[] groups = {"", "&group=day", "&group=week", "&group=month"};
        for (int i = 0; i < 40; i++) {
            LocalDate from = today.minusDays(random.nextInt(820)).plusDays(3);
            LocalDate to = from.plusDays(random.nextInt(i % 4 == 0 ? 5 : 366));
            out.add("/analytics?from=" + from + "&to=" + to + groups[random.nextInt(4)]);
        }
        for (int back : new int[] {0, 1, 2, 3, 40, 100, 799}) {
            out.add("/analytics/" + today.minusDays(back));
        }
        return out;
    }

    /** Asks each query twice (the second from what the first kept) and compares both with the uncached fold. */
    static int compareAll(Api api, DatabaseUrl db, String zone, List<String> queries) {
        int compared = 0;
        for (String q : queries) {
            String expected = null;
            for (int round = 0; round < 2; round++) {
                var response = api.get(q);
                assertThat(response.statusCode()).as(q + ": " + response.bodyAsString()).isEqualTo(200);
                String body = response.bodyAsString();
                if (expected == null) {
                    JsonObject json = new JsonObject(body);
                    expected = json.containsKey("days")
                            ? UncachedAnalytics.range(db, LocalDate.parse(json.getString("from")),
                                    LocalDate.parse(json.getString("to")), json.getString("group"), zone)
                            : UncachedAnalytics.day(db, LocalDate.parse(json.getString("date")), zone);
                }
                assertThat(body).as("%s, read %d", q, round + 1).isEqualTo(expected);
                compared++;
            }
        }
        return compared;
    }
}
