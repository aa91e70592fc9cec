package dev.shipgate.demo;

import dev.shipgate.config.DatabaseUrl;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Demo data for the dashboard and the benchmarks: shipments over the past year from a handful of
 * warehouses to unique recipients, with rates from several carriers, bought labels and tracking events
 * in every status, a few in each exceptions-queue reason ({@link DemoTracking}). Loaded with COPY in chunks (one transaction each), so a million shipments take
 * minutes. The same seed, hour and starting row count give the same data.
 *
 * <p>What keeps a large append fast (PostgreSQL's "Populating a Database" names the costs):
 * <ul>
 *   <li>Keys in insertion order. The ids of addresses, parcels, shipments and rates, and the EasyPost ids of
 *       shipments and rates, are time-ordered UUIDs (version 7, RFC 9562 section 5.7: the seeding hour's Unix
 *       milliseconds, then a counter from the rows already there, then random bits), so each of their indexes,
 *       and the rate and event indexes keyed by shipment, grows at its right edge. With random version 4 ids
 *       every row touched about 25 index pages spread over gigabytes: past a million rows each such page was
 *       written to the WAL whole once per checkpoint (14 full-page images a row at 3M), and appending slowed
 *       to a few hundred rows a second.</li>
 *   <li>Generation beside loading: the next chunk's rows are made on another thread while PostgreSQL takes
 *       the current one, so the two cores work at once.</li>
 *   <li>Page images in the WAL uncompressed, for this session only. With {@code wal_compression = on} (the
 *       service's setting, {@code conf/postgresql.conf}) the one loading backend compresses every full-page
 *       image with pglz and is bound by that: at 5M shipments an append took 10-16 s per 20,000 rows with it
 *       and 5-7 s without. The seed writes more WAL instead, which checkpoints recycle.</li>
 * </ul>
 */
public final class DemoSeeder {

    /** What one run added ({@code shipments}, {@code events}), what the database then holds in all, and how long it took. */
    public record Result(int shipments, long events, long total, Duration took) {
        @Override
        public String toString() {
            return String.format("seeded %d shipments and %d events in %.1f s; the database now holds %d shipments",
                    shipments, events, took.toMillis() / 1000.0, total);
        }
    }

    private record Service(String carrier, String service, double base, int days) {
    }

    private static final int CHUNK = 20_000;
    private static final Service[] SERVICES = {
        new Service("USPS", "GroundAdvantage", 5.40, 5), new Service("USPS", "Priority", 8.90, 3),
        new Service("USPS", "Express", 28.75, 1), new Service("UPS", "Ground", 9.80, 5),
        new Service("UPS", "2ndDayAir", 21.40, 2), new Service("UPS", "NextDayAir", 45.10, 1),
        new Service("FedEx", "FEDEX_GROUND", 9.60, 5), new Service("FedEx", "FEDEX_2_DAY", 20.30, 2),
        new Service("DHLExpress", "ExpressWorldwideNonDoc", 38.00, 3),
    };
    private static final String[][] WAREHOUSES = {
        {"Shipgate Demo East", "417 Montgomery St", "San Francisco", "CA", "94104"},
        {"Shipgate Demo Central", "1200 W 35th St", "Chicago", "IL", "60609"},
        {"Shipgate Demo South", "2500 N Loop W", "Houston", "TX", "77092"},
    };
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Linus", "Margaret",
        "Dennis", "Frances", "John", "Radia", "Tim", "Katherine", "Donald", "Leslie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Torvalds",
        "Hamilton", "Ritchie", "Allen", "Backus", "Perlman", "Berners-Lee", "Johnson", "Knuth", "Lamport"};
    private static final String[][] CITIES = {{"New York", "NY", "10001"}, {"Seattle", "WA", "98101"},
        {"Austin", "TX", "78701"}, {"Denver", "CO", "80202"}, {"Boston", "MA", "02108"}, {"Miami", "FL", "33101"},
        {"Portland", "OR", "97201"}, {"Atlanta", "GA", "30303"}, {"Phoenix", "AZ", "85004"}, {"Detroit", "MI", "48226"}};

    private final DatabaseUrl url;
    private final long seed;
    private final java.util.function.Consumer<String> progress;

    public DemoSeeder(DatabaseUrl url, long seed, java.util.function.Consumer<String> progress) {
        this.url = url;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * Adds shipments until the database holds {@code total} in all (none when it already does): what finishes
     * a run that was stopped midway, whose committed chunks stay.
     */
    public Result seedUpTo(long total) {
        long there;
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            there = existingShipments(c);
        } catch (SQLException e) {
            throw new IllegalStateException("seeding failed: " + e.getMessage(), e);
        }
        if (there >= total) {
            progress.accept(String.format("the database already holds %d shipments; nothing to add for --up-to %d", there, total));
            return new Result(0, 0, there, Duration.ZERO);
        }
        return seed((int) (total - there));
    }

    /**
     * Appends {@code count} shipments to what the database holds, in chunks of 20,000, each committed on its
     * own (a run stopped midway keeps the chunks it committed; {@link #seedUpTo} finishes it).
     */
    public Result seed(int count) {
        long started = System.nanoTime();
        ExecutorService generator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "seed-demo-generator");
            t.setDaemon(true);
            return t;
        });
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            uncompressedWal(c);
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long offset = existingShipments(c);
            if (offset > 0) {
                progress.accept(String.format("the database holds %d shipments; adding %d (%d in all)", offset, count, offset + count));
            }
            Random random = new Random(seed ^ offset);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0);
            OrderedIds ids = new OrderedIds(now.toInstant().toEpochMilli(), offset * 8, random);
            UUID[] warehouses = new UUID[WAREHOUSES.length];
            StringBuilder addresses = new StringBuilder();
            for (int i = 0; i < warehouses.length; i++) {
                warehouses[i] = ids.next();
                String[] w = WAREHOUSES[i];
                row(addresses, warehouses[i], w[0], w[1], w[2], w[3], w[4], "true");
            }
            copy.copyIn(DemoSql.COPY_ADDRESSES, new StringReader(addresses.toString()));
            long events = 0;
            Future<Chunk> next = generator.submit(() -> chunk(random, ids, now, warehouses, Math.min(CHUNK, count)));
            for (int done = 0; done < count; done += CHUNK) {
                Chunk chunk = next.get();
                int after = done + CHUNK;
                next = after < count
                        ? generator.submit(() -> chunk(random, ids, now, warehouses, Math.min(CHUNK, count - after)))
                        : null;
                events += chunk.load(copy);
                c.commit();
                int loaded = Math.min(count, after);
                progress.accept(String.format("seeded %d of %d shipments (%d%%) in %.0f s", loaded, count,
                        loaded * 100L / count, (System.nanoTime() - started) / 1e9));
            }
            try (Statement s = c.createStatement()) {
                s.execute(DemoSql.ACKNOWLEDGE_OLD_EXCEPTIONS);
                s.execute(DemoSql.ANALYZE_SHIPMENTS);
                s.execute(DemoSql.ANALYZE_EVENTS);
            }
            c.commit();
            return new Result(count, events, offset + count, Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("seeding failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("seeding interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("seeding failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            generator.shutdownNow();
        }
    }

    /** One chunk's rows in COPY text, per table, and its event count; loaded in one transaction. */
    private record Chunk(String addresses, String parcels, String shipments, String rates, String events, long eventCount) {

        long load(CopyManager copy) throws SQLException, IOException {
            copy.copyIn(DemoSql.COPY_ADDRESSES, new StringReader(addresses));
            copy.copyIn(DemoSql.COPY_PARCELS, new StringReader(parcels));
            copy.copyIn(DemoSql.COPY_SHIPMENTS, new StringReader(shipments));
            copy.copyIn(DemoSql.COPY_RATES, new StringReader(rates));
            copy.copyIn(DemoSql.COPY_EVENTS, new StringReader(events));
            return eventCount;
        }
    }

    /**
     * Time-ordered UUIDs (version 7, RFC 9562 section 5.7, with the counter of its section 6.2 method 1): 48
     * bits of Unix milliseconds, then a 42-bit counter split around the version and variant bits, then 32
     * random bits. Each id is greater than the one before; a later seeding hour, or more rows already there
     * (the counter starts from them), start above an earlier run's ids.
     */
    static final class OrderedIds {
        private final long millis;
        private final Random random;
        private long counter;

        OrderedIds(long millis, long counter, Random random) {
            this.millis = millis;
            this.counter = counter;
            this.random = random;
        }

        UUID next() {
            long n = counter++;
            long high = (millis << 16) | 0x7000L | ((n >>> 30) & 0xFFFL);
            long low = Long.MIN_VALUE | ((n & 0x3FFFFFFFL) << 32) | (random.nextInt() & 0xFFFFFFFFL);
            return new UUID(high, low);
        }

        /** The id as EasyPost writes its own: a prefix and 32 lowercase hex digits. */
        static String easypostId(String prefix, UUID id) {
            return prefix + id.toString().replace("-", "");
        }
    }

    private Chunk chunk(Random r, OrderedIds ids, OffsetDateTime now, UUID[] warehouses, int n) {
        StringBuilder addresses = new StringBuilder(n * 80);
        StringBuilder parcels = new StringBuilder(n * 60);
        StringBuilder shipments = new StringBuilder(n * 220);
        StringBuilder rates = new StringBuilder(n * 3 * 100);
        StringBuilder events = new StringBuilder(n * 3 * 100);
        long eventCount = 0;
        for (int i = 0; i < n; i++) {
            UUID to = ids.next();
            UUID parcel = ids.next();
            UUID shipment = ids.next();
            String name = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
            String[] city = CITIES[r.nextInt(CITIES.length)];
            row(addresses, to, name, (100 + r.nextInt(9900)) + " Main St", city[0], city[1], city[2], "true");
            BigDecimal weight = BigDecimal.valueOf(1 + r.nextInt(700), 1);
            row(parcels, parcel, BigDecimal.valueOf(4 + r.nextInt(20)), BigDecimal.valueOf(4 + r.nextInt(16)),
                    BigDecimal.valueOf(2 + r.nextInt(12)), weight);

            OffsetDateTime created = now.minusSeconds((long) (r.nextDouble() * 365 * 86_400));
            int ageDays = (int) Duration.between(created, now).toDays();
            boolean purchased = r.nextInt(100) >= 3;
            Service bought = SERVICES[r.nextInt(SERVICES.length)];
            BigDecimal boughtRate = null;
            for (int k = 0; k < 3; k++) {
                Service s = k == 0 ? bought : SERVICES[r.nextInt(SERVICES.length)];
                BigDecimal price = price(s, weight, r);
                if (k == 0) {
                    boughtRate = price;
                }
                UUID rate = ids.next();
                row(rates, rate, OrderedIds.easypostId("rate_", rate), shipment, s.carrier(), s.service(), price, s.days(),
                        DemoTracking.promisedDay(s.carrier(), created, s.days()), s.days(), created);
            }
            OffsetDateTime boughtAt = earliest(created.plusHours(1 + r.nextInt(12)), now);
            DemoTracking.Story story = purchased ? DemoTracking.tell(r, ageDays, boughtAt, bought.days(), now) : null;
            String tracking = purchased ? tracking(bought.carrier(), r) : null;
            row(shipments, shipment, OrderedIds.easypostId("shp_", shipment), purchased ? story.status() : "unknown", purchased ? bought.carrier() : null,
                    purchased ? bought.service() : null, purchased ? boughtRate : null, tracking,
                    purchased ? "https://easypost-files.s3.amazonaws.com/files/postage_label/" + shipment + ".png" : null,
                    "ORDER-" + (100_000 + r.nextInt(900_000)), name, purchased ? story.refundStatus() : null,
                    warehouses[r.nextInt(warehouses.length)], to, parcel, created,
                    purchased ? story.statusAt() : created,
                    purchased ? boughtAt : null, purchased ? story.statusAt() : null,
                    purchased ? DemoTracking.promisedDay(bought.carrier(), created, bought.days()) : null,
                    purchased ? bought.days() : null, purchased ? bought.days() : null,
                    purchased ? story.trackerEstimate() : null, purchased ? story.firstScanAt() : null,
                    purchased ? story.deliveredAt() : null, purchased ? story.exceptionEventAt() : null);
            if (purchased) {
                for (DemoTracking.Event e : story.events()) {
                    row(events, shipment, e.status(), e.description(), e.at(), city[0], city[1], "US");
                }
                eventCount += story.events().size();
            }
        }
        return new Chunk(addresses.toString(), parcels.toString(), shipments.toString(), rates.toString(),
                events.toString(), eventCount);
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }

    private static BigDecimal price(Service s, BigDecimal weight, Random r) {
        double p = s.base() + weight.doubleValue() * 0.12 + r.nextInt(100) / 100.0;
        return BigDecimal.valueOf(p).setScale(2, RoundingMode.HALF_EVEN);
    }

    private static String tracking(String carrier, Random r) {
        return switch (carrier) {
            case "USPS" -> "9400" + digits(r, 18);
            case "UPS" -> "1Z" + hex(r).toUpperCase() + digits(r, 4);
            case "FedEx" -> "7" + digits(r, 14);
            default -> "JD" + digits(r, 16);
        };
    }

    private static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    private static String hex(Random r) {
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 16);
    }

    /**
     * Turns WAL compression off for the seeding session where the server allows it (a superuser, as on the
     * embedded database); elsewhere the load goes on with the server's setting, only slower.
     */
    private void uncompressedWal(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute(DemoSql.WAL_UNCOMPRESSED);
        } catch (SQLException e) {
            progress.accept("WAL compression stays on for this load (" + e.getMessage() + ")");
        }
    }

    private static long existingShipments(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(DemoSql.COUNT_SHIPMENTS)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One COPY text row; values never contain tabs, newlines or backslashes, null is \N. */
    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            out.append(values[i] == null ? "\\N" : values[i].toString());
        }
        out.append('\n');
    }
}
