package dev.shipgate;

import static dev.shipgate.Fixtures.assertField;
import static dev.shipgate.Fixtures.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Labels in PNG, PDF, ZPL and EPL2: bought in a format, converted, served by the simulator")
class LabelFormatsIT extends SharedAppTest {

    static EasyPostSimulator simulator;
    static Vertx vertx;
    static WebClient files;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
        vertx = Vertx.vertx();
        files = WebClient.create(vertx, new WebClientOptions().setTrustAll(true).setVerifyHost(false));
    }

    @AfterAll
    static void stop() {
        files.close();
        vertx.close();
    }

    /** The file at an absolute URL (the simulator's HTTPS file links). */
    static HttpResponse<Buffer> fetch(String url) {
        try {
            return files.getAbs(url).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url + " failed", e);
        }
    }

    static JsonObject bought(String reference, String format) {
        JsonObject shipment = created(api, reference);
        JsonObject buy = new JsonObject().put("strategy", "cheapest");
        if (format != null) {
            buy.put("label_format", format);
        }
        var response = api.post("/shipments/" + shipment.getString("id") + "/buy", buy);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    @Test
    @DisplayName("a PNG label converts to a one-page 4x6 in PDF (288 x 432 pt) carrying the tracking code, and a second request does not call EasyPost")
    void convertToPdf() throws Exception {
        JsonObject shipment = bought("FMT-PDF", null);
        String id = shipment.getString("id");
        HttpResponse<Buffer> png = fetch(shipment.getString("label_url"));
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.body().getBytes(0, 4)).containsExactly(0x89, 'P', 'N', 'G');

        int before = simulator.requests();
        var converted = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "PDF"));
        assertThat(converted.statusCode()).as(converted.bodyAsString()).isEqualTo(200);
        JsonObject file = converted.bodyAsJsonObject();
        assertThat(file.getString("format")).isEqualTo("pdf");
        assertThat(file.getString("media_type")).isEqualTo("application/pdf");
        assertThat(simulator.requests()).isEqualTo(before + 1);

        byte[] pdf = fetch(file.getString("label_url")).body().getBytes();
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            PDRectangle box = doc.getPage(0).getMediaBox();
            assertThat(box.getWidth()).isEqualTo(288f);
            assertThat(box.getHeight()).isEqualTo(432f);
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertThat(text).contains(shipment.getString("tracking_code")).contains("Ada Lovelace");
        }

        var again = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "pdf"));
        assertThat(again.bodyAsJsonObject().getString("label_url")).isEqualTo(file.getString("label_url"));
        assertThat(simulator.requests()).isEqualTo(before + 1);
    }

    @Test
    @DisplayName("a label converts to ZPL (starting ^XA, with the tracking code) and EPL2")
    void convertToZplAndEpl2() {
        JsonObject shipment = bought("FMT-ZPL", null);
        String id = shipment.getString("id");
        var zpl = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "zpl"));
        assertThat(zpl.statusCode()).as(zpl.bodyAsString()).isEqualTo(200);
        String text = fetch(zpl.bodyAsJsonObject().getString("label_url")).bodyAsString();
        assertThat(text).startsWith("^XA").contains(shipment.getString("tracking_code")).endsWith("^XZ\n");
        var epl = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "epl2"));
        assertThat(fetch(epl.bodyAsJsonObject().getString("label_url")).bodyAsString())
                .contains("\nN\n").contains(shipment.getString("tracking_code")).endsWith("P1\n");
    }

    @Test
    @DisplayName("a label bought in ZPL directly has a ZPL label_url, which answers a ZPL request without converting")
    void boughtInZpl() {
        JsonObject shipment = bought("FMT-BUY-ZPL", "ZPL");
        assertThat(fetch(shipment.getString("label_url")).bodyAsString()).startsWith("^XA");
        int before = simulator.requests();
        var zpl = api.post("/shipments/" + shipment.getString("id") + "/label", new JsonObject().put("format", "zpl"));
        assertThat(zpl.bodyAsJsonObject().getString("label_url")).isEqualTo(shipment.getString("label_url"));
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("a bad format is a 422 naming the field, at purchase and at conversion, and EasyPost is not called")
    void badFormat() {
        JsonObject shipment = created(api, "FMT-BAD");
        String id = shipment.getString("id");
        int before = simulator.requests();
        assertField(api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("label_format", "gif")), 422, "label_format");
        assertField(api.post("/shipments/" + id + "/label", new JsonObject().put("format", "tiff")), 422, "format");
        assertField(api.post("/shipments/" + id + "/label", new JsonObject()), 422, "format");
        assertThat(simulator.requests()).isEqualTo(before);
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isZero();
    }

    @Test
    @DisplayName("converting the label of a shipment that has none is a 409 naming the shipment, without calling EasyPost")
    void unbought() {
        JsonObject shipment = created(api, "FMT-UNBOUGHT");
        String id = shipment.getString("id");
        int before = simulator.requests();
        var refused = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "pdf"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.bodyAsJsonObject().getString("shipment_id")).isEqualTo(id);
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains(id);
        assertThat(simulator.requests()).isEqualTo(before);
    }

    /** Posts {@code csv} to the bulk upload with {@code query}. */
    static HttpResponse<Buffer> csvUpload(String query, String csv) {
        return api.client().post("/shipments/bulk-create" + query).bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv").sendBuffer(Buffer.buffer(csv))
                .toCompletionStage().toCompletableFuture().join();
    }

    static final String CSV = "reference,to_name,to_street1,to_city,to_state,to_zip,from_street1,from_city,from_state,from_zip,weight\n"
            + "FMT-CSV-1,Ada Lovelace,417 Montgomery St,San Francisco,CA,94104,1 Dock Rd,Oakland,CA,94607,8\n";

    /** The stored shipments of a finished bulk job. */
    static java.util.List<JsonObject> jobShipments(HttpResponse<Buffer> accepted) {
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject job = Await.job(api, accepted.bodyAsJsonObject().getString("id"), java.time.Duration.ofSeconds(60));
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        for (Object item : job.getJsonArray("items")) {
            JsonObject i = (JsonObject) item;
            assertThat(i.getString("state")).as(i.encode()).isEqualTo("succeeded");
            out.add(api.get("/shipments/" + i.getString("shipment_id")).bodyAsJsonObject());
        }
        return out;
    }

    @Test
    @DisplayName("a bulk job buys in the format asked: JSON buy.label_format zpl and CSV ?label_format=epl2 give ZPL and EPL2 labels")
    void bulkFormats() {
        JsonObject json = Fixtures.bulk(2, "cheapest");
        json.getJsonObject("buy").put("label_format", "zpl");
        for (JsonObject s : jobShipments(api.post("/shipments/bulk-create", json))) {
            assertThat(s.getString("label_url")).endsWith(".zpl");
            assertThat(fetch(s.getString("label_url")).bodyAsString()).startsWith("^XA");
        }
        for (JsonObject s : jobShipments(csvUpload("?buy=cheapest&label_format=epl2", CSV))) {
            assertThat(s.getString("label_url")).endsWith(".epl2");
        }
        JsonObject bad = Fixtures.bulk(1, "cheapest");
        bad.getJsonObject("buy").put("label_format", "gif");
        assertField(api.post("/shipments/bulk-create", bad), 422, "buy.label_format");
    }

    @Test
    @DisplayName("an unknown query parameter on a spending call is a 400 naming it, and no job is made: bulk CSV ?bogus=1, JSON bulk, buy")
    void unknownQueryParameters() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        HttpResponse<Buffer> csv = csvUpload("?buy=cheapest&bogus=1", CSV);
        assertField(csv, 400, "bogus");
        assertThat(csv.bodyAsJsonObject().getString("detail")).contains("label_format");
        assertField(csvUpload("?label_format=zpl", CSV), 400, "label_format");
        assertField(api.post("/shipments/bulk-create?label_format=zpl", Fixtures.bulk(1, "cheapest")), 400, "label_format");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);

        JsonObject shipment = created(api, "FMT-QUERY");
        assertField(api.post("/shipments/" + shipment.getString("id") + "/buy?label_format=zpl",
                new JsonObject().put("strategy", "cheapest")), 400, "label_format");
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isZero();
    }

    @Test
    @DisplayName("converting a label bought as PDF is a 422 naming format before EasyPost is asked; asking for its own format answers it")
    void convertFromNonPng() {
        JsonObject shipment = bought("FMT-FROM-PDF", "pdf");
        String id = shipment.getString("id");
        int before = simulator.requests();
        HttpResponse<Buffer> refused = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "zpl"));
        assertField(refused, 422, "format");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("pdf", "png");
        assertThat(simulator.requests()).as("EasyPost not asked").isEqualTo(before);
        var same = api.post("/shipments/" + id + "/label", new JsonObject().put("format", "pdf"));
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(same.bodyAsJsonObject().getString("label_url")).isEqualTo(shipment.getString("label_url"));
    }
}
