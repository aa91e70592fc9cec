package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shipgate.PgWireProxy.RoundTrip;
import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What one {@code POST /shipments/{id}/buy} costs PostgreSQL, counted three ways on a database of its
 * own: statements executed (pg_stat_statements), transactions committed (pg_stat_database) and round
 * trips the service waited for ({@link PgWireProxy} between the service and the server). The bulk
 * workers are held on a table lock and the creation reconciler's statements are left out, so every
 * figure belongs to the purchases. Buys run one after another on warm connections. The bounds are a
 * regression guard: a change that adds a statement or a round trip to every purchase fails here.
 */
@DisplayName("What one label purchase costs the database")
class PurchaseRoundTripsIT {

    private static final int BUYS = 20;
    /** Enough purchases to prepare every statement of the path on each pooled connection before counting. */
    private static final int WARM_UP = 20;
    private static final String DATABASE = "purchase_round_trips";

    private static Connection admin;
    private static Connection bulkWorkersHeld;
    private static PgWireProxy proxy;
    private static ShipgateApp app;
    private static Api api;
    private static final Deque<String> unbought = new ArrayDeque<>();
    /** Transaction counts when the service last fell idle; nothing touches its database between tests. */
    private static long[] settled;
    private static boolean autovacuumPaused;

    @BeforeAll
    static void start() throws Exception {
        DatabaseUrl shared = TestDatabase.url();
        admin = DriverManager.getConnection(shared.jdbcUrl(), shared.user(), shared.password());
        boolean loaded = text(admin, "SHOW shared_preload_libraries").contains("pg_stat_statements");
        if (!loaded) {
            System.out.println("skipped: the test database (" + TestDatabase.kind()
                    + ") does not preload pg_stat_statements");
        }
        assumeTrue(loaded, "pg_stat_statements is not in shared_preload_libraries");
        execute(admin, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        execute(admin, "SET stats_fetch_consistency = none");
        pauseAutovacuum(true);

        DatabaseUrl own = TestDatabase.isolated(DATABASE);
        proxy = new PgWireProxy(own.host(), own.port());
        app = TestApp.start(Map.of("DATABASE_URL", "postgresql://" + own.user() + ":" + own.password()
                + "@127.0.0.1:" + proxy.port() + "/" + DATABASE));
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
        for (int i = 0; i < 2 * (BUYS + WARM_UP); i++) {
            HttpResponse<Buffer> created = api.post("/shipments", Fixtures.newShipment("RT-" + i));
            assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
            unbought.add(created.bodyAsJsonObject().getString("id"));
        }
        bulkWorkersHeld = holdBulkWorkers(own);
        for (int i = 0; i < WARM_UP; i++) {
            buy(false);
            buy(true);
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        pauseAutovacuum(false);
        if (bulkWorkersHeld != null) {
            bulkWorkersHeld.rollback();
            bulkWorkersHeld.close();
        }
        if (api != null) {
            api.close();
        }
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    // The audit row costs two statements: written before EasyPost is asked, its outcome filled in after the answer.
    @DisplayName("a purchase without an Idempotency-Key costs at most 7 statements, 7 transactions and 5 round trips")
    void withoutKey() throws Exception {
        measure(false).assertAtMost(7, 7, 5);
    }

    @Test
    @DisplayName("an Idempotency-Key adds its claim and its stored answer: "
            + "at most 9 statements, 9 transactions and 7 round trips")
    void withKey() throws Exception {
        measure(true).assertAtMost(9, 9, 7);
    }

    /**
     * Per buy, averaged over {@value #BUYS} sequential buys: statements and transactions as the server
     * counted them, transactions and round trips as the wire showed them.
     */
    record Cost(double statements, double transactions, double wireTransactions, double roundTrips) {

        /**
         * A quarter of a statement, transaction or round trip per buy is the margin: one more in each buy fails.
         * The server's own commit count gets half a transaction: its statistics reach pg_stat_database up to a
         * second late, so on a loaded machine a background commit can land in the wrong window (seen: 7.35
         * by the server with 7.10 on the wire). The wire count, exact, keeps the quarter.
         */
        void assertAtMost(int maxStatements, int maxTransactions, int maxRoundTrips) {
            assertThat(statements).as("statements per buy").isLessThanOrEqualTo(maxStatements + 0.25);
            if (autovacuumPaused) {
                assertThat(transactions).as("transactions per buy").isLessThanOrEqualTo(maxTransactions + 0.5);
            }
            assertThat(wireTransactions).as("transactions per buy on the wire")
                    .isLessThanOrEqualTo(maxTransactions + 0.25);
            assertThat(roundTrips).as("round trips per buy").isLessThanOrEqualTo(maxRoundTrips + 0.25);
        }
    }

    private static Cost measure(boolean withKey) throws Exception {
        long[] before = settled != null ? settled : settledTransactions();
        query(admin, "SELECT pg_stat_statements_reset()");
        proxy.drain();
        double requestsBefore = sqlClientRequests();
        long started = System.nanoTime();
        for (int i = 0; i < BUYS; i++) {
            buy(withKey);
        }
        long buyingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        double requests = sqlClientRequests() - requestsBefore;
        long[] after = settledTransactions();
        settled = after;

        Map<String, Long> statements = statements();
        int opened = proxy.opened();
        List<RoundTrip> trips = proxy.drain();

        Map<String, Long> background = new LinkedHashMap<>();
        statements.forEach((sql, n) -> {
            if (background(sql)) {
                background.put(sql, n);
            }
        });
        statements.keySet().removeAll(background.keySet());
        long calls = statements.values().stream().mapToLong(Long::longValue).sum();
        long backgroundCalls = background.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Integer> composition = new LinkedHashMap<>();
        Map<String, Integer> byPool = new LinkedHashMap<>();
        int prepares = 0;
        int wireTransactions = 0;
        int backgroundTrips = 0;
        int prepareOnlyTrips = 0;
        for (RoundTrip trip : trips) {
            if (trip.statements().stream().anyMatch(PurchaseRoundTripsIT::background)
                    || trip.prepared().stream().anyMatch(PurchaseRoundTripsIT::background)) {
                backgroundTrips++;
                continue;
            }
            if (trip.statements().isEmpty()) {
                // A connection's first use of a statement prepares it on its own: a one-time cost of that
                // connection, not of a purchase; counted and printed, left out of the per-purchase figures.
                prepareOnlyTrips++;
                prepares += trip.prepared().size();
                continue;
            }
            String sentTogether = trip.statements().stream().map(PurchaseRoundTripsIT::shorten).toList()
                    + (trip.prepared().isEmpty() ? "" : " + " + trip.prepared().size() + " prepared");
            composition.merge(trip.application() + "  " + sentTogether, 1, Integer::sum);
            byPool.merge(trip.application(), 1, Integer::sum);
            prepares += trip.prepared().size();
            wireTransactions += trip.transactions();
        }
        int roundTrips = trips.size() - backgroundTrips - prepareOnlyTrips;
        // Each background statement runs in a transaction of its own; a new connection commits one at startup.
        long commits = after[0] - before[0] - backgroundCalls - opened;
        Cost cost = new Cost(perBuy(calls), perBuy(commits), perBuy(wireTransactions), perBuy(roundTrips));

        StringBuilder out = new StringBuilder("\n").append(BUYS).append(" purchases ")
                .append(withKey ? "with" : "without").append(" an Idempotency-Key, one after another in ")
                .append(buyingMs).append(" ms; per purchase:\n")
                .append(String.format("  statements %.2f, transactions %.2f (rolled back %.2f; on the wire %.2f), "
                                + "round trips %.2f %s, statements prepared %.2f, SQL client requests %s%n",
                        cost.statements(), cost.transactions(), perBuy(after[1] - before[1]), cost.wireTransactions(),
                        cost.roundTrips(), perPool(byPool), perBuy(prepares),
                        Double.isNaN(requests) ? "n/a" : String.format("%.2f", perBuy(requests))))
                .append(String.format("  left out, not the purchases': %d background statements in %d round trips "
                        + "(creation reconciler), %d connections opened, %d prepare-only round trips (a connection's "
                        + "first use of a statement); commits counted in all %d%n",
                        backgroundCalls, backgroundTrips, opened, prepareOnlyTrips, after[0] - before[0]))
                .append("  calls/buy  statement (pg_stat_statements)\n");
        statements.forEach((sql, n) -> out.append(String.format("  %9.2f  %s%n", perBuy(n), shorten(sql))));
        out.append("  trips/buy  pool  statements sent together (wire)\n");
        composition.forEach((k, n) -> out.append(String.format("  %9.2f  %s%n", perBuy(n), k)));
        System.out.print(out);
        return cost;
    }

    /**
     * Autovacuum workers commit transactions in the service's database too (a vacuum or analyze of each
     * table the purchases changed): on the run's own embedded server it is off while this class counts.
     * A server from DATABASE_URL is left alone, and its transaction counts may include autovacuum's.
     */
    private static void pauseAutovacuum(boolean pause) throws SQLException {
        if (admin == null || pause == autovacuumPaused || !"embedded".equals(TestDatabase.kind())) {
            return;
        }
        execute(admin, pause ? "ALTER SYSTEM SET autovacuum = off" : "ALTER SYSTEM RESET autovacuum");
        query(admin, "SELECT pg_reload_conf()");
        autovacuumPaused = pause;
    }

    /** Statements of the service's pollers, which run on their own schedule whether anyone buys or not. */
    /** The creation reconciler's and bulk workers' statements, and the token cache's listening-connection heartbeat. */
    private static boolean background(String sql) {
        return sql.contains("shipment_creations") || sql.contains("bulk_job_items")
                || sql.equals("SELECT 1") || sql.equals("SELECT $1");
    }

    private static void buy(boolean withKey) {
        String id = unbought.pop();
        HttpRequest<Buffer> request = api.client().post("/shipments/" + id + "/buy")
                .bearerTokenAuthentication(TestApp.TOKEN);
        if (withKey) {
            request.putHeader("Idempotency-Key", "rt-" + UUID.randomUUID());
        }
        try {
            HttpResponse<Buffer> response = request.sendJsonObject(new JsonObject().put("strategy", "cheapest"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException("buying " + id + " failed", e);
        }
    }

    /**
     * A transaction holding the tables the bulk workers poll four times a second and the webhook dispatcher
     * every second: each one's next claim waits on the lock until the test ends, on a connection of its own taken before the warm-up. (A
     * connection whose statement waits keeps its transaction counts to itself, so only pollers that stop
     * before the purchases start may be held; the creation reconciler, every 30 s, runs and is left out.)
     */
    private static Connection holdBulkWorkers(DatabaseUrl own) throws Exception {
        Connection c = DriverManager.getConnection(own.jdbcUrl(), own.user(), own.password());
        c.setAutoCommit(false);
        execute(c, "LOCK TABLE bulk_job_items, webhook_deliveries IN ACCESS EXCLUSIVE MODE");
        Thread.sleep(1_000);
        return c;
    }

    /**
     * Commits and rollbacks of the service's database once every backend has reported them. A backend
     * passes its counts on at most once a second; one that falls idle within that second waits for its
     * 10 s idle timer (PGSTAT_IDLE_INTERVAL) before it does, so wait until they stop changing for 11 s.
     */
    private static long[] settledTransactions() throws Exception {
        long[] last = transactions();
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - stableSince < TimeUnit.SECONDS.toNanos(11)) {
            assertThat(System.nanoTime()).as("transaction counts settle").isLessThan(deadline);
            Thread.sleep(250);
            long[] now = transactions();
            if (now[0] != last[0] || now[1] != last[1]) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    private static long[] transactions() throws SQLException {
        try (PreparedStatement s = admin.prepareStatement(
                "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = ?")) {
            s.setString(1, DATABASE);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Calls per statement the service's user ran in the service's database since the reset, most first. */
    private static Map<String, Long> statements() throws SQLException {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (PreparedStatement s = admin.prepareStatement("""
                SELECT query, sum(calls) FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)
                  AND userid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                  AND calls > 0
                GROUP BY query ORDER BY sum(calls) DESC, query""")) {
            s.setString(1, DATABASE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    calls.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return calls;
    }

    /** Statements the service's Vert.x SQL clients completed, from its own /metrics; NaN when not exported. */
    private static double sqlClientRequests() {
        String metrics = api.get("/metrics").bodyAsString();
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("vertx_sql_processing_time_seconds_count")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private static String perPool(Map<String, Integer> byPool) {
        List<String> parts = new ArrayList<>();
        byPool.forEach((pool, n) -> parts.add(pool + " " + String.format("%.2f", perBuy(n))));
        return "(" + String.join(", ", parts) + ")";
    }

    private static double perBuy(double n) {
        return n / BUYS;
    }

    private static String shorten(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 90 ? flat : flat.substring(0, 87) + "...";
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
