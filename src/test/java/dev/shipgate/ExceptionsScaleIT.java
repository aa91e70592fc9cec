package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.exceptions.ExceptionSqlProbe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exceptions queue and carrier performance on 100,000 demo shipments: a queue page reads the reason
 * indexes of migration V52 (a range scan of about a page per reason) instead of working out every
 * undelivered label's reasons, and still lists exactly the entries, in the order, the whole queue sorted
 * would. Plans (before: the whole queue sorted; after: the page) and times are printed for the record.
 */
@DisplayName("The exceptions queue at 100,000 shipments")
class ExceptionsScaleIT {

    static final int PAGE = 50;
    /** Rows an index scan or the queue's CTE hands up: "(actual time=a..b rows=R loops=L)". */
    static final Pattern READ = Pattern.compile("(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\\w+)[^\\n]*?actual time=\\S+ rows=(\\d+) loops=(\\d+)");

    static String explain(Connection c, String title, String sql) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        String plan = String.join("\n", lines);
        System.out.println("== " + title + "\n" + plan);
        return plan;
    }

    /** Shipment rows the plan's index scans read, by index. */
    static Map<String, Long> rowsRead(String plan) {
        Map<String, Long> read = new TreeMap<>();
        Matcher m = READ.matcher(plan);
        while (m.find()) {
            read.merge(m.group(1), Long.parseLong(m.group(2)) * Long.parseLong(m.group(3)), Long::sum);
        }
        return read;
    }

    static String literal(String sql) {
        return sql.replace("#{stall_days}", "3").replace("#{unscanned_days}", "3").replace("#{limit}", String.valueOf(PAGE + 1))
                .replace("#{reason}", "'failure'");
    }

    static String after(String sql, OffsetDateTime since, String id) {
        return literal(sql).replace("#{cursor_at}", "timestamptz '" + since + "'").replace("#{cursor_id}", "'" + id + "'::uuid");
    }

    /** A queue row's place: its since and id. */
    record Place(OffsetDateTime since, String id) {
    }

    /** The since and id of a statement's rows, in order. */
    static List<Place> places(Connection c, String sql) throws Exception {
        List<Place> places = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                places.add(new Place(rs.getObject("since", OffsetDateTime.class), rs.getString("id")));
            }
        }
        return places;
    }

    /** Every entry, page by page with the keyset cursor (the last entry shown), as GET /exceptions lists them. */
    static List<Place> paged(Connection c, int mask) throws Exception {
        List<Place> all = new ArrayList<>();
        List<Place> page = places(c, literal(ExceptionSqlProbe.page(mask)));
        while (true) {
            all.addAll(page.subList(0, Math.min(PAGE, page.size())));
            if (page.size() <= PAGE) {
                return all;
            }
            Place last = page.get(PAGE - 1);
            page = places(c, after(ExceptionSqlProbe.page(mask | 0b100), last.since(), last.id()));
        }
    }

    static Map<String, String> summary(Connection c, String sql) throws Exception {
        Map<String, String> counts = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(String.valueOf(rs.getString(1)), rs.getLong(2) + "/" + rs.getLong(3));
            }
        }
        return counts;
    }

    @Test
    @DisplayName("a queue page is a range scan of about a page per reason index, lists what the whole queue sorted lists, and the summary counts the same")
    void plans() throws Exception {
        DatabaseUrl u = TestDatabase.isolated("exceptions_scale");
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        assertThat(Main.run(new String[] {"seed-demo", "--shipments", "100000"}, Map.of("DATABASE_URL", url),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE shipments");
            }
            long candidates = TestDatabase.count(u, "SELECT count(*) FROM shipments s WHERE " + ExceptionSqlProbe.open());
            long entries = TestDatabase.count(u, "SELECT count(*) FROM (" + literal(ExceptionSqlProbe.wholeQueueSorted("")) + ") q");
            System.out.println("undelivered candidates " + candidates + ", queue entries " + entries);

            assertThat(summary(c, literal(ExceptionSqlProbe.summary()))).as("the summary's counts")
                    .isEqualTo(summary(c, literal("WITH q AS MATERIALIZED (" + ExceptionSqlProbe.wholeQueueSorted("") + ")"
                            + " SELECT NULL AS reason, count(*) FILTER (WHERE NOT q.acknowledged), count(*) FILTER (WHERE q.acknowledged) FROM q"
                            + " UNION ALL SELECT reason, count(*) FILTER (WHERE NOT q.acknowledged), count(*) FILTER (WHERE q.acknowledged)"
                            + " FROM q, unnest(q.reasons) reason GROUP BY reason")));
            assertThat(paged(c, 0)).as("every entry, paged").hasSize((int) entries)
                    .isEqualTo(places(c, literal(ExceptionSqlProbe.wholeQueueSorted(""))));
            assertThat(paged(c, 0b10)).as("open entries, paged")
                    .isEqualTo(places(c, literal(ExceptionSqlProbe.wholeQueueSorted(" WHERE NOT q.acknowledged"))));
            assertThat(paged(c, 0b11)).as("open entries with reason failure, paged")
                    .isEqualTo(places(c, literal(ExceptionSqlProbe.wholeQueueSorted(" WHERE NOT q.acknowledged AND 'failure' = ANY(q.reasons)"))));

            String before = explain(c, "before V52: the open queue's first page, every candidate's reasons sorted",
                    literal(ExceptionSqlProbe.wholeQueueSorted(" WHERE NOT q.acknowledged")) + "\nLIMIT " + (PAGE + 1));
            assertThat(before).contains("shipments_undelivered_idx");

            String page = explain(c, "after V52: the open queue's first page", literal(ExceptionSqlProbe.page(0b10)));
            Map<String, Long> read = rowsRead(page);
            System.out.println("rows read by index: " + read);
            assertThat(read).containsKeys("shipments_exception_status_idx", "shipments_exception_stalled_idx",
                    "shipments_exception_late_idx", "shipments_exception_unscanned_idx").doesNotContainKey("shipments_undelivered_idx");
            long total = read.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("rows a page reads, against %s candidates", candidates).isLessThan(candidates / 4);

            String deep = explain(c, "after V52: a page from the middle of the whole queue (cursor)", after(ExceptionSqlProbe.page(0b100),
                    OffsetDateTime.now().minusDays(60), "ffffffff-ffff-ffff-ffff-ffffffffffff"));
            assertThat(rowsRead(deep).values().stream().mapToLong(Long::longValue).sum()).isLessThan(candidates / 4);

            String filtered = explain(c, "after V52: open entries with reason failure", literal(ExceptionSqlProbe.page(0b11)));
            assertThat(filtered).contains("shipments_exception_status_idx").doesNotContain("Seq Scan on shipments");

            String summary = explain(c, "after V52: the summary", literal(ExceptionSqlProbe.summary()));
            assertThat(summary).contains("shipments_exception_status_idx").doesNotContain("Seq Scan on shipments");

            String carriers = explain(c, "carrier performance", dev.shipgate.analytics.CarrierPerformanceProbe.sql()
                    .replace("#{from}", "now() - interval '90 days'").replace("#{before}", "now()"));
            assertThat(carriers).contains("shipments_delivered_idx");
        }
    }
}
