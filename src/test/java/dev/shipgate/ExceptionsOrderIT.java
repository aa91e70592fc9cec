package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exceptions queue read from its stored order ({@code shipments.queue_since}, migration V59) against the
 * computation it replaced, kept here word for word as the oracle: every open shipment's reasons worked out on
 * each read and the whole queue sorted by {@code since}. Many shipments in varied states, with times on a coarse
 * grid so that many entries share a {@code since} and the id decides; the clock stands at chosen instants,
 * exactly on boundaries among them, with the settings and the zone changed between starts.
 */
@DisplayName("The exceptions queue's stored order")
class ExceptionsOrderIT {

    /** 23:30 on June 15 in Los Angeles. */
    static final Instant T = Instant.parse("2026-06-16T06:30:00Z");
    static final String LA = "America/Los_Angeles";

    /** The queue before V59 (ExceptionSql.ENTRIES at 8dc71ee), the database's now() being the instant read at. */
    static final String OLD_ENTRIES = """
            SELECT s.id, s.easypost_id, s.carrier, s.service, s.tracking_code, s.status, s.reference, s.recipient_name,
                   s.created_at, s.label_bought_at, s.first_scan_at, s.status_at AS last_event_at, s.exception_event_at,
                   coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date) AS expected_delivery_date,
                   r.reasons, least(s.exception_since, r.since) AS since,
                   a.reasons AS acknowledged_reasons, a.note, a.token_name, a.acknowledged_at,
                   (a.shipment_id IS NOT NULL AND r.reasons <@ a.reasons
                       AND coalesce(s.exception_event_at <= a.exception_event_at, s.exception_event_at IS NULL)) AS acknowledged
            FROM shipments s
            CROSS JOIN LATERAL (
                SELECT array_agg(x.reason ORDER BY x.reason) AS reasons, min(x.since) AS since
                FROM (VALUES
                    (CASE WHEN s.status IN ('failure', 'return_to_sender', 'error') THEN s.status
                          WHEN s.status = 'cancelled' AND s.first_scan_at IS NOT NULL THEN 'cancelled_after_pickup' END,
                     coalesce(s.exception_event_at, s.status_at, s.label_bought_at)),
                    (CASE WHEN s.first_scan_at IS NOT NULL
                               AND coalesce(s.status_at, s.first_scan_at) < now() - make_interval(days => #{stall_days})
                          THEN 'no_movement' END,
                     coalesce(s.status_at, s.first_scan_at) + make_interval(days => #{stall_days})),
                    (CASE WHEN coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date) < #{today}
                          THEN 'past_estimated_delivery' END,
                     ((coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date) + 1)::timestamp
                         AT TIME ZONE #{zone})),
                    (CASE WHEN s.first_scan_at IS NULL AND s.label_bought_at < now() - make_interval(days => #{unscanned_days})
                          THEN 'never_scanned' END,
                     s.label_bought_at + make_interval(days => #{unscanned_days}))
                ) x(reason, since)
                WHERE x.reason IS NOT NULL) r
            LEFT JOIN exception_acknowledgements a ON a.shipment_id = s.id
            WHERE s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
              AND (s.refund_status IS NULL OR s.refund_status = 'rejected')
              AND NOT (s.status = 'cancelled' AND s.first_scan_at IS NULL)
              AND r.reasons IS NOT NULL""";

    /** The summary before V59, over the old entries. */
    static final String OLD_SUMMARY = """
            WITH q AS MATERIALIZED (%s)
            SELECT NULL AS reason, count(*) FILTER (WHERE NOT q.acknowledged) AS open,
                   count(*) FILTER (WHERE q.acknowledged) AS acknowledged
            FROM q
            UNION ALL
            SELECT reason, count(*) FILTER (WHERE NOT q.acknowledged), count(*) FILTER (WHERE q.acknowledged)
            FROM q, unnest(q.reasons) reason
            GROUP BY reason""";

    static final List<String> STATUSES = List.of("pre_transit", "in_transit", "out_for_delivery", "available_for_pickup",
            "failure", "return_to_sender", "error", "cancelled", "delivered", "unknown");
    static final List<String> REASONS = dev.shipgate.exceptions.ExceptionReason.wireNames();

