package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.http.CsvDownloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CSV exports: the shipment list, a bulk job's results, an analytics range")
class ExportsIT extends SharedAppTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 10, 12, 0, 0, 0, ZoneOffset.UTC);
    static final String[] STATUSES = {"pre_transit", "in_transit", "delivered", "failure"};
    static final String[] CARRIERS = {"USPS", "UPS", "FedEx"};
    static Fixtures.Shipment hostile;
    static int lastPages;

    @BeforeAll
    static void seed() {
        TestDatabase.truncate();
        for (int i = 0; i < 260; i++) {
            String carrier = CARRIERS[i % 3];
            Fixtures.shipment(STATUSES[i % 4], carrier, i % 2 == 0 ? "Ground" : "Priority", i % 5 == 0 ? null : (5 + i % 7) + ".25",
                    i % 5 == 0 ? null : "TRK" + i, "REF-" + i, "Recipient " + i + (i % 10 == 0 ? ", Jr. \"Junior\"" : ""),
                    T0.minusHours(i * 7L));
        }
        // Same instant: the id breaks the tie in both the list and the export.
        for (int i = 0; i < 3; i++) {
            Fixtures.shipment("pre_transit", "UPS", "Ground", "9.00", "TIE" + i, "TIE-" + i, "Tie " + i, T0.minusDays(3));
        }
        hostile = Fixtures.shipment("pre_transit", "USPS", "Priority", "4.00", "EVIL1", "+SUM(A1:A9)",
                "=HYPERLINK(\"http://evil.example\",\"click\")", T0.plusDays(1));
        Fixtures.shipment("pre_transit", "USPS", "Priority", "4.00", "EVIL2", "-2+3", "@SUM(1)", T0.plusDays(1).plusMinutes(1));
        Fixtures.shipment("pre_transit", "USPS", "Priority", "4.00", "EVIL3", "\tTab", "\rReturn", T0.plusDays(1).plusMinutes(2));
        Fixtures.shipment("pre_transit", "USPS", "Priority", "4.00", "EVIL4", "Line\nbreak, comma", "Plain 'quote'",
                T0.plusDays(1).plusMinutes(3));
    }

    static HttpResponse<Buffer> get(String uri, String token) {
        return api.client().get(uri).bearerTokenAuthentication(token).send().toCompletionStage().toCompletableFuture().join();
    }

    static List<CSVRecord> csv(HttpResponse<Buffer> response) throws IOException {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.getHeader("content-disposition")).startsWith("attachment; filename=\"").endsWith(".csv\"");
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.bodyAsString())).getRecords();
    }

    /** Every shipment of the list with these filters, paging through GET /shipments 50 at a time. */
    static List<JsonObject> listAll(String filters) {
        List<JsonObject> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<Buffer> page = api.get("/shipments?limit=50" + filters
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
            JsonObject body = page.bodyAsJsonObject();
            body.getJsonArray("shipments").forEach(s -> all.add((JsonObject) s));
            cursor = body.getString("next_cursor");
            pages++;
        } while (cursor != null);
        lastPages = pages;
        return all;
    }

    static String text(JsonObject shipment, String field) {
        return CsvDownloads.cell(shipment.getValue(field) == null ? null : String.valueOf(shipment.getValue(field)));
    }

    @Test
    @DisplayName("the shipment export has exactly the rows, order and fields of paging through the list with the same filters")
    void exportEqualsList() throws Exception {
        for (String filters : List.of("", "&status=pre_transit", "&carrier=ups", "&created_from=2026-02-20&created_to=2026-03-05",
                "&status=delivered&carrier=FedEx", "&q=recipient%201")) {
            List<JsonObject> listed = listAll(filters);
            List<CSVRecord> exported = csv(api.get("/shipments/export.csv?" + filters.replaceFirst("^&", "")));
            assertThat(exported).as(filters).hasSize(listed.size());
            for (int i = 0; i < listed.size(); i++) {
                JsonObject s = listed.get(i);
                CSVRecord row = exported.get(i);
                assertThat(row.get("id")).as(filters + " row " + i).isEqualTo(s.getString("id"));
                for (String field : List.of("easypost_id", "status", "carrier", "service", "currency", "tracking_code",
                        "reference", "recipient_name", "refund_status")) {
                    assertThat(row.get(field)).as(filters + " row " + i + " " + field).isEqualTo(text(s, field));
                }
                assertThat(row.get("rate").isEmpty() ? null : new BigDecimal(row.get("rate")))
                        .isEqualTo(s.getString("rate") == null ? null : new BigDecimal(s.getString("rate")));
                assertThat(Instant.parse(row.get("created_at"))).isEqualTo(OffsetDateTime.parse(s.getString("created_at")).toInstant());
                assertThat(row.get("created_at")).endsWith("Z");
                assertThat(row.get("to_city")).isEqualTo("Boston");
                assertThat(row.get("from_street1")).isEqualTo("1 Dock Rd");
            }
        }
        assertThat(listAll("")).hasSize(267);
        assertThat(lastPages).as("the list takes several pages").isEqualTo(6);
    }

    @Test
    @DisplayName("export times are whole seconds in UTC with Z, as the README shows (2026-03-10T12:00:00Z), whatever PostgreSQL stored")
    void wholeSecondTimes() throws Exception {
        TestDatabase.execute("UPDATE shipments SET updated_at = '2026-11-30 15:31:10.501287+00', "
                + "label_bought_at = '2026-11-30 15:31:09.999999+00' WHERE id = '" + hostile.id() + "'");
        List<CSVRecord> rows = csv(api.get("/shipments/export.csv"));
        CSVRecord evil = rows.stream().filter(r -> r.get("id").equals(hostile.id().toString())).findFirst().orElseThrow();
        assertThat(evil.get("updated_at")).isEqualTo("2026-11-30T15:31:10Z");
        assertThat(evil.get("label_bought_at")).isEqualTo("2026-11-30T15:31:09Z");
        for (CSVRecord row : rows) {
            assertThat(row.get("currency")).as("a currency only with an amount").isEqualTo(row.get("rate").isEmpty() ? "" : "USD");
            for (String column : List.of("created_at", "updated_at")) {
                assertThat(row.get(column)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            }
        }
    }

    @Test
    @DisplayName("a list cursor continues the export after that shipment, as the next page of the list would")
    void cursorContinues() throws Exception {
        JsonObject first = api.get("/shipments?limit=50&status=in_transit").bodyAsJsonObject();
        String cursor = URLEncoder.encode(first.getString("next_cursor"), StandardCharsets.UTF_8);
        List<CSVRecord> rest = csv(api.get("/shipments/export.csv?status=in_transit&cursor=" + cursor));
        List<JsonObject> all = listAll("&status=in_transit");
        assertThat(rest).extracting(r -> r.get("id")).containsExactlyElementsOf(
                all.subList(50, all.size()).stream().map(s -> s.getString("id")).toList());
    }

    @Test
    @DisplayName("text a spreadsheet would run as a formula gets a leading apostrophe; quotes, commas and line breaks survive quoting")
    void formulaInjectionDefused() throws Exception {
        Map<String, CSVRecord> byTracking = new HashMap<>();
        csv(api.get("/shipments/export.csv?created_from=2026-03-11")).forEach(r -> byTracking.put(r.get("tracking_code"), r));
        assertThat(byTracking.get("EVIL1").get("recipient_name")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(byTracking.get("EVIL1").get("reference")).isEqualTo("'+SUM(A1:A9)");
        assertThat(byTracking.get("EVIL1").get("to_name")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(byTracking.get("EVIL2").get("reference")).isEqualTo("'-2+3");
        assertThat(byTracking.get("EVIL2").get("recipient_name")).isEqualTo("'@SUM(1)");
        assertThat(byTracking.get("EVIL3").get("reference")).isEqualTo("'\tTab");
        assertThat(byTracking.get("EVIL3").get("recipient_name")).isEqualTo("'\rReturn");
        assertThat(byTracking.get("EVIL4").get("reference")).isEqualTo("Line\nbreak, comma");
        assertThat(byTracking.get("EVIL4").get("recipient_name")).isEqualTo("Plain 'quote'");
        assertThat(byTracking.get("EVIL4").get("rate")).as("a number is never text").isEqualTo("4.00");
    }

    @Test
    @DisplayName("bad filters are 400 problems naming the parameter, before anything is streamed")
    void badFilters() {
        Fixtures.assertField(api.get("/shipments/export.csv?status=lost"), 400, "status");
        Fixtures.assertField(api.get("/shipments/export.csv?created_from=2026-13-01"), 400, "created_from");
        Fixtures.assertField(api.get("/shipments/export.csv?created_from=2026-03-05&created_to=2026-03-01"), 400, "created_to");
        Fixtures.assertField(api.get("/shipments/export.csv?q=ab"), 400, "q");
        Fixtures.assertField(api.get("/shipments/export.csv?limit=10"), 400, "limit");
        Fixtures.assertField(api.get("/shipments/export.csv?cursor=not-a-cursor"), 400, "cursor");
        Fixtures.assertField(api.get("/jobs/not-a-uuid/export.csv"), 400, "id");
        Fixtures.assertField(api.get("/jobs/" + UUID.randomUUID() + "/export.csv?state=lost"), 400, "state");
        assertThat(api.get("/jobs/" + UUID.randomUUID() + "/export.csv").statusCode()).isEqualTo(404);
        Fixtures.assertField(api.get("/analytics/export.csv?to=2026-03-01"), 400, "from");
        Fixtures.assertField(api.get("/analytics/export.csv?from=2026-03-01&to=2026-02-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics/export.csv?from=2023-01-01&to=2026-03-01"), 400, "to");
        Fixtures.assertField(api.get("/analytics/export.csv?from=2026-03-01&to=2026-03-02&group=carrier"), 400, "group");
    }

    @Test
    @DisplayName("exports need the read scope: a ship-only token gets 403 naming it, no token 401")
    void scope() {
        JsonObject created = api.post("/tokens", new JsonObject().put("name", "export-ship-only")
                .put("scopes", new JsonArray().add("ship")), null).bodyAsJsonObject();
        String shipOnly = created.getString("token");
        for (String uri : List.of("/shipments/export.csv", "/jobs/" + UUID.randomUUID() + "/export.csv",
                "/analytics/export.csv?from=2026-03-01&to=2026-03-02")) {
            HttpResponse<Buffer> refused = get(uri, shipOnly);
            assertThat(refused.statusCode()).as(uri).isEqualTo(403);
            assertThat(refused.bodyAsJsonObject().getString("missing_scope")).isEqualTo("read");
            try (Api anonymous = new Api(TestApp.shared().config().httpPort(), null)) {
                assertThat(anonymous.get(uri).statusCode()).isEqualTo(401);
            }
        }
        JsonObject reader = api.post("/tokens", new JsonObject().put("name", "export-reader")
                .put("scopes", new JsonArray().add("read")), null).bodyAsJsonObject();
        assertThat(get("/shipments/export.csv?status=failure", reader.getString("token")).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("HEAD answers the export's headers without a body")
    void head() {
        HttpResponse<Buffer> head = api.client().head("/shipments/export.csv").bearerTokenAuthentication(TestApp.TOKEN).send()
                .toCompletionStage().toCompletableFuture().join();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.getHeader("content-disposition")).startsWith("attachment");
        assertThat(head.body() == null ? 0 : head.body().length()).isZero();
    }

    @Test
    @DisplayName("the analytics export has the range's rollup rows, and they add up to what GET /analytics says per day")
    void analytics() throws Exception {
        List<CSVRecord> rows = csv(api.get("/analytics/export.csv?from=2026-02-20&to=2026-03-12"));
        assertThat(rows).isNotEmpty();
        JsonObject range = api.get("/analytics?from=2026-02-20&to=2026-03-12").bodyAsJsonObject();
        Map<String, long[]> perDay = new LinkedHashMap<>();
        Map<String, BigDecimal> spend = new HashMap<>();
        for (CSVRecord r : rows) {
            perDay.computeIfAbsent(r.get("day"), d -> new long[2])[0] += Long.parseLong(r.get("shipments"));
            perDay.get(r.get("day"))[1] += Long.parseLong(r.get("labels"));
            spend.merge(r.get("day"), new BigDecimal(r.get("spend")), BigDecimal::add);
        }
        assertThat(new ArrayList<>(perDay.keySet())).as("days in order").isSorted();
        for (Object d : range.getJsonArray("days")) {
            JsonObject day = (JsonObject) d;
            long[] counted = perDay.getOrDefault(day.getString("date"), new long[2]);
            assertThat(counted[0]).as(day.getString("date")).isEqualTo(day.getLong("shipments"));
            assertThat(counted[1]).as(day.getString("date")).isEqualTo(day.getLong("labels"));
            assertThat(spend.getOrDefault(day.getString("date"), BigDecimal.ZERO).compareTo(new BigDecimal(day.getString("spend"))))
                    .as(day.getString("date")).isZero();
        }
        assertThat(LocalDate.parse(rows.get(0).get("day"))).isAfterOrEqualTo(LocalDate.of(2026, 2, 20));
    }

    @Test
    @DisplayName("group=week and group=month (refused before) export the API's buckets: each bucket's sums equal GET /analytics?group= totals")
    void analyticsGrouped() throws Exception {
        for (String group : List.of("day", "week", "month")) {
            String range = "from=2026-02-20&to=2026-03-12&group=" + group;
            HttpResponse<Buffer> file = api.get("/analytics/export.csv?" + range);
            assertThat(file.statusCode()).as(group + ": " + file.bodyAsString()).isEqualTo(200);
            List<CSVRecord> rows = csv(file);
            JsonObject grouped = api.get("/analytics?" + range).bodyAsJsonObject();
            assertThat(grouped.getString("group")).isEqualTo(group);
            Map<String, long[]> perBucket = new LinkedHashMap<>();
            Map<String, BigDecimal> spend = new HashMap<>();
            for (CSVRecord r : rows) {
                perBucket.computeIfAbsent(r.get("day"), d -> new long[2])[0] += Long.parseLong(r.get("shipments"));
                perBucket.get(r.get("day"))[1] += Long.parseLong(r.get("labels"));
                spend.merge(r.get("day"), new BigDecimal(r.get("spend")), BigDecimal::add);
            }
            List<String> buckets = grouped.getJsonArray("days").stream().map(JsonObject.class::cast).map(d -> d.getString("date")).toList();
            assertThat(buckets).as(group + ": every row is in one of the API's buckets").containsAll(perBucket.keySet());
            long total = 0;
            for (Object d : grouped.getJsonArray("days")) {
                JsonObject bucket = (JsonObject) d;
                long[] counted = perBucket.getOrDefault(bucket.getString("date"), new long[2]);
                assertThat(counted[0]).as(group + " " + bucket.getString("date")).isEqualTo(bucket.getLong("shipments"));
                assertThat(counted[1]).as(group + " " + bucket.getString("date")).isEqualTo(bucket.getLong("labels"));
                assertThat(spend.getOrDefault(bucket.getString("date"), BigDecimal.ZERO)
                        .compareTo(new BigDecimal(bucket.getString("spend")))).as(group + " " + bucket.getString("date")).isZero();
                total += counted[0];
            }
            assertThat(total).as(group + ": the range has shipments to sum").isPositive()
                    .isEqualTo(grouped.getJsonObject("totals").getLong("shipments"));
        }
        // 2026-02-20 is a Friday: the first week bucket is cut to the range and named by its first day in it
        List<String> weeks = csv(api.get("/analytics/export.csv?from=2026-02-20&to=2026-03-12&group=week")).stream()
                .map(r -> r.get("day")).distinct().toList();
        assertThat(weeks).isSubsetOf("2026-02-20", "2026-02-23", "2026-03-02", "2026-03-09");
        List<String> months = csv(api.get("/analytics/export.csv?from=2026-02-20&to=2026-03-12&group=month")).stream()
                .map(r -> r.get("day")).distinct().toList();
        assertThat(months).isSubsetOf("2026-02-20", "2026-03-01");
        assertThat(api.get("/analytics/export.csv?days=7&group=week").statusCode()).as("days= as on GET /analytics").isEqualTo(200);
    }

    @Test
    @DisplayName("a 1,000-row bulk job's export has every row, numbered by the uploaded file's lines, with each outcome")
    void bulkJobResults() throws Exception {
        StringBuilder file = new StringBuilder(CsvUploadsIT.HEADER).append("\r\n");
        List<Integer> lines = new ArrayList<>();
        int line = 1;
        for (int i = 0; i < 1000; i++) {
            if (i % 100 == 50) {
                file.append("\r\n"); // a blank line: skipped, but it moves the line numbers of the rows after it
                line++;
            }
            file.append(CsvUploadsIT.row("BULK-" + i, "Ada Lovelace", "San Francisco")).append("\r\n");
            lines.add(++line);
        }
        HttpResponse<Buffer> accepted = CsvUploadsIT.upload(file.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String id = accepted.bodyAsJsonObject().getString("id");
        JsonObject job = Await.job(api, id, Duration.ofSeconds(240));
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).isEqualTo(1000);
        // One item failed as a rejected row is stored, to see the error's cells (the simulator accepts these addresses).
        TestDatabase.execute("UPDATE bulk_job_items SET state = 'failed', shipment_id = NULL, error = '{\"title\": \"Rejected by EasyPost\", "
                + "\"detail\": \"=cmd|calc\", \"invalid_params\": [{\"name\": \"to_address.zip\", \"reason\": \"is invalid\"}]}'::jsonb "
                + "WHERE job_id = '" + id + "' AND position = 7");

        // A row that failed with its shipment created but no rate bought ("no rate matches"): no amount, so no currency.
        TestDatabase.execute("UPDATE shipments SET rate = NULL, carrier = NULL, service = NULL, tracking_code = NULL, label_url = NULL "
                + "WHERE id = (SELECT shipment_id FROM bulk_job_items WHERE job_id = '" + id + "' AND position = 8)");
        TestDatabase.execute("UPDATE bulk_job_items SET state = 'failed', error = '{\"title\": \"Invalid request\", "
                + "\"detail\": \"no rate matches the carriers and services given\"}'::jsonb WHERE job_id = '" + id + "' AND position = 8");

        List<CSVRecord> rows = csv(api.get("/jobs/" + id + "/export.csv"));
        assertThat(rows).hasSize(1000);
        assertThat(rows.get(8).get("shipment_id")).isNotEmpty();
        assertThat(rows.get(8).get("rate")).isEmpty();
        assertThat(rows.get(8).get("currency")).as("no currency without an amount").isEmpty();
        assertThat(rows).allSatisfy(r -> assertThat(r.get("currency")).isEqualTo(r.get("rate").isEmpty() ? "" : "USD"));
        assertThat(rows.get(9).get("finished_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Map<Integer, JsonObject> items = new HashMap<>();
        job.getJsonArray("items").forEach(o -> items.put(((JsonObject) o).getInteger("position"), (JsonObject) o));
        for (int i = 0; i < 1000; i++) {
            CSVRecord r = rows.get(i);
            assertThat(r.get("index")).isEqualTo(String.valueOf(i));
            assertThat(r.get("line")).as("row " + i).isEqualTo(String.valueOf(lines.get(i)));
            assertThat(r.get("reference")).isEqualTo("BULK-" + i);
            if (i != 7 && i != 8) {
                JsonObject item = items.get(i);
                assertThat(r.get("state")).isEqualTo("succeeded");
                assertThat(r.get("shipment_id")).isEqualTo(item.getString("shipment_id"));
                assertThat(r.get("tracking_code")).isEqualTo(item.getString("tracking_code") == null ? "" : item.getString("tracking_code"));
                assertThat(r.get("error")).isEmpty();
            }
        }
        assertThat(lines.get(999)).isEqualTo(1011);
        CSVRecord failed = rows.get(7);
        assertThat(failed.get("state")).isEqualTo("failed");
        assertThat(failed.get("error")).isEqualTo("Rejected by EasyPost");
        assertThat(failed.get("error_detail")).isEqualTo("'=cmd|calc");
        assertThat(failed.get("error_fields")).isEqualTo("to_address.zip: is invalid");
        assertThat(failed.get("shipment_id")).isEmpty();
        assertThat(csv(api.get("/jobs/" + id + "/export.csv?state=failed"))).extracting(r -> r.get("index")).containsExactly("7", "8");
    }
}
