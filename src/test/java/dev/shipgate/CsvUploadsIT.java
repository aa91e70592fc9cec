package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CSV uploads as operators' tools save them")
class CsvUploadsIT extends SharedAppTest {

    static final String HEADER = "reference,to_name,to_street1,to_city,to_state,to_zip,from_street1,from_city,from_zip,weight";

    static String row(String reference, String name, String city) {
        return reference + "," + name + ",417 Montgomery St," + city + ",CA,94104,1 Dock Rd,Oakland,94607,15.4";
    }

    static HttpResponse<Buffer> upload(byte[] body, String contentType) {
        return api.client().post("/shipments/bulk-create").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", contentType).sendBuffer(Buffer.buffer(body))
                .toCompletionStage().toCompletableFuture().join();
    }

    static byte[] utf8WithBom(String text) {
        return Fixtures.withBom(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<JsonObject> items(HttpResponse<Buffer> accepted) throws InterruptedException {
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject job = Await.job(api, accepted.bodyAsJsonObject().getString("id"), java.time.Duration.ofSeconds(60));
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).as(job.encode())
                .isEqualTo(job.getJsonArray("items").size());
        return job.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }

    static JsonObject shipment(JsonObject item) {
        return api.get("/shipments/" + item.getString("shipment_id")).bodyAsJsonObject();
    }

    @Test
    @DisplayName("an Excel \"CSV UTF-8\" file (byte-order mark, CRLF, trailing ,,, lines) keeps every reference, and items name their file lines")
    void excelUtf8() throws Exception {
        String file = String.join("\r\n", HEADER, row("XL-1", "Ada Lovelace", "San Francisco"), "",
                row("XL-2", "Grace Hopper", "San Francisco"), ",,,,,,,,,", "");
        List<JsonObject> items = items(upload(utf8WithBom(file), "text/csv"));
        assertThat(items).extracting(i -> i.getString("reference")).containsExactly("XL-1", "XL-2");
        assertThat(items).extracting(i -> i.getInteger("line")).containsExactly(2, 4);
        assertThat(shipment(items.get(1)).getString("reference")).isEqualTo("XL-2");

        String street1First = "to_street1,to_city,to_zip,from_street1,from_city,from_zip,weight,reference\r\n"
                + "417 Montgomery St,San Francisco,94104,1 Dock Rd,Oakland,94607,8,XL-3";
        assertThat(items(upload(utf8WithBom(street1First), "text/csv")).get(0).getString("reference")).isEqualTo("XL-3");
    }

    @Test
    @DisplayName("headers in another case or with spaces are read; an unknown column is a 422 naming it and the accepted names")
    void headerNames() throws Exception {
        String header = "Reference, To_Name ,to_street1,To_City,to_state,to_zip,from_street1,from_city,from_zip, weight ";
        List<JsonObject> items = items(upload((header + "\n" + row("HDR-1", "Ada Lovelace", "San Francisco")).getBytes(StandardCharsets.UTF_8),
                "text/csv"));
        JsonObject stored = shipment(items.get(0));
        assertThat(stored.getString("reference")).isEqualTo("HDR-1");
        assertThat(stored.getJsonObject("to_address").getString("name")).isEqualTo("Ada Lovelace");

        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        HttpResponse<Buffer> unknown = upload((HEADER + ",to_phone_number\n" + row("HDR-2", "Ada", "Reno") + ",555-0100")
                .getBytes(StandardCharsets.UTF_8), "text/csv");
        Fixtures.assertField(unknown, 422, "line 1: to_phone_number");
        assertThat(unknown.bodyAsJsonObject().getJsonArray("accepted_columns")).contains("to_phone", "reference", "weight");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
    }

    @Test
    @DisplayName("a Windows-1252 file without a charset is a 400 naming line and column; with charset=windows-1252 it is read as written")
    void windows1252() throws Exception {
        byte[] file = (HEADER + "\r\n" + row("CP-1", "Jürgen Müller", "San José")).getBytes(Charset.forName("windows-1252"));
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        HttpResponse<Buffer> refused = upload(file, "text/csv");
        Fixtures.assertField(refused, 400, "line 2: to_name");
        Fixtures.assertField(refused, 400, "line 2: to_city");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);

        JsonObject stored = shipment(items(upload(file, "text/csv; charset=windows-1252")).get(0));
        assertThat(stored.getJsonObject("to_address").getString("name")).isEqualTo("Jürgen Müller");
        assertThat(stored.getJsonObject("to_address").getString("city")).isEqualTo("San José");
    }

    @Test
    @DisplayName("a semicolon-separated file is read like a comma-separated one")
    void semicolons() throws Exception {
        String file = HEADER.replace(',', ';') + "\n" + row("SC-1", "\"Lovelace; Ada\"", "San Francisco").replace(',', ';');
        JsonObject stored = shipment(items(upload(file.getBytes(StandardCharsets.UTF_8), "text/csv")).get(0));
        assertThat(stored.getJsonObject("to_address").getString("name")).isEqualTo("Lovelace; Ada");
    }

    @Test
    @DisplayName("an empty upload, an unbalanced quote and a row with several faults are 400/422 problems naming lines, never 500s")
    void badFiles() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        Fixtures.assertField(upload(new byte[0], "text/csv"), 400, "body");
        Fixtures.assertField(upload((HEADER + "\n").getBytes(StandardCharsets.UTF_8), "text/csv"), 422, "body");
        String unbalanced = String.join("\n", HEADER, row("Q-1", "Ada", "Reno"), row("Q-2", "\"Ada", "Reno"), row("Q-3", "Ada", "Reno"));
        Fixtures.assertField(upload(unbalanced.getBytes(StandardCharsets.UTF_8), "text/csv"), 400, "line 3");
        String faults = String.join("\n", HEADER, row("F-1", "Ada", "Reno"),
                "F-2,Ada,417 Montgomery St,,CA,,1 Dock Rd,Oakland,94607,0.001");
        HttpResponse<Buffer> several = upload(faults.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(several.statusCode()).isEqualTo(422);
        assertThat(several.bodyAsJsonObject().getJsonArray("invalid_params").stream().map(JsonObject.class::cast)
                .map(p -> p.getString("name")).toList()).containsExactly("line 3: to_city", "line 3: to_zip", "line 3: weight");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
    }

    @Test
    @DisplayName("a JSON bulk job's items carry no file line")
    void jsonItemsHaveNoLine() throws Exception {
        HttpResponse<Buffer> accepted = api.post("/shipments/bulk-create", new JsonObject()
                .put("shipments", new JsonArray().add(Fixtures.newShipment("JSON-LINE"))));
        JsonObject item = items(accepted).get(0);
        assertThat(item.containsKey("line")).isTrue();
        assertThat(item.getValue("line")).isNull();
        assertThat(item.getInteger("position")).isZero();
    }
}
