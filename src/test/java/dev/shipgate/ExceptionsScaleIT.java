package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.exceptions.ExceptionSqlProbe;
import dev.shipgate.config.DatabaseUrl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exceptions queue and carrier performance on 100,000 demo shipments: the queue's page reads its rows from
 * the stored order (migration V59) backwards and stops, the summary reads the entries only, carrier performance
 * reads the delivered index of V42; none scans the table. Plans and times are printed for the record;
 * {@code -Dshipgate.scale.shipments=N} seeds another size to compare them.
 */
@DisplayName("The exceptions queue at 100,000 shipments")
class ExceptionsScaleIT {

    static String explain(Connection c, String sql) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        String plan = String.join("\n", lines);
        System.out.println(plan);
        return plan;
    }

    static String literal(String sql) {
        return sql.replace("#{stall_days}", "3").replace("#{unscanned_days}", "3").replace("#{limit}", "51")
                .replace("#{reason}", "'failure'").replace("#{today}", "current_date").replace("#{zone}", "'UTC'")
                .replace("#{now}", "now()");
    }

    /** Each named parameter's type and the value an EXPLAIN gives it. */
    static final Map<String, String[]> PARAMS = Map.of(
            "stall_days", new String[] {"integer", "3"}, "unscanned_days", new String[] {"integer", "3"},
            "now", new String[] {"timestamptz", "now()"}, "today", new String[] {"date", "current_date"},
            "zone", new String[] {"text", "'UTC'"}, "limit", new String[] {"integer", "51"},
            "reason", new String[] {"text", "'failure'"});

    /**
     * EXPLAIN ANALYZE of {@code sql} as the service runs it after a few executions: a prepared statement's generic
     * plan, made without the parameters' values.
     */
    static String explainGeneric(Connection c, String sql) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#\\{(\\w+)}").matcher(sql);
        List<String> names = new ArrayList<>();
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
            m.appendReplacement(numbered, "\\$" + (names.indexOf(m.group(1)) + 1));
        }
        m.appendTail(numbered);
        try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE page_generic(" + String.join(", ", names.stream().map(n -> PARAMS.get(n)[0]).toList()) + ") AS "
                    + numbered);
            try {
                return explain(c, "EXECUTE page_generic(" + String.join(", ", names.stream().map(n -> PARAMS.get(n)[1]).toList()) + ")");
            } finally {
                s.execute("DEALLOCATE page_generic");
                s.execute("RESET plan_cache_mode");
            }
        }
    }

    /** The rows the first scan of {@code index} in an EXPLAIN ANALYZE returned. */
    static long rowsRead(String plan, String index) {
        var m = java.util.regex.Pattern.compile("using " + index + " .*actual time=\\S+ rows=(\\d+)").matcher(plan);
        assertThat(m.find()).as("a scan of " + index).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The most rows any Sort node of an EXPLAIN ANALYZE sorted (0 when there is none). */
    static long largestSort(String plan) {
        var m = java.util.regex.Pattern.compile("Sort {2}\\(.*actual time=\\S+ rows=(\\d+)").matcher(plan);
        long most = 0;
        while (m.find()) {
            most = Math.max(most, Long.parseLong(m.group(1)));
        }
        return most;
    }

    @Test
    @DisplayName("a queue page reads the stored order backwards and sorts only its own rows, the summary reads the entries; "
            + "carrier performance reads the delivered index")
    void plans() throws Exception {
        DatabaseUrl u = TestDatabase.isolated("exceptions_scale");
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        String shipments = System.getProperty("shipgate.scale.shipments", "100000");
        assertThat(Main.run(new String[] {"seed-demo", "--shipments", shipments}, Map.of("DATABASE_URL", url),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE shipments");
            }
            String page = explain(c, literal(ExceptionSqlProbe.page(0b10)));
            assertThat(page).contains("Index Scan Backward using shipments_queue_idx").doesNotContain("Seq Scan on shipments");
            assertThat(rowsRead(page, "shipments_queue_idx")).as("the first page reads about its own rows").isLessThan(1_000);
            // V60: a parallel worker for the (normally empty) ahead-of-the-clock branch took 50 ms at 3M shipments
            assertThat(page).as("no parallel workers to start for a 51-row page").doesNotContain("Gather");
            assertThat(largestSort(page)).as("only the page's rows are sorted").isLessThanOrEqualTo(2 * 51);
            String filtered = explain(c, literal(ExceptionSqlProbe.page(0b11)));
            assertThat(filtered).contains("Index Scan Backward using shipments_queue_idx").doesNotContain("Seq Scan on shipments");
            assertThat(largestSort(filtered)).isLessThanOrEqualTo(2 * 51);
            String cursor = explain(c, literal(ExceptionSqlProbe.page(0b110))
                    .replace("#{cursor_at}", "now() - interval '20 days'").replace("#{cursor_id}", "'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid"));
            assertThat(cursor).contains("Index Scan Backward using shipments_queue_idx").doesNotContain("Seq Scan on shipments");
            assertThat(largestSort(cursor)).isLessThanOrEqualTo(2 * 51);
            String generic = explainGeneric(c, ExceptionSqlProbe.page(0b10));
            assertThat(generic).as("the prepared statement's generic plan").contains("Index Scan Backward using shipments_queue_idx")
                    .doesNotContain("Seq Scan on shipments").doesNotContain("Gather");
            assertThat(largestSort(generic)).isLessThanOrEqualTo(2 * 51);
            String summary = explain(c, literal(ExceptionSqlProbe.summary()));
            assertThat(summary).containsAnyOf("shipments_queue_idx", "shipments_undelivered_idx").doesNotContain("Seq Scan on shipments");
            String carriers = explain(c, dev.shipgate.analytics.CarrierPerformanceProbe.sql()
                    .replace("#{from}", "now() - interval '90 days'").replace("#{before}", "now()")
                    .replace("#{zone}", "'UTC'"));
            assertThat(carriers).contains("shipments_delivered_idx");
        }
    }
}
