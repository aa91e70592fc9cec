package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.webhooks.Signature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outbound webhooks end to end: a service of its own (private targets allowed, a 100 ms backoff base, a
 * 3 s retry window, a 1 s read timeout) on a database of its own, delivering to a real HTTP receiver.
 */
@DisplayName("Outbound webhooks")
class WebhooksIT {

    private static final String DATABASE = "webhooks_it";
    private static ShipgateApp app;
    private static Api api;

    @BeforeAll
    static void start() {
        var own = TestDatabase.isolated(DATABASE);
        app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(own),
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "WEBHOOK_RETRY_BASE_MS", "100",
                "WEBHOOK_RETRY_WINDOW_SECONDS", "3",
                "WEBHOOK_TIMEOUT_MS", "1000",
                "WEBHOOK_CONNECT_TIMEOUT_MS", "500",
                "WEBHOOK_MAX_CONCURRENCY", "4",
                "WEBHOOK_POLL_MS", "50"));
        api = new Api(app.config().httpPort(), TestApp.TOKEN);
    }

    @AfterAll
    static void stop() {
        api.close();
        app.close();
    }

    @AfterEach
    void deleteEndpoints() {
        for (Object e : api.get("/webhook-endpoints").bodyAsJsonObject().getJsonArray("webhook_endpoints")) {
            api.send(HttpMethod.DELETE, "/webhook-endpoints/" + ((JsonObject) e).getString("id"), null);
        }
    }

    static JsonObject register(Api api, String url, String... events) {
        HttpResponse<Buffer> created = api.post("/webhook-endpoints", new JsonObject().put("url", url)
                .put("events", new JsonArray(List.of(events))).put("description", "test receiver"));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return created.bodyAsJsonObject();
    }

    static JsonArray deliveries(Api api, String endpoint) {
        HttpResponse<Buffer> log = api.get("/webhook-endpoints/" + endpoint + "/deliveries");
        assertThat(log.statusCode()).as(log.bodyAsString()).isEqualTo(200);
        return log.bodyAsJsonObject().getJsonArray("deliveries");
    }

    static boolean verified(String secret, WebhookReceiver.Received r) {
        return Signature.verify(secret, r.signature(), r.body().getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() / 1000, 300);
    }

    @Test
    @DisplayName("a receiver that fails twice then accepts gets one accepted, signed delivery per event; the log shows the retries; a replay sends it again")
    void retriesThenReplay() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> nth <= 2 ? 500 : 204)) {
            JsonObject endpoint = register(api, receiver.url("/hooks"), "shipment.created");
            String secret = endpoint.getString("secret");
            assertThat(secret).startsWith("whsec_");
            assertThat(api.get("/webhook-endpoints/" + endpoint.getString("id")).bodyAsJsonObject().containsKey("secret"))
                    .as("the secret is shown once").isFalse();

            String shipment = Fixtures.created(api, "HOOK-1").getString("id");
            String shipment2 = Fixtures.created(api, "HOOK-2").getString("id");
            receiver.await(20, "two accepted events", got -> got.stream().filter(r -> r.status() == 204).count() == 2);
            Thread.sleep(500);

            assertThat(receiver.received).hasSize(6);
            assertThat(receiver.received).allSatisfy(r -> {
                assertThat(verified(secret, r)).as("signature of " + r).isTrue();
                assertThat(r.json().getString("id")).isEqualTo(r.eventId());
                assertThat(r.json().getString("type")).isEqualTo("shipment.created").isEqualTo(r.eventType());
            });
            assertThat(receiver.received.stream().filter(r -> r.status() == 204).map(r -> r.json().getJsonObject("data")
                    .getString("shipment_id"))).containsExactlyInAnyOrder(shipment, shipment2);

            JsonArray log = deliveries(api, endpoint.getString("id"));
            assertThat(log).hasSize(2);
            JsonObject delivery = log.stream().map(JsonObject.class::cast).filter(d -> d.getString("event_id")
                    .equals(receiver.received.get(0).eventId())).findFirst().orElseThrow();
            assertThat(delivery.getString("state")).isEqualTo("delivered");
            assertThat(delivery.getInteger("attempt_count")).isEqualTo(3);
            assertThat(delivery.getString("next_attempt_at")).isNull();
            // an attempt whose 500 came after the read timeout (a loaded machine) is logged as timed out instead
            assertThat(delivery.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("status_code") != null
                    ? "HTTP " + ((JsonObject) a).getInteger("status_code") : ((JsonObject) a).getString("error")))
                    .hasSize(3).last().isEqualTo("HTTP 204");
            assertThat(delivery.getJsonArray("attempts").stream().limit(2).map(a -> ((JsonObject) a).getInteger("status_code")))
                    .allMatch(code -> code == null || code == 500);
            assertThat(delivery.getJsonArray("attempts")).allSatisfy(a -> {
                // as every other time the API writes: UTC with Z, never PostgreSQL's +00:00
                assertThat(((JsonObject) a).getString("started_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
                assertThat(((JsonObject) a).getInteger("duration_ms")).isNotNull();
            });

            HttpResponse<Buffer> replayed = api.post("/webhook-endpoints/" + endpoint.getString("id") + "/deliveries/"
                    + delivery.getString("id") + "/replay", new JsonObject());
            assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(202);
            receiver.await(10, "the replay", got -> got.stream().filter(r -> r.eventId().equals(delivery.getString("event_id"))).count() == 4);
            Await.until("the replay is logged", Duration.ofSeconds(10), () -> deliveries(api, endpoint.getString("id")).stream()
                    .map(JsonObject.class::cast).anyMatch(d -> d.getString("id").equals(delivery.getString("id"))
                            && d.getInteger("attempt_count") == 4 && d.getString("state").equals("delivered")));
        }
    }

    @Test
    @DisplayName("5 replays of one delivery at once, and 5 more while it is being sent, send it once: one 202 queues it, the others answer already_queued")
    void concurrentReplaysSendOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 204, 600)) {
            JsonObject endpoint = register(api, receiver.url("/hooks"), "shipment.created");
            String shipment = Fixtures.created(api, "HOOK-REPLAY-ONCE").getString("id");
            receiver.await(10, "the event", got -> got.size() == 1);
            Await.until("the delivery is logged delivered", Duration.ofSeconds(10), () -> deliveries(api, endpoint.getString("id"))
                    .getJsonObject(0).getString("state").equals("delivered"));
            JsonObject delivery = deliveries(api, endpoint.getString("id")).getJsonObject(0);
            assertThat(receiver.received.get(0).json().getJsonObject("data").getString("shipment_id")).isEqualTo(shipment);
            String uri = "/webhook-endpoints/" + endpoint.getString("id") + "/deliveries/" + delivery.getString("id") + "/replay";

            List<HttpResponse<Buffer>> answers = new java.util.ArrayList<>(replays(uri, 5));
            receiver.await(10, "the replay", got -> got.size() == 2);
            // the receiver holds its answer 600 ms: these arrive while a dispatcher is sending the replay
            answers.addAll(replays(uri, 5));
            Thread.sleep(1500);

            assertThat(receiver.received).as("the original and one replay").hasSize(2);
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.statusCode()).as(a.bodyAsString()).isEqualTo(202);
                assertThat(a.bodyAsJsonObject().getString("state")).isEqualTo("pending");
                assertThat(a.bodyAsJsonObject().getString("event_id")).isEqualTo(delivery.getString("event_id"));
            });
            assertThat(answers).filteredOn(a -> !a.bodyAsJsonObject().getBoolean("already_queued")).hasSize(1);
            assertThat(answers.subList(5, 10)).allSatisfy(a -> assertThat(a.bodyAsJsonObject().getString("next_attempt_at")).isNotNull());
            Await.until("the replay is logged", Duration.ofSeconds(10), () -> deliveries(api, endpoint.getString("id")).getJsonObject(0)
                    .getInteger("attempt_count") == 2);
            assertThat(deliveries(api, endpoint.getString("id")).getJsonObject(0).getString("state")).isEqualTo("delivered");
        }
    }

    private static List<HttpResponse<Buffer>> replays(String uri, int n) {
        List<java.util.concurrent.CompletableFuture<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN).putHeader("Content-Type", "application/json")
                    .sendBuffer(Buffer.buffer("{}")).toCompletionStage().toCompletableFuture());
        }
        return sent.stream().map(f -> f.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join()).toList();
    }

    @Test
    @DisplayName("label purchases, tracking changes, exceptions and completed bulk jobs each reach a '*' endpoint once")
    void eventTypes() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 200)) {
            JsonObject endpoint = register(api, receiver.url("/all"), "*");
            String secret = endpoint.getString("secret");
            JsonObject created = Fixtures.created(api, "HOOK-TYPES");
            // the creation answer names a currency only beside an amount, as GET /shipments/{id} does
            assertThat(created.getValue("rate")).isNull();
            assertThat(created.getValue("currency")).isNull();
            assertThat(api.get("/shipments/" + created.getString("id")).bodyAsJsonObject().getValue("currency")).isNull();
            HttpResponse<Buffer> bought = api.post("/shipments/" + created.getString("id") + "/buy",
                    new JsonObject().put("strategy", "cheapest"));
            assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
            String code = bought.bodyAsJsonObject().getString("tracking_code");

            JsonObject event = new JsonObject().put("id", "evt_" + UUID.randomUUID()).put("object", "Event")
                    .put("description", "tracker.updated").put("mode", "test")
                    .put("result", new JsonObject().put("object", "Tracker").put("id", "trk_1").put("tracking_code", code)
                            .put("status", "failure").put("tracking_details", new JsonArray().add(new JsonObject()
                                    .put("object", "TrackingDetail").put("status", "failure").put("message", "Undeliverable")
                                    .put("datetime", "2026-11-20T10:00:00Z"))));
            for (int i = 0; i < 2; i++) {
                HttpResponse<Buffer> applied = api.client().post("/webhooks/easypost").putHeader("content-type", "application/json")
                        .putHeader("X-Hmac-Signature", TrackingUpdatesIT.sign(event.toBuffer(), TestApp.WEBHOOK_SECRET))
                        .sendBuffer(event.toBuffer()).toCompletionStage().toCompletableFuture().join();
                assertThat(applied.statusCode()).as(applied.bodyAsString()).isEqualTo(200);
            }
            HttpResponse<Buffer> job = api.post("/shipments/bulk-create", Fixtures.bulk(2, null));
            assertThat(job.statusCode()).as(job.bodyAsString()).isEqualTo(202);
            String jobId = job.bodyAsJsonObject().getString("id");

            receiver.await(30, "every event type", got -> got.stream().map(WebhookReceiver.Received::eventType).distinct().count() == 5);
            Thread.sleep(300);
            assertThat(receiver.received).allSatisfy(r -> assertThat(verified(secret, r)).isTrue());
            assertThat(receiver.of("shipment.created")).hasSize(3);
            JsonObject label = receiver.of("label.purchased").get(0).json().getJsonObject("data");
            assertThat(receiver.of("label.purchased")).hasSize(1);
            assertThat(label.getString("shipment_id")).isEqualTo(created.getString("id"));
            assertThat(label.getString("tracking_code")).isEqualTo(code);
            assertThat(label.getString("rate")).isNotBlank();
            assertThat(receiver.of("tracking.updated")).as("a repeated EasyPost event changes nothing").hasSize(1);
            JsonObject tracking = receiver.of("tracking.updated").get(0).json().getJsonObject("data");
            assertThat(tracking.getString("status")).isEqualTo("failure");
            assertThat(tracking.getString("previous_status")).isNotEqualTo("failure");
            assertThat(receiver.of("shipment.exception")).hasSize(1);
            assertThat(receiver.of("shipment.exception").get(0).json().getJsonObject("data").getString("shipment_id"))
                    .isEqualTo(created.getString("id"));
            JsonObject completed = receiver.of("job.completed").get(0).json().getJsonObject("data");
            assertThat(receiver.of("job.completed")).hasSize(1);
            assertThat(completed.getString("job_id")).isEqualTo(jobId);
            assertThat(completed.getInteger("succeeded")).isEqualTo(2);
            assertThat(completed.getString("created_at")).endsWith("Z").doesNotContain("+00:00");
            assertThat(completed.getString("finished_at")).endsWith("Z").doesNotContain("+00:00");
            // a carrier's whole-minute time keeps its seconds (RFC 3339 requires them), and every time of every
            // event has one form: UTC, seconds, six fractional digits, as the SQL-built job.completed times
            assertThat(tracking.getString("status_at")).isEqualTo("2026-11-20T10:00:00.000000Z");
            assertThat(receiver.received).allSatisfy(r -> {
                assertThat(r.json().getString("created_at")).as(r.eventType()).matches(WIRE_TIME);
                r.json().getJsonObject("data").forEach(member -> {
                    if (member.getKey().endsWith("_at") && member.getValue() != null) {
                        assertThat((String) member.getValue()).as(r.eventType() + " " + member.getKey()).matches(WIRE_TIME);
                    }
                });
            });
        }
    }

    /** The one form of a time in an event: {@code 2026-11-20T10:00:00.000000Z}. */
    private static final String WIRE_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    @Test
    @DisplayName("an endpoint whose deliveries fail for the whole retry window is disabled with the reason, and can be enabled again")
    void autoDisable() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 503)) {
            String id = register(api, receiver.url("/down"), "shipment.created").getString("id");
            HttpResponse<Buffer> ping = api.post("/webhook-endpoints/" + id + "/test", new JsonObject());
            assertThat(ping.statusCode()).as(ping.bodyAsString()).isEqualTo(202);
            JsonObject disabled = Await.value("the endpoint is disabled", Duration.ofSeconds(20),
                    () -> api.get("/webhook-endpoints/" + id).bodyAsJsonObject(), e -> !e.getBoolean("enabled"));
            assertThat(disabled.getString("disabled_reason")).contains("no delivery succeeded since");
            assertThat(disabled.getInteger("consecutive_failures")).isGreaterThanOrEqualTo(3);
            JsonObject delivery = deliveries(api, id).getJsonObject(0);
            assertThat(delivery.getString("state")).isEqualTo("failed");
            assertThat(delivery.getString("event_type")).isEqualTo("ping");
            assertThat(delivery.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("status_code")))
                    .hasSizeGreaterThanOrEqualTo(3).allMatch(s -> s == 503);
            assertThat(receiver.received).hasSize(delivery.getInteger("attempt_count"));

            int before = receiver.received.size();
            Fixtures.created(api, "HOOK-DISABLED");
            assertThat(api.post("/webhook-endpoints/" + id + "/test", new JsonObject()).statusCode()).isEqualTo(409);
            Thread.sleep(500);
            assertThat(receiver.received).as("a disabled endpoint gets nothing").hasSize(before);

            receiver.answer((e, nth) -> 200);
            HttpResponse<Buffer> enabled = api.send(HttpMethod.PATCH, "/webhook-endpoints/" + id,
                    new JsonObject().put("enabled", true).toBuffer());
            assertThat(enabled.statusCode()).as(enabled.bodyAsString()).isEqualTo(200);
            assertThat(enabled.bodyAsJsonObject().getString("disabled_reason")).isNull();
            assertThat(enabled.bodyAsJsonObject().getInteger("consecutive_failures")).isZero();
            assertThat(api.post("/webhook-endpoints/" + id + "/test", new JsonObject()).statusCode()).isEqualTo(202);
            receiver.await(10, "the ping after enabling", got -> got.stream().anyMatch(r -> r.status() == 200));
        }
    }

    @Test
    @DisplayName("events raised while an endpoint is disabled are held and sent when it is enabled again; those older than the retry window are expired, listed and replayable")
    void heldWhileDisabled() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 204)) {
            String id = register(api, receiver.url("/held"), "shipment.created").getString("id");
            HttpResponse<Buffer> disabled = api.send(HttpMethod.PATCH, "/webhook-endpoints/" + id,
                    new JsonObject().put("enabled", false).toBuffer());
            assertThat(disabled.statusCode()).as(disabled.bodyAsString()).isEqualTo(200);

            String old = Fixtures.created(api, "HOOK-HELD-OLD").getString("id");
            Thread.sleep(3_500); // past the 3 s retry window of this service
            String recent = Fixtures.created(api, "HOOK-HELD-NEW").getString("id");
            Thread.sleep(300);
            assertThat(receiver.received).as("a disabled endpoint is sent nothing").isEmpty();
            JsonArray held = deliveries(api, id);
            assertThat(held).hasSize(2).allSatisfy(d -> {
                assertThat(((JsonObject) d).getString("state")).isEqualTo("pending");
                assertThat(((JsonObject) d).getBoolean("held")).isTrue();
            });

            // re-enables at once (an operator and scripts): only the first finds it disabled and releases
            List<HttpResponse<Buffer>> answers = java.util.stream.IntStream.range(0, 6).boxed()
                    .map(n -> api.client().patch("/webhook-endpoints/" + id).bearerTokenAuthentication(TestApp.TOKEN)
                            .putHeader("content-type", "application/json")
                            .sendBuffer(new JsonObject().put("enabled", true).toBuffer()).toCompletionStage().toCompletableFuture())
                    .toList().stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200));
            assertThat(answers.stream().map(r -> r.bodyAsJsonObject().getJsonObject("held_deliveries")).filter(java.util.Objects::nonNull))
                    .containsExactly(new JsonObject().put("released", 1L).put("expired", 1L));
            receiver.await(10, "the held event", got -> got.size() == 1);
            assertThat(receiver.received.get(0).json().getJsonObject("data").getString("shipment_id")).isEqualTo(recent);

            JsonObject expired = deliveries(api, id).stream().map(JsonObject.class::cast)
                    .filter(d -> d.getString("state").equals("expired")).findFirst().orElseThrow();
            assertThat(expired.getInteger("attempt_count")).isZero();
            assertThat(expired.getString("finished_at")).isNotNull();
            HttpResponse<Buffer> replayed = api.post("/webhook-endpoints/" + id + "/deliveries/" + expired.getString("id") + "/replay",
                    new JsonObject());
            assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(202);
            receiver.await(10, "the replayed expired event", got -> got.size() == 2);
            assertThat(receiver.received.get(1).json().getJsonObject("data").getString("shipment_id")).isEqualTo(old);
            Thread.sleep(300);
            assertThat(receiver.received).as("each event once").hasSize(2);
        }
    }

    @Test
    @DisplayName("after a rotation deliveries carry the new and the previous secret's v1 until the overlap ends; a receiver on either verifies")
    void rotationOverlap() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 204)) {
            JsonObject endpoint = register(api, receiver.url("/rotating"), "shipment.created");
            String id = endpoint.getString("id");
            String first = endpoint.getString("secret");

            HttpResponse<Buffer> rotated = api.post("/webhook-endpoints/" + id + "/rotate-secret", new JsonObject());
            assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
            String second = rotated.bodyAsJsonObject().getString("secret");
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            assertThat(rotated.bodyAsString()).as("the previous secret is not shown again").doesNotContain(first);
            assertThat(java.time.OffsetDateTime.parse(rotated.bodyAsJsonObject().getString("previous_secret_expires_at")))
                    .isBetween(java.time.OffsetDateTime.now().plusHours(23), java.time.OffsetDateTime.now().plusHours(25));
            assertThat(api.get("/webhook-endpoints/" + id).bodyAsString()).doesNotContain(first).doesNotContain(second);

            Fixtures.created(api, "HOOK-ROTATE-1");
            receiver.await(10, "a delivery during the overlap", got -> got.size() == 1);
            WebhookReceiver.Received during = receiver.received.get(0);
            assertThat(during.signature().split(",v1=")).hasSize(3);
            assertThat(verified(first, during)).as("a receiver that has not switched yet").isTrue();
            assertThat(verified(second, during)).as("a receiver that switched").isTrue();

            Fixtures.assertField(api.post("/webhook-endpoints/" + id + "/rotate-secret",
                    new JsonObject().put("expire_previous_in_hours", 169)), 422, "expire_previous_in_hours");
            HttpResponse<Buffer> ended = api.post("/webhook-endpoints/" + id + "/rotate-secret",
                    new JsonObject().put("expire_previous_in_hours", 0));
            assertThat(ended.statusCode()).as(ended.bodyAsString()).isEqualTo(200);
            String third = ended.bodyAsJsonObject().getString("secret");
            assertThat(ended.bodyAsJsonObject().getString("previous_secret_expires_at")).isNull();

            Fixtures.created(api, "HOOK-ROTATE-2");
            receiver.await(10, "a delivery after the overlap", got -> got.size() == 2);
            WebhookReceiver.Received after = receiver.received.get(1);
            assertThat(after.signature().split(",v1=")).hasSize(2);
            assertThat(verified(third, after)).isTrue();
            assertThat(verified(second, after)).isFalse();
            assertThat(verified(first, after)).isFalse();
        }
    }

    @Test
    @DisplayName("a receiver that never answers times out its deliveries while GET /shipments answers as usual")
    void hangingReceiver() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 0)) {
            String id = register(api, receiver.url("/hang"), "shipment.created").getString("id");
            for (int i = 0; i < 8; i++) {
                Fixtures.created(api, "HOOK-HANG-" + i);
            }
            receiver.await(10, "the first hanging requests", got -> got.size() >= 4);
            long[] hung = timings(20);
            assertThat(hung[1]).as("slowest GET /shipments in ms while deliveries hang (a hang lasts forever)").isLessThan(2000);
            try (Api other = new Api(TestApp.shared().config().httpPort(), TestApp.TOKEN)) {
                long[] idle = timings(other, 20);
                System.out.println("GET /shipments median/max: " + hung[0] + "/" + hung[1] + " ms while 4 deliveries hung, "
                        + idle[0] + "/" + idle[1] + " ms on a service without webhooks");
                assertThat(hung[0]).as("median while deliveries hang, against a service without them").isLessThan(idle[0] * 3 + 100);
            }
            JsonObject timedOut = Await.value("a delivery attempt times out", Duration.ofSeconds(10),
                    () -> deliveries(api, id).stream().map(JsonObject.class::cast)
                            .flatMap(d -> d.getJsonArray("attempts").stream().map(JsonObject.class::cast))
                            .filter(a -> a.getString("error") != null).findFirst().orElse(null), a -> a != null);
            assertThat(timedOut.getString("error")).contains("timed out");
            assertThat(timedOut.getInteger("duration_ms")).isBetween(950, 4000);
        }
    }

    private static long[] timings(int n) {
        return timings(api, n);
    }

    /** Median and slowest of {@code n} GET /shipments, in milliseconds. */
    private static long[] timings(Api client, int n) {
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<Buffer> list = client.get("/shipments?limit=5");
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertThat(list.statusCode()).isEqualTo(200);
        }
        java.util.Arrays.sort(ms);
        return new long[] {ms[n / 2], ms[n - 1]};
    }

    @Test
    @DisplayName("a repeated Idempotency-Key does not show the secret again but names the endpoint created")
    void idempotentCreation() {
        JsonObject body = new JsonObject().put("url", "http://127.0.0.1:9/x").put("events", new JsonArray().add("job.completed"));
        HttpResponse<Buffer> first = api.post("/webhook-endpoints", body, "hook-key-1");
        assertThat(first.statusCode()).isEqualTo(201);
        HttpResponse<Buffer> again = api.post("/webhook-endpoints", body, "hook-key-1");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.bodyAsString()).doesNotContain(first.bodyAsJsonObject().getString("secret"));
        assertThat(again.bodyAsJsonObject().getString("endpoint_id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    }

    @Test
    @DisplayName("bad events, descriptions and ids are refused naming the field; rotation answers a new secret once")
    void validationAndRotation() {
        Fixtures.assertField(api.post("/webhook-endpoints", new JsonObject().put("url", "http://127.0.0.1:9/x")
                .put("events", new JsonArray().add("shipment.deleted"))), 422, "events");
        Fixtures.assertField(api.post("/webhook-endpoints", new JsonObject().put("url", "http://127.0.0.1:9/x")
                .put("events", new JsonArray())), 422, "events");
        Fixtures.assertField(api.post("/webhook-endpoints", new JsonObject().put("url", "http://127.0.0.1:9/x")
                .put("events", new JsonArray().add("*")).put("description", "x".repeat(501))), 422, "description");
        Fixtures.assertField(api.post("/webhook-endpoints", new JsonObject().put("events", new JsonArray().add("*"))), 422, "url");
        Fixtures.assertField(api.get("/webhook-endpoints/nope"), 400, "id");
        assertThat(api.get("/webhook-endpoints/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        JsonObject endpoint = register(api, "http://127.0.0.1:9/x", "label.purchased");
        HttpResponse<Buffer> rotated = api.post("/webhook-endpoints/" + endpoint.getString("id") + "/rotate-secret", new JsonObject());
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(rotated.bodyAsJsonObject().getString("secret")).startsWith("whsec_").isNotEqualTo(endpoint.getString("secret"));
        HttpResponse<Buffer> patched = api.send(HttpMethod.PATCH, "/webhook-endpoints/" + endpoint.getString("id"),
                new JsonObject().put("events", new JsonArray().add("tracking.updated").add("shipment.exception"))
                        .put("enabled", false).toBuffer());
        assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
        assertThat(patched.bodyAsJsonObject().getJsonArray("events")).containsExactly("tracking.updated", "shipment.exception");
        assertThat(patched.bodyAsJsonObject().getString("disabled_reason")).isEqualTo("disabled by an admin");
    }

    @ParameterizedTest(name = "{0} is refused naming url")
    @ValueSource(strings = {"https://10.0.0.1/hook", "https://127.0.0.1/hook", "https://[::1]/hook",
            "https://169.254.169.254/latest/meta-data", "https://localhost/hook", "https://[::ffff:127.0.0.1]/hook",
            "https://0.0.0.0/hook", "http://example.com/hook", "ftp://example.com/hook", "file:///etc/passwd",
            "https://user:pw@example.com/hook", "not a url"})
    @DisplayName("without WEBHOOK_ALLOW_PRIVATE_TARGETS, private, loopback and link-local targets and other schemes are refused")
    void ssrfRefusals(String url) {
        try (Api shared = new Api(TestApp.shared().config().httpPort(), TestApp.TOKEN)) {
            Fixtures.assertField(shared.post("/webhook-endpoints", new JsonObject().put("url", url)
                    .put("events", new JsonArray().add("*"))), 422, "url");
        }
    }

    @Test
    @DisplayName("an endpoint whose host resolves to a private address by delivery time is refused then, not contacted")
    void refusedAtDeliveryTime() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver((id, nth) -> 200);
             Api shared = new Api(TestApp.shared().config().httpPort(), TestApp.TOKEN)) {
            UUID id = UUID.randomUUID();
            // as if the name had pointed at a public address when it was registered and at loopback now (DNS rebinding)
            TestDatabase.execute("INSERT INTO webhook_endpoints (id, url, events, secret) VALUES ('" + id + "', '"
                    + receiver.url("/rebound").replace("127.0.0.1", "localhost").replace("http:", "https:") + "', '{*}', 'whsec_x')");
            assertThat(shared.post("/webhook-endpoints/" + id + "/test", new JsonObject()).statusCode()).isEqualTo(202);
            JsonObject attempt = Await.value("the attempt is recorded", Duration.ofSeconds(10),
                    () -> deliveries(shared, id.toString()).getJsonObject(0).getJsonArray("attempts"), a -> !a.isEmpty())
                    .getJsonObject(0);
            assertThat(attempt.getString("error")).startsWith("refused:").contains("a loopback address");
            assertThat(attempt.getInteger("status_code")).isNull();
            assertThat(receiver.received).isEmpty();
            TestDatabase.execute("DELETE FROM webhook_endpoints WHERE id = '" + id + "'");
        }
    }
}
