package dev.shipgate;

import static dev.shipgate.Fixtures.bulk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bulk shipment jobs")
class BulkJobsIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    @AfterAll
    static void close() {
        simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
    }

    static JsonObject counts(String jobId) {
        return api.get("/jobs/" + jobId).bodyAsJsonObject().getJsonObject("job").getJsonObject("counts");
    }

    @Test
    @DisplayName("a JSON bulk job is accepted at once, then creates and buys every label exactly once")
    void jsonJobCompletes() throws Exception {
        HttpResponse<Buffer> accepted = api.post("/shipments/bulk-create", bulk(20, "cheapest"));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String id = accepted.bodyAsJsonObject().getString("id");
        assertThat(accepted.getHeader("Location")).isEqualTo("/jobs/" + id);
        JsonObject job = Await.job(api, id, Duration.ofSeconds(60));
        JsonObject progress = job.getJsonObject("job");
        assertThat(progress.getString("state")).isEqualTo("completed");
        assertThat(progress.getJsonObject("counts").getLong("succeeded")).isEqualTo(20);
        assertThat(progress.getInteger("percent")).isEqualTo(100);
        JsonArray items = job.getJsonArray("items");
        assertThat(items).hasSize(20);
        for (Object o : items) {
            JsonObject item = (JsonObject) o;
            assertThat(item.getString("tracking_code")).isNotBlank();
            String easypostId = api.get("/shipments/" + item.getString("shipment_id")).bodyAsJsonObject().getString("easypost_id");
            assertThat(simulator.purchases(easypostId)).isEqualTo(1);
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE source_key LIKE 'bulk:" + id + ":%'")).isEqualTo(20);
    }

    @Test
    @DisplayName("POST /jobs/{id}/retry tries failed items again with the shipments they have: a limit raised, the labels bought, nothing created twice")
    void retryFailedItems() throws Exception {
        HttpResponse<Buffer> made = api.post("/tokens", new JsonObject().put("name", "bulk-retry-" + System.nanoTime())
                .put("scopes", new JsonArray(java.util.List.of("read", "ship", "buy"))).put("max_label_cost", "1.00"), null);
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        String tokenId = made.bodyAsJsonObject().getString("id");
        try (Api limited = new Api(TestApp.shared().config().httpPort(), made.bodyAsJsonObject().getString("token"))) {
            int shipmentsBefore = simulator.shipmentCount();
            String id = limited.post("/shipments/bulk-create", bulk(3, "cheapest")).bodyAsJsonObject().getString("id");
            JsonObject first = Await.job(api, id, Duration.ofSeconds(60)).getJsonObject("job");
            assertThat(first.getJsonObject("counts").getLong("failed")).as(first.encode()).isEqualTo(3);
            assertThat(simulator.shipmentCount() - shipmentsBefore).as("created, not bought").isEqualTo(3);

            HttpResponse<Buffer> other = api.post("/tokens", new JsonObject().put("name", "bulk-other-" + System.nanoTime())
                    .put("scopes", new JsonArray(java.util.List.of("read", "ship", "buy"))), null);
            try (Api another = new Api(TestApp.shared().config().httpPort(), other.bodyAsJsonObject().getString("token"))) {
                HttpResponse<Buffer> refused = another.post("/jobs/" + id + "/retry", new JsonObject(), null);
                assertThat(refused.statusCode()).as("another token would spend this job's token's budget (a trial "
                        + "bought two labels that way): " + refused.bodyAsString()).isEqualTo(403);
            }

            // The job's token loses buy: an admin's retry buys nothing, and says why.
            HttpResponse<Buffer> narrowed = api.send(io.vertx.core.http.HttpMethod.PATCH, "/tokens/" + tokenId,
                    new JsonObject().put("scopes", new JsonArray(java.util.List.of("read", "ship"))).toBuffer());
            assertThat(narrowed.statusCode()).as(narrowed.bodyAsString()).isEqualTo(200);
            int purchasesBefore = simulator.totalPurchases();
            assertThat(api.post("/jobs/" + id + "/retry", new JsonObject(), null).statusCode()).isEqualTo(200);
            JsonObject noBuy = Await.job(api, id, Duration.ofSeconds(60));
            assertThat(noBuy.getJsonObject("job").getJsonObject("counts").getLong("failed")).as(noBuy.encode()).isEqualTo(3);
            assertThat(noBuy.getJsonArray("items").getJsonObject(0).getJsonObject("error").getString("missing_scope")).isEqualTo("buy");
            assertThat(simulator.totalPurchases()).as("a token without buy bought nothing").isEqualTo(purchasesBefore);

            HttpResponse<Buffer> raised = api.send(io.vertx.core.http.HttpMethod.PATCH, "/tokens/" + tokenId,
                    new JsonObject().put("max_label_cost", "100.00")
                            .put("scopes", new JsonArray(java.util.List.of("read", "ship", "buy"))).toBuffer());
            assertThat(raised.statusCode()).as(raised.bodyAsString()).isEqualTo(200);
            HttpResponse<Buffer> retried = limited.post("/jobs/" + id + "/retry", new JsonObject(), null);
            assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
            assertThat(retried.bodyAsJsonObject().getString("state")).isEqualTo("running");

            JsonObject job = Await.job(api, id, Duration.ofSeconds(60));
            assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).as(job.encode()).isEqualTo(3);
            assertThat(simulator.shipmentCount() - shipmentsBefore).as("the retry reused the shipments").isEqualTo(3);
            for (Object o : job.getJsonArray("items")) {
                String easypostId = api.get("/shipments/" + ((JsonObject) o).getString("shipment_id")).bodyAsJsonObject()
                        .getString("easypost_id");
                assertThat(simulator.purchases(easypostId)).isEqualTo(1);
            }
            assertThat(TestDatabase.count("SELECT retries FROM bulk_jobs WHERE id = '" + id + "'"))
                    .as("counted, so that each completion has a job.completed event of its own").isEqualTo(2);

            HttpResponse<Buffer> nothing = limited.post("/jobs/" + id + "/retry", new JsonObject(), null);
            assertThat(nothing.statusCode()).as(nothing.bodyAsString()).isEqualTo(409);
            assertThat(nothing.bodyAsJsonObject().getString("type")).as("was the generic conflict")
                    .endsWith("/nothing-to-retry");
        }
    }

    @Test
    @DisplayName("a retry refused says why in its problem type: job-running (with Retry-After) for a running job, job-cancelled for a cancelled one")
    void retryConflictsHaveTheirOwnTypes() throws Exception {
        simulator.knobs(new EasyPostConfig.Simulator(200, 0, 0, 0));
        try {
            String id = api.post("/shipments/bulk-create", bulk(50, null)).bodyAsJsonObject().getString("id");
            HttpResponse<Buffer> running = api.post("/jobs/" + id + "/retry", new JsonObject(), null);
            assertThat(running.statusCode()).as(running.bodyAsString()).isEqualTo(409);
            JsonObject problem = running.bodyAsJsonObject();
            assertThat(problem.getString("type")).as("was the generic conflict").endsWith("/job-running");
            assertThat(problem.getString("job_state")).isEqualTo("running");
            assertThat(problem.getInteger("total")).isEqualTo(50);
            assertThat(running.getHeader("Retry-After")).isEqualTo("10");
            assertThat(api.post("/jobs/" + id + "/cancel", new JsonObject()).statusCode()).isEqualTo(200);
            HttpResponse<Buffer> cancelled = api.post("/jobs/" + id + "/retry", new JsonObject(), null);
            assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(409);
            assertThat(cancelled.bodyAsJsonObject().getString("type")).as("was the generic conflict").endsWith("/job-cancelled");
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
        }
    }

    @Test
    @DisplayName("the event stream reports progress up to 100%, ends with done, and is no longer in flight")
    void eventStream() throws Exception {
        simulator.knobs(new EasyPostConfig.Simulator(50, 0, 0, 0));
        try {
            String id = api.post("/shipments/bulk-create", bulk(30, null)).bodyAsJsonObject().getString("id");
            HttpResponse<Buffer> stream = api.client().get("/jobs/" + id + "/events").bearerTokenAuthentication(TestApp.TOKEN)
                    .timeout(60_000).send().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(stream.getHeader("content-type")).isEqualTo("text/event-stream");
            String text = stream.bodyAsString();
            Matcher percents = Pattern.compile("\"percent\":(\\d+)").matcher(text);
            List<Integer> seen = new ArrayList<>();
            while (percents.find()) {
                seen.add(Integer.parseInt(percents.group(1)));
            }
            assertThat(seen).isSorted();
            assertThat(seen.size()).as("several progress events").isGreaterThan(2);
            assertThat(seen.get(seen.size() - 1)).isEqualTo(100);
            assertThat(text).contains("event: done");
            Await.until("the ended stream to leave the requests in flight", java.time.Duration.ofSeconds(5),
                    () -> TestApp.shared().requestsInFlight() == 0);
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
        }
    }

    @Test
    @DisplayName("a CSV upload with a buy strategy runs like a JSON one")
    void csvUpload() throws Exception {
        String csv = String.join("\n",
                "reference,to_name,to_street1,to_city,to_state,to_zip,from_name,from_street1,from_city,from_state,from_zip,length,width,height,weight",
                "CSV-1,Ada Lovelace,417 Montgomery St,San Francisco,CA,94104,Warehouse,1 Dock Rd,Oakland,CA,94607,10,8,4,15.4",
                "CSV-2,\"Hopper, Grace\",1 Navy Way,Arlington,VA,22202,Warehouse,1 Dock Rd,Oakland,CA,94607,6,6,6,8");
        HttpResponse<Buffer> accepted = api.client().post("/shipments/bulk-create?buy=cheapest&carriers=USPS")
                .bearerTokenAuthentication(TestApp.TOKEN).putHeader("content-type", "text/csv")
                .sendBuffer(Buffer.buffer(csv)).toCompletionStage().toCompletableFuture().join();
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject job = Await.job(api, accepted.bodyAsJsonObject().getString("id"), Duration.ofSeconds(60));
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).isEqualTo(2);
        assertThat(job.getJsonArray("items").getJsonObject(1).getString("reference")).isEqualTo("CSV-2");
        assertThat(job.getJsonArray("items").getJsonObject(1).getString("carrier")).isEqualTo("USPS");
    }

    @Test
    @DisplayName("an upload with a bad row is refused whole, naming the row and field, and nothing is stored")
    void invalidUploadsStoreNothing() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        JsonObject body = bulk(3, "cheapest");
        body.getJsonArray("shipments").getJsonObject(1).getJsonObject("to_address").remove("zip");
        Fixtures.assertField(api.post("/shipments/bulk-create", body), 422, "shipments[1].to_address.zip");
        Fixtures.assertField(api.post("/shipments/bulk-create", new JsonObject().put("shipments", new JsonArray())), 422, "shipments");
        Fixtures.assertField(api.post("/shipments/bulk-create", bulk(2, "priciest")), 400, "buy.strategy");
        var csv = api.client().post("/shipments/bulk-create").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv").sendBuffer(Buffer.buffer("to_street1,weight\nx,1\n"))
                .toCompletionStage().toCompletableFuture().join();
        assertThat(csv.statusCode()).isEqualTo(422);
        var badNumber = api.client().post("/shipments/bulk-create").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv")
                .sendBuffer(Buffer.buffer("to_street1,to_city,to_zip,from_street1,from_city,from_zip,weight\na,b,1,c,d,2,heavy\n"))
                .toCompletionStage().toCompletableFuture().join();
        Fixtures.assertField(badNumber, 400, "line 2: weight");
        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
    }

    @Test
    @DisplayName("more than 10,000 shipments are refused")
    void tooMany() {
        JsonArray shipments = new JsonArray();
        JsonObject one = Fixtures.newShipment("X");
        for (int i = 0; i < 10_001; i++) {
            shipments.add(one);
        }
        Fixtures.assertField(api.post("/shipments/bulk-create", new JsonObject().put("shipments", shipments)), 422, "shipments");
    }

    @Test
    @DisplayName("cancelling stops the items not yet started; a finished job cannot be cancelled")
    void cancel() throws Exception {
        simulator.knobs(new EasyPostConfig.Simulator(200, 0, 0, 0));
        try {
            String id = api.post("/shipments/bulk-create", bulk(200, null)).bodyAsJsonObject().getString("id");
            Await.until("the job's first item to succeed", Duration.ofSeconds(30),
                    () -> counts(id).getLong("succeeded") > 0);
            var cancelled = api.post("/jobs/" + id + "/cancel", new JsonObject());
            assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
            assertThat(cancelled.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
            JsonObject job = Await.job(api, id, Duration.ofSeconds(30));
            JsonObject counts = Await.value("the items under way at the cancel to finish", Duration.ofSeconds(30),
                    () -> counts(id), c -> c.getLong("running") == 0);
            assertThat(counts.getLong("cancelled")).isPositive();
            assertThat(counts.getLong("pending")).isZero();
            assertThat(job.getJsonObject("job").getString("state")).isEqualTo("cancelled");
            assertThat(api.post("/jobs/" + id + "/cancel", new JsonObject()).statusCode()).isEqualTo(409);
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
        }
        assertThat(api.get("/jobs/00000000-0000-4000-8000-000000000000").statusCode()).isEqualTo(404);
        assertThat(api.get("/jobs/nope").statusCode()).isEqualTo(400);
    }

    static HttpResponse<Buffer> csvUpload(String query, int rows) {
        StringBuilder csv = new StringBuilder("reference,to_name,to_street1,to_city,to_state,to_zip,from_street1,from_city,from_zip,weight");
        for (int i = 1; i <= rows; i++) {
            csv.append("\nSVC-").append(i).append(",Ada Lovelace,417 Montgomery St,San Francisco,CA,94104,1 Dock Rd,Oakland,94607,15.4");
        }
        return api.client().post("/shipments/bulk-create" + query).bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv").sendBuffer(Buffer.buffer(csv.toString()))
                .toCompletionStage().toCompletableFuture().join();
    }

    @Test
    @DisplayName("services=NoSuchService on 30 rows is a 422 naming services and the valid ones, before any job or EasyPost shipment")
    void unknownServiceRefusedAtUpload() {
        long jobs = TestDatabase.count("SELECT count(*) FROM bulk_jobs");
        int easypostShipments = simulator.shipmentCount();
        HttpResponse<Buffer> refused = csvUpload("?buy=cheapest&services=NoSuchService", 30);
        Fixtures.assertField(refused, 422, "services");
        JsonObject problem = refused.bodyAsJsonObject();
        assertThat(problem.getString("type")).endsWith("/unknown-service");
        assertThat(problem.getJsonArray("unknown_services").getList()).containsExactly("NoSuchService");
        assertThat(problem.getJsonArray("valid_services").getList()).contains("GroundAdvantage", "Priority", "2ndDayAir", "FEDEX_GROUND");

        HttpResponse<Buffer> notUps = csvUpload("?buy=cheapest&carriers=UPS&services=GroundAdvantage", 2);
        Fixtures.assertField(notUps, 422, "services");
        assertThat(notUps.bodyAsJsonObject().getJsonArray("valid_services").getList()).contains("2ndDayAir").doesNotContain("GroundAdvantage");
        assertThat(notUps.bodyAsJsonObject().getString("detail")).contains("UPS does not sell: GroundAdvantage");

        JsonObject json = bulk(3, "cheapest");
        json.getJsonObject("buy").put("services", new JsonArray().add("Priority").add("Teleport"));
        Fixtures.assertField(api.post("/shipments/bulk-create", json), 422, "buy.services");

        assertThat(TestDatabase.count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);
        assertThat(simulator.shipmentCount()).as("no shipment created at EasyPost").isEqualTo(easypostShipments);
    }

    @Test
    @DisplayName("a service the carriers sell, in any case, is accepted and bought")
    void knownServiceAccepted() throws Exception {
        HttpResponse<Buffer> accepted = csvUpload("?buy=cheapest&services=priority", 2);
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        JsonObject job = Await.job(api, accepted.bodyAsJsonObject().getString("id"), Duration.ofSeconds(60));
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).isEqualTo(2);
        assertThat(job.getJsonArray("items").getJsonObject(0).getString("service")).isEqualTo("Priority");
    }

    @Test
    @DisplayName("GET /jobs lists jobs newest first with keyset paging and a state filter; unknown parameters are a 400")
    void listJobs() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.post("/shipments/bulk-create", bulk(1, null)).bodyAsJsonObject().getString("id"));
        }
        for (String id : ids) {
            Await.job(api, id, Duration.ofSeconds(60));
        }
        JsonObject first = api.get("/jobs?limit=2").bodyAsJsonObject();
        assertThat(first.getJsonArray("jobs")).hasSize(2);
        assertThat(first.getBoolean("has_more")).isTrue();
        assertThat(first.getJsonArray("jobs").getJsonObject(0).getString("id")).isEqualTo(ids.get(2));
        assertThat(first.getJsonArray("jobs").getJsonObject(1).getString("id")).isEqualTo(ids.get(1));
        JsonObject newest = first.getJsonArray("jobs").getJsonObject(0);
        assertThat(newest.getString("state")).isEqualTo("completed");
        assertThat(newest.getInteger("total")).isEqualTo(1);
        assertThat(newest.getJsonObject("counts").getLong("succeeded")).isEqualTo(1);
        assertThat(newest.getString("created_at")).endsWith("Z");
        JsonObject second = api.get("/jobs?limit=2&cursor=" + first.getString("next_cursor")).bodyAsJsonObject();
        assertThat(second.getJsonArray("jobs").getJsonObject(0).getString("id")).isEqualTo(ids.get(0));

        JsonArray running = api.get("/jobs?state=running&limit=200").bodyAsJsonObject().getJsonArray("jobs");
        assertThat(running.stream().map(j -> ((JsonObject) j).getString("state")).distinct()).doesNotContain("completed", "cancelled");
        JsonArray completed = api.get("/jobs?state=completed&limit=200").bodyAsJsonObject().getJsonArray("jobs");
        assertThat(completed.stream().map(j -> ((JsonObject) j).getString("id"))).contains(ids.get(0), ids.get(1), ids.get(2));

        Fixtures.assertField(api.get("/jobs?state=done"), 400, "state");
        Fixtures.assertField(api.get("/jobs?before_id=" + ids.get(0)), 400, "before_id");
        Fixtures.assertField(api.get("/jobs?cursor=nonsense"), 400, "cursor");
        Fixtures.assertField(api.get("/jobs?limit=0"), 400, "limit");
    }
}
