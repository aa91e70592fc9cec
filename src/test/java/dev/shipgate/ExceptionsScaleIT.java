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
 * The exceptions queue and carrier performance on 100,000 demo shipments: their plans read the partial
 * indexes of migration V42 instead of scanning the table. Plans and times are printed for the record.
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
                .replace("#{reason}", "'failure'").replace("#{today}", "current_date").replace("#{zone}", "'UTC'");
    }

    @Test
    @DisplayName("a queue page and the summary read the undelivered-labels index; carrier performance reads the delivered index")
    void plans() throws Exception {
        DatabaseUrl u = TestDatabase.isolated("exceptions_scale");
        String url = "postgresql://" + u.user() + ":" + u.password() + "@" + u.host() + ":" + u.port() + "/" + u.database();
        assertThat(Main.run(new String[] {"seed-demo", "--shipments", "100000"}, Map.of("DATABASE_URL", url),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE shipments");
            }
            String page = explain(c, literal(ExceptionSqlProbe.page(0b10)));
            assertThat(page).contains("shipments_undelivered_idx").doesNotContain("Seq Scan on shipments");
            String filtered = explain(c, literal(ExceptionSqlProbe.page(0b11)));
            assertThat(filtered).contains("shipments_undelivered_idx");
            String summary = explain(c, literal(ExceptionSqlProbe.summary()));
            assertThat(summary).contains("shipments_undelivered_idx").doesNotContain("Seq Scan on shipments");
            String carriers = explain(c, dev.shipgate.analytics.CarrierPerformanceProbe.sql()
                    .replace("#{from}", "now() - interval '90 days'").replace("#{before}", "now()")
                    .replace("#{zone}", "'UTC'"));
            assertThat(carriers).contains("shipments_delivered_idx");
        }
    }
}