    /** One entry as compared: shipment, since (UTC), reasons, acknowledged. */
    record Seen(String id, Instant since, List<String> reasons, boolean acknowledged) {
    }

    record Settings(int stallDays, int unscannedDays, String zone, Instant now) {

        LocalDate today() {
            return LocalDate.ofInstant(now, ZoneId.of(zone));
        }

        Map<String, String> env(DatabaseUrl db) {
            Map<String, String> env = new HashMap<>();
            env.put("DATABASE_URL", TestApp.databaseUrl(db));
            env.put("BUSINESS_TIMEZONE", zone);
            env.put("EXCEPTION_STALL_DAYS", String.valueOf(stallDays));
            env.put("EXCEPTION_UNSCANNED_DAYS", String.valueOf(unscannedDays));
            return env;
        }
    }

    @Test
    @DisplayName("every page, with and without filters, lists the same entries in the same order with the same since as the "
            + "whole-queue computation, at instants on the boundaries, after a settings or zone change and after writes")
    void pagesMatchTheWholeQueueComputation() throws Exception {
        DatabaseUrl db = TestDatabase.isolated("exceptions_order");
        seed(db, 900);
        List<Settings> runs = List.of(
                new Settings(3, 3, LA, T),
                // exactly the local midnight ending June 15: its past estimates start now (an active since == now)
                new Settings(3, 3, LA, Instant.parse("2026-06-16T07:00:00Z")),
                // exactly 3 days after many grid times: those no_movement and never_scanned are not active yet
                new Settings(3, 3, LA, Instant.parse("2026-06-16T06:00:00Z")),
                new Settings(5, 2, LA, T),
                new Settings(5, 2, "UTC", T),
                new Settings(3, 3, "Asia/Tokyo", Instant.parse("2026-06-20T12:00:00Z")));
        for (Settings run : runs) {
            compareAll(db, run);
        }

        // every writer keeps the order: tracking-like updates, refunds, deliveries and stays by SQL, then a COPY
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("UPDATE shipments SET status = 'in_transit', status_at = '2026-06-15T12:00:00Z' WHERE tracking_code LIKE '%3'");
            s.execute("UPDATE shipments SET status = 'failure', exception_event_at = '2026-06-16T09:00:00Z', "
                    + "status_at = '2026-06-16T09:00:00Z' WHERE tracking_code LIKE '%7'");
            s.execute("UPDATE shipments SET refund_status = 'refunded' WHERE tracking_code LIKE '%11'");
            s.execute("UPDATE shipments SET delivered_at = '2026-06-16T01:00:00Z' WHERE tracking_code LIKE '%19'");
            s.execute("UPDATE shipments SET exception_since = '2026-06-01T00:00:00Z' WHERE tracking_code LIKE '%5'");
            s.execute("UPDATE shipments SET exception_since = NULL WHERE tracking_code LIKE '%2'");
            s.execute("UPDATE shipments SET queue_since = '1999-01-01T00:00:00Z' WHERE tracking_code LIKE '%9'");
        }
        seed(db, 200);
        assertThat(TestDatabase.count(db, """
                SELECT count(*) FROM shipments WHERE queue_since = '1999-01-01T00:00:00Z'""")).as("a written value is replaced").isZero();
        compareAll(db, new Settings(3, 3, LA, T));
        compareAll(db, new Settings(4, 6, LA, Instant.parse("2026-06-17T06:30:00Z")));
    }

    /** Starts the service with {@code run}'s settings and clock, and compares every listing and the summary. */
    @Test
    @DisplayName("a second instance with other queue settings is refused while the first runs, naming the stored ones "
            + "(it was started and silently reordered the queue under the first)")
    void otherSettingsWhileAnInstanceRuns() throws Exception {
        DatabaseUrl db = TestDatabase.isolated("exceptions_two");
        Settings first = new Settings(3, 3, "UTC", T);
        try (ShipgateApp running = TestApp.start(first.env(db))) {
            var refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> TestApp.start(new Settings(5, 3, "UTC", T).env(db)).close());
            assertThat(refused).isInstanceOf(dev.shipgate.config.ConfigException.class)
                    .hasMessageContaining("EXCEPTION_STALL_DAYS is 5").hasMessageContaining("ordered for 3 and 3")
                    .hasMessageContaining("another Shipgate instance");
            assertThat(TestDatabase.count(db, "SELECT count(*) FROM business_settings WHERE exception_stall_days = 3"))
                    .as("the stored order untouched").isEqualTo(1);
            // the same values as the running instance start fine
            TestApp.start(first.env(db)).close();
        }
    }

    static void compareAll(DatabaseUrl db, Settings run) throws Exception {
        try (ShipgateApp app = TestApp.start(run.env(db), Clock.fixed(run.now(), ZoneOffset.UTC));
             Api api = new Api(app.config().httpPort(), TestApp.TOKEN);
             Connection c = connect(db)) {
            assertThat(TestDatabase.count(db, """
                    SELECT count(*) FROM shipments s, business_settings b
                    WHERE s.queue_since IS DISTINCT FROM
                          shipments_queue_since(s, b.exception_stall_days, b.exception_unscanned_days, b.time_zone)"""))
                    .as("the stored order is the trigger's for the settings of " + run).isZero();
            List<Seen> whole = oracle(c, run, null, true);
            assertThat(whole).as("a queue worth comparing at " + run).hasSizeGreaterThan(100);
            assertThat(whole.stream().filter(Seen::acknowledged).count()).as("acknowledged entries at " + run).isPositive();
            if (run.now().isBefore(T.plus(1, ChronoUnit.HOURS))) {
                assertThat(whole.stream().filter(e -> e.since().isAfter(run.now())).count())
                        .as("entries dated ahead of the clock at " + run).isPositive();
            }
            List<String> filters = new ArrayList<>();
            filters.add(null);
            filters.addAll(REASONS);
            for (String reason : filters) {
                for (boolean acknowledged : List.of(true, false)) {
                    List<Seen> expected = oracle(c, run, reason, acknowledged);
                    for (int limit : List.of(7, 200)) {
                        String query = "limit=" + limit + (reason == null ? "" : "&reason=" + reason)
                                + (acknowledged ? "&include_acknowledged=true" : "");
                        assertThat(pages(api, query)).as(query + " at " + run).containsExactlyElementsOf(expected);
                    }
                }
            }
            JsonObject summary = api.get("/exceptions/summary").bodyAsJsonObject();
            assertThat(summary.getInteger("stall_days")).isEqualTo(run.stallDays());
            List<String> counted = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(OLD_SUMMARY.formatted(literal(OLD_ENTRIES, run)))) {
                while (rs.next()) {
                    String reason = rs.getString(1);
                    if (reason != null) {
                        counted.add(reason);
                    }
                    JsonObject counts = reason == null ? summary : summary.getJsonObject("by_reason").getJsonObject(reason);
                    assertThat(counts).as(reason + " at " + run).isNotNull();
                    assertThat(counts.getLong("open")).as("open " + reason + " at " + run).isEqualTo(rs.getLong(2));
                    assertThat(counts.getLong("acknowledged")).as("acknowledged " + reason + " at " + run).isEqualTo(rs.getLong(3));
                }
            }
            assertThat(summary.getJsonObject("by_reason").fieldNames()).as("reasons counted at " + run)
                    .containsExactlyInAnyOrderElementsOf(counted);
            for (Seen e : whole.subList(0, 5)) {
                JsonObject one = api.get("/exceptions/" + e.id()).bodyAsJsonObject();
                assertThat(Instant.parse(one.getString("since"))).as("GET /exceptions/" + e.id()).isEqualTo(e.since());
            }
        }
    }

    /** Every entry of {@code query}, page by page through the API's cursors. */
    static List<Seen> pages(Api api, String query) {
        List<Seen> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/exceptions?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
            JsonObject body = page.bodyAsJsonObject();
            for (Object o : body.getJsonArray("exceptions")) {
                JsonObject e = (JsonObject) o;
                seen.add(new Seen(e.getString("shipment_id"), Instant.parse(e.getString("since")),
                        e.getJsonArray("reasons").stream().map(String::valueOf).toList(), e.getBoolean("acknowledged")));
            }
            cursor = body.getString("next_cursor");
        } while (cursor != null);
        return seen;
    }

    /** The old computation's whole queue under {@code run}, filtered and sorted as its pages were, in one read. */
    static List<Seen> oracle(Connection c, Settings run, String reason, boolean includeAcknowledged) throws Exception {
        String sql = "SELECT q.id, q.since, q.reasons, q.acknowledged FROM (" + literal(OLD_ENTRIES, run) + ") q WHERE true"
                + (reason == null ? "" : " AND '" + reason + "' = ANY(q.reasons)")
                + (includeAcknowledged ? "" : " AND NOT q.acknowledged")
                + " ORDER BY q.since DESC, q.id DESC";
        List<Seen> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(new Seen(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBoolean(4)));
            }
        }
        return rows;
    }

    static String literal(String sql, Settings run) {
        return sql.replace("now()", "'" + run.now() + "'::timestamptz")
                .replace("#{stall_days}", String.valueOf(run.stallDays()))
                .replace("#{unscanned_days}", String.valueOf(run.unscannedDays()))
                .replace("#{today}", "'" + run.today() + "'::date")
                .replace("#{zone}", "'" + run.zone() + "'");
    }

    static Connection connect(DatabaseUrl db) throws Exception {
        Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'"); // the old computation's days, as the service's sessions had them
        }
        return c;
    }

    /**
     * {@code n} more shipments in every tracking state (bought or not, scanned or not, refunded, delivered, in each
     * exception status, with estimates around the chosen days, some dated ahead of the clock), their times on a
     * six-hour grid around {@link #T} so that many share a since, and acknowledgements of a third of them, some of
     * which no longer hold.
     */
    static void seed(DatabaseUrl db, int n) throws Exception {
        try (Connection c = connect(db)) {
            long offset = TestDatabase.count(db, "SELECT count(*) FROM shipments");
            Random r = new Random(59 + offset);
            UUID address = UUID.randomUUID();
            try (PreparedStatement a = c.prepareStatement(
                    "INSERT INTO addresses (id, street1, city, zip) VALUES (?, '1 Main St', 'Springfield', '12345')")) {
                a.setObject(1, address);
                a.executeUpdate();
            }
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO shipments (id, status, carrier, service, rate, tracking_code, label_url, refund_status,
                                           from_address_id, to_address_id, label_bought_at, status_at, first_scan_at,
                                           promised_delivery_date, tracker_est_delivery_at, delivered_at,
                                           exception_event_at, exception_since)
                    VALUES (?, ?, 'USPS', 'Priority', 8.90, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (int i = 0; i < n; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    String status = STATUSES.get(r.nextInt(STATUSES.size()));
                    boolean bought = r.nextInt(12) > 0;
                    Instant bought_at = grid(r, T.minus(r.nextInt(24 * 12), ChronoUnit.HOURS));
                    Instant firstScan = r.nextInt(5) < 2 ? null : grid(r, bought_at.plus(r.nextInt(48), ChronoUnit.HOURS));
                    Instant statusAt = r.nextInt(10) == 0 ? null
                            : grid(r, (firstScan == null ? bought_at : firstScan).plus(r.nextInt(24 * 6), ChronoUnit.HOURS));
                    boolean exceptional = List.of("failure", "return_to_sender", "error", "cancelled").contains(status);
                    Instant exceptionEvent = exceptional
                            ? (r.nextInt(4) == 0 ? null : statusAt == null ? bought_at : statusAt.minus(r.nextInt(3) * 6L, ChronoUnit.HOURS))
                            : (r.nextInt(8) == 0 ? bought_at.plus(6, ChronoUnit.HOURS) : null);
                    if (exceptional && r.nextInt(10) == 0) {
                        // dated ahead of the clock: a carrier's local time written as UTC
                        exceptionEvent = T.plus(1 + r.nextInt(30), ChronoUnit.HOURS);
                        statusAt = exceptionEvent;
                    }
                    Instant delivered = status.equals("delivered") ? (r.nextInt(4) == 0 ? null : T.minus(2, ChronoUnit.HOURS))
                            : (r.nextInt(30) == 0 ? T.minus(3, ChronoUnit.HOURS) : null);
                    String refund = switch (r.nextInt(12)) {
                        case 0 -> "submitted";
                        case 1 -> "refunded";
                        case 2 -> "rejected";
                        default -> null;
                    };
                    LocalDate around = LocalDate.of(2026, 6, 15);
                    LocalDate promised = r.nextInt(3) == 0 ? around.plusDays(r.nextInt(9) - 5) : null;
                    Instant estimate = r.nextInt(3) == 0 ? around.plusDays(r.nextInt(9) - 5).atStartOfDay(ZoneOffset.UTC).toInstant() : null;
                    Instant stay = r.nextInt(5) == 0 ? grid(r, bought_at.plus(r.nextInt(24 * 5), ChronoUnit.HOURS)) : null;
                    p.setObject(1, id);
                    p.setString(2, status);
                    p.setString(3, "ORD" + (offset + i));
                    p.setString(4, bought ? "https://labels.example/" + (offset + i) + ".png" : null);
                    p.setString(5, refund);
                    p.setObject(6, address);
                    p.setObject(7, address);
                    p.setObject(8, bought ? ts(bought_at) : null);
                    p.setObject(9, ts(statusAt));
                    p.setObject(10, ts(firstScan));
                    p.setObject(11, promised);
                    p.setObject(12, ts(estimate));
                    p.setObject(13, ts(delivered));
                    p.setObject(14, ts(exceptionEvent));
                    p.setObject(15, ts(stay));
                    p.addBatch();
                }
                p.executeBatch();
            }
            if (offset == 0) {
                boundaries(c, address);
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO exception_acknowledgements (shipment_id, reasons, exception_event_at, note, token_name, acknowledged_at)
                    SELECT id, ?::text[], CASE WHEN ? THEN exception_event_at ELSE exception_event_at - interval '1 hour' END,
                           'seen', 'ops', '2026-06-10T00:00:00Z'
                    FROM shipments WHERE id = ?""")) {
                for (UUID id : ids) {
                    if (r.nextInt(3) != 0) {
                        continue;
                    }
                    List<String> reasons = new ArrayList<>(REASONS);
                    java.util.Collections.shuffle(reasons, r);
                    p.setArray(1, c.createArrayOf("text", reasons.subList(0, 1 + r.nextInt(reasons.size())).toArray()));
                    p.setBoolean(2, r.nextInt(4) > 0);
                    p.setObject(3, id);
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }

    /**
     * Shipments on the edges at 06:00 UTC on June 16 (a run's clock): a failure dated five hours ahead whose
     * no_movement candidate is exactly now (not active: its since is the failure's, not now), a parcel whose only
     * candidate is exactly now (not in the queue), one never scanned for exactly three days, and one whose stay
     * started exactly now beside a failure dated ahead.
     */
    static void boundaries(Connection c, UUID address) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO shipments (id, status, tracking_code, label_url, from_address_id, to_address_id, label_bought_at,
                                           status_at, first_scan_at, exception_event_at, exception_since, promised_delivery_date)
                    VALUES (gen_random_uuid(), 'failure', 'EDGE-AHEAD', 'https://labels.example/a.png', '%1$s', '%1$s',
                            '2026-06-12T00:00:00Z', '2026-06-13T06:00:00Z', '2026-06-12T06:00:00Z', '2026-06-16T11:00:00Z', NULL, NULL),
                           (gen_random_uuid(), 'in_transit', 'EDGE-STALLING', 'https://labels.example/b.png', '%1$s', '%1$s',
                            '2026-06-12T00:00:00Z', '2026-06-13T06:00:00Z', '2026-06-12T06:00:00Z', NULL, NULL, '2026-06-20'),
                           (gen_random_uuid(), 'pre_transit', 'EDGE-UNSCANNED', 'https://labels.example/c.png', '%1$s', '%1$s',
                            '2026-06-13T06:00:00Z', NULL, NULL, NULL, NULL, NULL),
                           (gen_random_uuid(), 'return_to_sender', 'EDGE-STAY', 'https://labels.example/d.png', '%1$s', '%1$s',
                            '2026-06-12T00:00:00Z', '2026-06-16T09:00:00Z', '2026-06-12T06:00:00Z', '2026-06-16T09:00:00Z',
                            '2026-06-16T06:00:00Z', NULL)""".formatted(address));
        }
    }

    /** Mostly on a six-hour grid (ties in since), sometimes off it by minutes. */
    static Instant grid(Random r, Instant at) {
        Instant on = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 6 * 3600) * 6 * 3600);
        return r.nextInt(6) == 0 ? on.plus(Duration.ofMinutes(r.nextInt(300))) : on;
    }

    static OffsetDateTime ts(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
