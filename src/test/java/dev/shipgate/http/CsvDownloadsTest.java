package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CSV export cells")
class CsvDownloadsTest {

    @Test
    @DisplayName("text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection); other text is kept")
    void formulaText() {
        assertThat(CsvDownloads.cell("=1+2")).isEqualTo("'=1+2");
        assertThat(CsvDownloads.cell("+44 20 7946 0000")).isEqualTo("'+44 20 7946 0000");
        assertThat(CsvDownloads.cell("-5")).isEqualTo("'-5");
        assertThat(CsvDownloads.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvDownloads.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvDownloads.cell("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvDownloads.cell("Ada = Lovelace")).isEqualTo("Ada = Lovelace");
        assertThat(CsvDownloads.cell("'quoted")).isEqualTo("'quoted");
        assertThat(CsvDownloads.cell("")).isEmpty();
    }

    @Test
    @DisplayName("numbers are plain decimals even when negative, times UTC ISO-8601 instants, null an empty cell")
    void values() {
        assertThat(CsvDownloads.cell(new BigDecimal("-7.50"))).isEqualTo("-7.50");
        assertThat(CsvDownloads.cell(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CsvDownloads.cell(Numeric.create(new BigDecimal("7.58")))).isEqualTo("7.58");
        assertThat(CsvDownloads.cell(OffsetDateTime.of(2026, 3, 10, 7, 0, 0, 0, ZoneOffset.ofHours(-5))))
                .isEqualTo("2026-03-10T12:00:00Z");
        assertThat(CsvDownloads.cell(LocalDate.of(2026, 3, 10))).isEqualTo("2026-03-10");
        assertThat(CsvDownloads.cell(-3L)).isEqualTo("-3");
        UUID id = UUID.randomUUID();
        assertThat(CsvDownloads.cell(id)).isEqualTo(id.toString());
        assertThat(CsvDownloads.cell(null)).isEmpty();
    }
}
