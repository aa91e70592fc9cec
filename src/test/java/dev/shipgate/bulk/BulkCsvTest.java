package dev.shipgate.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading operators' CSV files")
class BulkCsvTest {

    static final String HEADER = "reference,to_name,to_street1,to_city,to_state,to_zip,from_street1,from_city,from_zip,weight";
    static final String ROW = "R-1,Ada Lovelace,417 Montgomery St,San Francisco,CA,94104,1 Dock Rd,Oakland,94607,15.4";

    static byte[] utf8(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withBom(byte[] bytes) {
        return dev.shipgate.Fixtures.withBom(bytes);
    }

    static Problem refused(byte[] body, String charset) {
        return catchThrowableOfType(ProblemException.class, () -> BulkCsv.parse(body, charset)).problem();
    }

    /** invalid_params as name → reason. */
    static Map<String, String> params(Problem problem) {
        return problem.invalidParams().stream()
                .collect(Collectors.toMap(Problem.InvalidParam::name, Problem.InvalidParam::reason, (a, b) -> a + " | " + b));
    }

    @Test
    @DisplayName("a byte-order mark (Excel's \"CSV UTF-8\") is dropped, so the first column keeps its name")
    void byteOrderMark() {
        List<BulkCsv.Row> rows = BulkCsv.parse(withBom(utf8(HEADER, ROW)), null);
        assertThat(rows.get(0).shipment().reference()).isEqualTo("R-1");

        String street1First = "to_street1,to_city,to_zip,from_street1,from_city,from_zip,weight";
        List<BulkCsv.Row> other = BulkCsv.parse(withBom(utf8(street1First, "417 Montgomery St,San Francisco,94104,1 Dock Rd,Oakland,94607,8")), null);
        assertThat(other.get(0).shipment().toAddress().street1()).isEqualTo("417 Montgomery St");
    }

    @Test
    @DisplayName("header names match whatever their case and surrounding spaces")
    void headerCaseAndSpaces() {
        String header = "Reference, To_Name ,TO_STREET1,To_City,to_zip,From_Street1,from_city,FROM_ZIP, weight ";
        BulkCsv.Row row = BulkCsv.parse(utf8(header, "R-9,Ada,1 Main St,Reno,89501,1 Dock Rd,Oakland,94607,16"), null).get(0);
        assertThat(row.shipment().reference()).isEqualTo("R-9");
        assertThat(row.shipment().toAddress().name()).isEqualTo("Ada");
        assertThat(row.shipment().parcel().weight()).isEqualByComparingTo("16");
    }

    @Test
    @DisplayName("an unknown column refuses the upload with a 422 naming it and listing the accepted columns")
    void unknownColumn() {
        Problem problem = refused(utf8(HEADER + ",to_phone_number", ROW + ",555-0100"), null);
        assertThat(problem.status()).isEqualTo(422);
        assertThat(params(problem)).containsOnlyKeys("line 1: to_phone_number");
        assertThat(params(problem).get("line 1: to_phone_number")).contains("did you mean to_phone?").contains(String.join(", ", BulkCsv.COLUMNS));
        assertThat(problem.extensions().getJsonArray("accepted_columns")).containsExactlyElementsOf(BulkCsv.COLUMNS);
    }

    @Test
    @DisplayName("a column named twice, or a required column missing, is a 422 naming each")
    void duplicateAndMissingColumns() {
        Problem problem = refused(utf8("reference,Reference,to_street1,to_city,from_street1,from_city,from_zip,weight", "a,b,c,d,e,f,g,1"), null);
        assertThat(problem.status()).isEqualTo(422);
        assertThat(params(problem)).containsOnlyKeys("line 1: Reference", "line 1: to_zip");
    }

    @Test
    @DisplayName("Windows-1252 bytes sent without a charset are a 400 naming line and column; never replacement characters")
    void windows1252WithoutCharset() {
        byte[] body = (HEADER + "\r\nR-1,Jürgen Müller,Calle 1,San José,CA,95112,1 Dock Rd,Oakland,94607,8")
                .getBytes(Charset.forName("windows-1252"));
        Problem problem = refused(body, null);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(params(problem)).containsOnlyKeys("line 2: to_name", "line 2: to_city");
        assertThat(params(problem).get("line 2: to_name")).contains("not valid UTF-8").contains("charset=windows-1252");
    }

    @Test
    @DisplayName("a declared charset is honoured: windows-1252 reads Jürgen Müller in San José")
    void declaredCharset() {
        byte[] body = (HEADER + "\r\nR-1,Jürgen Müller,Calle 1,San José,CA,95112,1 Dock Rd,Oakland,94607,8")
                .getBytes(Charset.forName("windows-1252"));
        BulkCsv.Row row = BulkCsv.parse(body, "windows-1252").get(0);
        assertThat(row.shipment().toAddress().name()).isEqualTo("Jürgen Müller");
        assertThat(row.shipment().toAddress().city()).isEqualTo("San José");
        assertThat(refused(body, "klingon-8").invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("Content-Type");
        assertThat(refused(withBom(utf8(HEADER, ROW)), "windows-1252").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("a semicolon-separated file (Excel in European locales) is read, and 15,4 is told to use a point")
    void semicolons() {
        String header = HEADER.replace(',', ';');
        BulkCsv.Row row = BulkCsv.parse(utf8(header, ROW.replace(',', ';').replace("Ada Lovelace", "\"Lovelace; Ada\"")), null).get(0);
        assertThat(row.shipment().toAddress().name()).isEqualTo("Lovelace; Ada");
        assertThat(row.shipment().parcel().weight()).isEqualByComparingTo(new BigDecimal("15.4"));
        Problem problem = refused(utf8(header, ROW.replace(',', ';').replace("15.4", "15,4")), null);
        assertThat(params(problem).get("line 2: weight")).contains("decimal separator");
    }

    @Test
    @DisplayName("a UTF-16 tab-separated file with its byte-order mark (Excel's Unicode text) is read")
    void utf16Tabs() {
        byte[] text = (HEADER.replace(',', '\t') + "\r\n" + ROW.replace(',', '\t').replace("Ada Lovelace", "Zoë")).getBytes(StandardCharsets.UTF_16LE);
        byte[] body = new byte[text.length + 2];
        body[0] = (byte) 0xFF;
        body[1] = (byte) 0xFE;
        System.arraycopy(text, 0, body, 2, text.length);
        assertThat(BulkCsv.parse(body, null).get(0).shipment().toAddress().name()).isEqualTo("Zoë");
    }

    @Test
    @DisplayName("rows are numbered as the file's lines, across quoted line breaks and blank lines")
    void fileLineNumbers() {
        byte[] body = utf8(HEADER,
                "R-1,\"Ada\nLovelace\",417 Montgomery St,San Francisco,CA,94104,1 Dock Rd,Oakland,94607,15.4",
                "",
                ROW.replace("R-1", "R-2").replace("15.4", "heavy"),
                ",,,,,,,,,",
                ROW.replace("R-1", "R-3"));
        Problem problem = refused(body, null);
        assertThat(params(problem)).containsOnlyKeys("line 5: weight");

        List<BulkCsv.Row> rows = BulkCsv.parse(utf8(HEADER, ROW, "", ",,,,,,,,,", ROW.replace("R-1", "R-4")), null);
        assertThat(rows).extracting(BulkCsv.Row::line).containsExactly(2, 5);
    }

    @Test
    @DisplayName("a row with several faults reports all of them, with every other bad row")
    void allFaultsOfARow() {
        byte[] body = utf8(HEADER + ",to_country",
                ROW + ",US",
                "R-2,Ada,417 Montgomery St,,CA,94104,1 Dock Rd,Oakland,94607,0.01,USA",
                "R-3,Ada,417 Montgomery St,Reno,NV,,1 Dock Rd,Oakland,94607,lots,US");
        Problem problem = refused(body, null);
        assertThat(problem.status()).as("a value that is not a number is malformed: 400").isEqualTo(400);
        assertThat(params(problem)).containsOnlyKeys("line 3: to_city", "line 3: to_country", "line 3: weight",
                "line 4: to_zip", "line 4: weight");
        assertThat(params(problem).get("line 3: weight")).isEqualTo("must be at least 0.1");
        assertThat(problem.detail()).startsWith("line 3: to_city must not be blank; line 3: to_country");
    }

    @Test
    @DisplayName("an empty upload or a header alone is a 400 or 422 naming the body, not a 500")
    void empty() {
        Problem empty = refused(new byte[0], null);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(params(empty)).containsOnlyKeys("body");
        assertThat(refused(withBom(new byte[0]), null).status()).isEqualTo(400);
        Problem headerOnly = refused(utf8(HEADER, ""), null);
        assertThat(headerOnly.status()).isEqualTo(422);
        assertThat(params(headerOnly)).containsOnlyKeys("body");
    }

    @Test
    @DisplayName("an unbalanced quote is a 400 naming the line where the quoted value opens")
    void unbalancedQuote() {
        Problem problem = refused(utf8(HEADER, ROW, "", ROW.replace("Ada Lovelace", "\"Ada Lovelace"), ROW), null);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(params(problem)).containsOnlyKeys("line 4");
        assertThat(params(problem).get("line 4")).contains("double quote");
    }

    @Test
    @DisplayName("values beyond the header's columns, or a NUL in a name, are refused naming line and column")
    void extraValuesAndNul() {
        Problem extra = refused(utf8(HEADER, ROW + ",surplus"), null);
        assertThat(extra.status()).isEqualTo(400);
        assertThat(params(extra)).containsOnlyKeys("line 2: column 11");
        Problem nul = refused(utf8(HEADER, ROW.replace("Ada Lovelace", "Ada\u0000")), null);
        assertThat(nul.status()).isEqualTo(422);
        assertThat(params(nul)).containsOnlyKeys("line 2: to_name");
    }

    @Test
    @DisplayName("an insurance column insures the row's label when the job buys; without buying, or with three decimals, the row is refused at that column")
    void insuranceColumn() {
        BulkCsv.Row row = BulkCsv.parse(utf8(HEADER + ",insurance", ROW + ",25.50"), null, true).get(0);
        assertThat(row.shipment().insurance()).isEqualByComparingTo("25.50");
        assertThat(BulkCsv.parse(utf8(HEADER + ",insurance", ROW + ","), null, true).get(0).shipment().insurance()).isNull();

        Problem notBuying = catchThrowableOfType(ProblemException.class,
                () -> BulkCsv.parse(utf8(HEADER + ",insurance", ROW + ",25.50"), null, false)).problem();
        assertThat(params(notBuying)).containsOnlyKeys("line 2: insurance");
        assertThat(notBuying.status()).isEqualTo(422);
        Problem cents = catchThrowableOfType(ProblemException.class,
                () -> BulkCsv.parse(utf8(HEADER + ",insurance", ROW + ",25.505"), null, true)).problem();
        assertThat(params(cents)).containsEntry("line 2: insurance", "must have at most 2 decimal places");
    }
}
