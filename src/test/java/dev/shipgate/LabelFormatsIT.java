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
}
