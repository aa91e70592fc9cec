package dev.shipgate;

import static dev.shipgate.Fixtures.assertField;
import static dev.shipgate.Fixtures.bulk;
import static dev.shipgate.Fixtures.created;
import static dev.shipgate.LabelFormatsIT.bought;
import static dev.shipgate.LabelFormatsIT.fetch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batch printing: one document for many labels, made by EasyPost's Batch API")
class LabelBatchesIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
        LabelFormatsIT.vertx = Vertx.vertx();
        LabelFormatsIT.files = WebClient.create(LabelFormatsIT.vertx,
                new WebClientOptions().setTrustAll(true).setVerifyHost(false));
    }

    @AfterAll
    static void stop() {
        LabelFormatsIT.stop();
    }

    static JsonObject ready(String batchId) {
        return Await.value("label batch " + batchId + " to be ready", Duration.ofSeconds(60),
                () -> api.get("/label-batches/" + batchId).bodyAsJsonObject(),
                b -> !"pending".equals(b.getString("state")) && !"generating".equals(b.getString("state")));
    }

    @Test
    @DisplayName("a 50-shipment bulk job's labels come as one PDF of 50 pages, each 4x6 in (288 x 432 pt)")
    void bulkJobDocument() throws Exception {
        String job = api.post("/shipments/bulk-create", bulk(50, "cheapest")).bodyAsJsonObject().getString("id");
        // asked while the job runs: refused with the job's progress, never a batch of what is bought so far
        var early = api.post("/label-batches", new JsonObject().put("bulk_job_id", job).put("format", "pdf"));
        String stateAfter = api.get("/jobs/" + job).bodyAsJsonObject().getJsonObject("job").getString("state");
        if ("running".equals(stateAfter)) {
            assertThat(early.statusCode()).as(early.bodyAsString()).isEqualTo(409);
            assertThat(early.bodyAsJsonObject().getString("type")).endsWith("/job-running");
            assertThat(early.bodyAsJsonObject().getString("job_state")).isEqualTo("running");
            assertThat(early.bodyAsJsonObject().getInteger("total")).isEqualTo(50);
            assertThat(early.getHeader("Retry-After")).isNotNull();
        }
        Await.job(api, job, Duration.ofSeconds(120));

        var accepted = api.post("/label-batches", new JsonObject().put("bulk_job_id", job).put("format", "pdf"));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject batch = accepted.bodyAsJsonObject();
        assertThat(batch.getInteger("total")).isEqualTo(50);
        assertThat(batch.getJsonArray("shipment_ids")).hasSize(50);
        assertThat(batch.getString("state")).isEqualTo("pending");

        JsonObject done = ready(batch.getString("id"));
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("ready");
        assertThat(done.getString("easypost_id")).startsWith("batch_");
        byte[] pdf = fetch(done.getString("label_url")).body().getBytes();
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isEqualTo(50);
            for (PDPage page : doc.getPages()) {
                assertThat(page.getMediaBox().getWidth()).isEqualTo(288f);
                assertThat(page.getMediaBox().getHeight()).isEqualTo(432f);
            }
        }
    }

    @Test
    @DisplayName("selected shipments print together in their order, in ZPL: one ^XA...^XZ label per shipment")
    void selectedInZpl() {
        JsonObject a = bought("BATCH-A", null);
        JsonObject b = bought("BATCH-B", null);
        var accepted = api.post("/label-batches", new JsonObject().put("format", "zpl")
                .put("shipment_ids", new JsonArray().add(b.getString("id")).add(a.getString("id"))));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject done = ready(accepted.bodyAsJsonObject().getString("id"));
        assertThat(done.getString("state")).isEqualTo("ready");
        String zpl = fetch(done.getString("label_url")).bodyAsString();
        assertThat(zpl.split("\\^XA", -1)).hasSize(3);
        assertThat(zpl.indexOf(b.getString("tracking_code"))).isLessThan(zpl.indexOf(a.getString("tracking_code")));
    }

    @Test
    @DisplayName("a batch lists its shipment ids in print order, and GET /label-batches pages the batches newest first")
    void listedWithShipments() {
        JsonObject a = bought("BATCH-LIST-A", null);
        JsonObject b = bought("BATCH-LIST-B", null);
        JsonObject c = bought("BATCH-LIST-C", null);
        var first = api.post("/label-batches", new JsonObject().put("shipment_ids", new JsonArray()
                .add(b.getString("id")).add(a.getString("id")).add(c.getString("id"))));
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
        assertThat(first.bodyAsJsonObject().getJsonArray("shipment_ids"))
                .containsExactly(b.getString("id"), a.getString("id"), c.getString("id"));
        String firstId = first.bodyAsJsonObject().getString("id");
        assertThat(ready(firstId).getJsonArray("shipment_ids")).containsExactly(b.getString("id"), a.getString("id"), c.getString("id"));
        String secondId = api.post("/label-batches", new JsonObject().put("shipment_ids", new JsonArray().add(a.getString("id"))))
                .bodyAsJsonObject().getString("id");

        JsonObject page = api.get("/label-batches?limit=1").bodyAsJsonObject();
        assertThat(page.getJsonArray("label_batches")).hasSize(1);
        assertThat(page.getJsonArray("label_batches").getJsonObject(0).getString("id")).isEqualTo(secondId);
        assertThat(page.getBoolean("has_more")).isTrue();
        JsonObject next = api.get("/label-batches?limit=1&cursor=" + page.getString("next_cursor")).bodyAsJsonObject();
        assertThat(next.getJsonArray("label_batches").getJsonObject(0).getString("id")).isEqualTo(firstId);
        assertThat(next.getJsonArray("label_batches").getJsonObject(0).getInteger("total")).isEqualTo(3);
        Fixtures.assertField(api.get("/label-batches?limit=0"), 400, "limit");
        Fixtures.assertField(api.get("/label-batches?state=ready"), 400, "state");
    }

    @Test
    @DisplayName("a batch with an unbought shipment is a 409 naming it, a PNG batch or no shipments a 422 naming the field; nothing is stored or sent")
    void refused() {
        JsonObject bought = bought("BATCH-OK", null);
        JsonObject unbought = created(api, "BATCH-UNBOUGHT");
        int before = simulator.requests();
        var noLabel = api.post("/label-batches", new JsonObject()
                .put("shipment_ids", new JsonArray().add(bought.getString("id")).add(unbought.getString("id"))));
        assertThat(noLabel.statusCode()).isEqualTo(409);
        assertThat(noLabel.bodyAsJsonObject().getJsonArray("shipment_ids")).containsExactly(unbought.getString("id"));
        assertField(api.post("/label-batches", new JsonObject().put("format", "png")
                .put("shipment_ids", new JsonArray().add(bought.getString("id")))), 422, "format");
        assertField(api.post("/label-batches", new JsonObject().put("shipment_ids", new JsonArray())), 422, "shipment_ids");
        assertField(api.post("/label-batches", new JsonObject().put("shipment_ids",
                new JsonArray().add(java.util.UUID.randomUUID().toString()))), 422, "shipment_ids");
        assertThat(simulator.requests()).isEqualTo(before);
        assertThat(TestDatabase.count("SELECT count(*) FROM label_batches WHERE total = 2")).isZero();
    }

    static JsonObject batchEvent(String eventId, String easypostBatchId, String state, String labelUrl) {
        return new JsonObject().put("id", eventId).put("object", "Event").put("description", "batch.updated").put("mode", "test")
                .put("result", new JsonObject().put("id", easypostBatchId).put("object", "Batch").put("state", state)
                        .put("label_url", labelUrl));
    }

    @Test
    @DisplayName("a signed batch.updated event with the document finishes the batch at once, long before polling would; a repeat or a stray event changes nothing, an unsigned one is 401")
    void batchUpdatedEventFinishesTheBatch() throws Exception {
        simulator.batchGenerationMs(60_000);
        try {
            JsonObject a = bought("BATCH-HOOK-A", null);
            var accepted = api.post("/label-batches", new JsonObject().put("format", "pdf")
                    .put("shipment_ids", new JsonArray().add(a.getString("id"))));
            assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
            String id = accepted.bodyAsJsonObject().getString("id");
            JsonObject generating = Await.value("the batch to be generating", Duration.ofSeconds(30),
                    () -> api.get("/label-batches/" + id).bodyAsJsonObject(), b -> "generating".equals(b.getString("state")));
            String easypostId = generating.getString("easypost_id");
            assertThat(easypostId).startsWith("batch_");

            String url = "https://files.example.test/batch_label/" + easypostId + ".pdf";
            JsonObject unsigned = batchEvent("evt_batch_unsigned_" + id, easypostId, "label_generated", url);
            assertThat(TrackingUpdatesIT.deliver(unsigned, null).statusCode()).isEqualTo(401);
            assertThat(api.get("/label-batches/" + id).bodyAsJsonObject().getString("state")).isEqualTo("generating");

            JsonObject stillMaking = batchEvent("evt_batch_making_" + id, easypostId, "label_generating", null);
            var making = TrackingUpdatesIT.deliver(stillMaking, TrackingUpdatesIT.sign(stillMaking.toBuffer(), TestApp.WEBHOOK_SECRET));
            assertThat(making.statusCode()).as(making.bodyAsString()).isEqualTo(200);
            assertThat(making.bodyAsJsonObject().getInteger("applied")).isZero();

            JsonObject event = batchEvent("evt_batch_done_" + id, easypostId, "label_generated", url);
            long sent = System.nanoTime();
            var delivered = TrackingUpdatesIT.deliver(event, TrackingUpdatesIT.sign(event.toBuffer(), TestApp.WEBHOOK_SECRET));
            assertThat(delivered.statusCode()).as(delivered.bodyAsString()).isEqualTo(200);
            assertThat(delivered.bodyAsJsonObject().getInteger("applied")).isEqualTo(1);
            JsonObject done = api.get("/label-batches/" + id).bodyAsJsonObject();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(10));
            assertThat(done.getString("state")).isEqualTo("ready");
            assertThat(done.getString("label_url")).isEqualTo(url);
            assertThat(done.getString("finished_at")).isNotNull();

            var again = TrackingUpdatesIT.deliver(event, TrackingUpdatesIT.sign(event.toBuffer(), TestApp.WEBHOOK_SECRET));
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.bodyAsJsonObject().getBoolean("duplicate")).isTrue();
            assertThat(again.bodyAsJsonObject().getInteger("applied")).isZero();
            JsonObject other = batchEvent("evt_batch_other_" + id, easypostId, "label_generated", url + "?late");
            var late = TrackingUpdatesIT.deliver(other, TrackingUpdatesIT.sign(other.toBuffer(), TestApp.WEBHOOK_SECRET));
            assertThat(late.bodyAsJsonObject().getInteger("applied")).isZero();
            assertThat(api.get("/label-batches/" + id).bodyAsJsonObject().getString("label_url")).isEqualTo(url);

            JsonObject stray = batchEvent("evt_batch_stray_" + id, "batch_not_ours", "label_generated", url);
            var ignored = TrackingUpdatesIT.deliver(stray, TrackingUpdatesIT.sign(stray.toBuffer(), TestApp.WEBHOOK_SECRET));
            assertThat(ignored.statusCode()).isEqualTo(200);
            assertThat(ignored.bodyAsJsonObject().getInteger("applied")).isZero();
        } finally {
            simulator.batchGenerationMs(0);
        }
    }
}
