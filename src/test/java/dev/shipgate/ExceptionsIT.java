package dev.shipgate;

import static dev.shipgate.TrackingUpdatesIT.detail;
import static dev.shipgate.TrackingUpdatesIT.sign;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The exceptions queue fed the way production feeds it: labels bought through the API from the simulator,
 * tracking through signed EasyPost webhooks. Time-based reasons use tracking details dated in the past; a
 * label "bought days ago" has its purchase time moved back in the database, the one thing the API cannot do.
 */
@DisplayName("The exceptions queue")
class ExceptionsIT extends SharedAppTest {

    private static int events;

    static JsonObject buy(String reference, String carrier) {
        JsonObject created = api.post("/shipments", Fixtures.newShipment(reference)).bodyAsJsonObject();
        JsonObject strategy = new JsonObject().put("strategy", "cheapest");
        if (carrier != null) {
            strategy.put("carriers", new JsonArray().add(carrier));
        }
        var bought = api.post("/shipments/" + created.getString("id") + "/buy", strategy);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        return bought.bodyAsJsonObject();
    }

    /** Delivers a signed tracker.updated for {@code shipment} with {@code status}, these details and an estimate (or null). */
    static void track(JsonObject shipment, String status, String estimate, JsonObject... details) throws Exception {
        JsonObject answer = deliverTracking(shipment, status, estimate, details);
        assertThat(answer.getInteger("applied")).as(answer.encode()).isEqualTo(1);
    }

    /** Delivers a signed tracker.updated like {@link #track} and gives its answer, whatever it applied. */
    static JsonObject deliverTracking(JsonObject shipment, String status, String estimate, JsonObject... details) throws Exception {
        String code = shipment.getString("tracking_code");
        JsonObject event = TrackingUpdatesIT.trackerEvent("evt_exc_" + code + "_" + (++events), code, status,
                new JsonArray(List.of((Object[]) details)));
        if (estimate != null) {
            event.getJsonObject("result").put("est_delivery_date", estimate);
        }
        var answer = TrackingUpdatesIT.deliver(event, sign(event.toBuffer(), TestApp.WEBHOOK_SECRET));
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        return answer.bodyAsJsonObject();
    }

    static String ago(long hours) {
        return Instant.now().minus(hours, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Every entry of the queue (all pages of {@code query}), keyed by shipment id. */
    static List<JsonObject> all(String query) {
        List<JsonObject> entries = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/exceptions?limit=200" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
            JsonObject body = page.bodyAsJsonObject();
            body.getJsonArray("exceptions").forEach(e -> entries.add((JsonObject) e));
            cursor = body.getString("next_cursor");
        } while (cursor != null);
        return entries;
    }

    static JsonObject entry(JsonObject shipment, String query) {
        return all(query).stream().filter(e -> e.getString("shipment_id").equals(shipment.getString("id"))).findFirst().orElse(null);
    }

    static List<String> reasons(JsonObject shipment) {
        JsonObject e = entry(shipment, "&include_acknowledged=true");
        return e == null ? List.of() : e.getJsonArray("reasons").stream().map(String::valueOf).toList();
    }

    @Test
    @DisplayName("a tracker in failure, return_to_sender or error is an exception of that name, listed under its reason")
    void trackingStatuses() throws Exception {
        for (String status : List.of("failure", "return_to_sender", "error")) {
            JsonObject s = buy("EXC-" + status, null);
            track(s, status, null, detail("in_transit", "Departed", ago(30)), detail(status, "Carrier says " + status, ago(2)));
            assertThat(reasons(s)).as(status).containsExactly(status);
            JsonObject listed = entry(s, "&reason=" + status);
            assertThat(listed).as(status + " under its reason").isNotNull();
            assertThat(listed.getString("tracking_code")).isEqualTo(s.getString("tracking_code"));
            assertThat(listed.getString("carrier")).isEqualTo("USPS");
            assertThat(listed.getBoolean("acknowledged")).isFalse();
            assertThat(entry(s, "&reason=never_scanned")).as("not under another reason").isNull();
        }
    }

    @Test
    @DisplayName("cancelled after the carrier scanned the parcel is an exception; a label cancelled before pickup is not")
    void cancelledAfterPickup() throws Exception {
        JsonObject picked = buy("EXC-cancel-picked", null);
        track(picked, "cancelled", null, detail("in_transit", "Accepted at USPS", ago(20)), detail("cancelled", "Cancelled", ago(1)));
        assertThat(reasons(picked)).containsExactly("cancelled_after_pickup");
        JsonObject voided = buy("EXC-cancel-voided", null);
        track(voided, "cancelled", null, detail("pre_transit", "Label created", ago(20)), detail("cancelled", "Cancelled", ago(1)));
        assertThat(reasons(voided)).isEmpty();
    }

    @Test
    @DisplayName("a scanned parcel without tracking movement for 3 days is an exception; one that moved an hour ago is not")
    void noMovement() throws Exception {
        JsonObject stalled = buy("EXC-stalled", null);
        track(stalled, "in_transit", null, detail("in_transit", "Arrived at hub", ago(24 * 4)));
        assertThat(reasons(stalled)).containsExactly("no_movement");
        JsonObject since = entry(stalled, "&reason=no_movement");
        assertThat(Instant.parse(since.getString("since"))).as("an exception since the scan plus 3 days")
                .isCloseTo(Instant.parse(ago(24 * 4)).plus(3, ChronoUnit.DAYS), org.assertj.core.api.Assertions.within(10, ChronoUnit.SECONDS));
        JsonObject moving = buy("EXC-moving", null);
        track(moving, "in_transit", null, detail("in_transit", "Arrived at hub", ago(1)));
        assertThat(reasons(moving)).isEmpty();
    }

    @Test
    @DisplayName("past the estimated delivery day and not delivered is an exception; the rate's promised day wins over the tracker's")
    void pastEstimatedDelivery() throws Exception {
        String twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
        JsonObject usps = buy("EXC-late", null);
        track(usps, "in_transit", twoDaysAgo, detail("in_transit", "Arrived at hub", ago(1)));
        assertThat(reasons(usps)).as("USPS rates carry no date: the tracker's estimate counts").containsExactly("past_estimated_delivery");
        assertThat(entry(usps, "").getString("expected_delivery_date")).isEqualTo(twoDaysAgo.substring(0, 10));

        JsonObject ups = buy("EXC-promised", "UPS");
        assertThat(ups.getString("carrier")).isEqualTo("UPS");
        track(ups, "in_transit", twoDaysAgo, detail("in_transit", "Arrived at hub", ago(1)));
        assertThat(reasons(ups)).as("UPS's rate promised a day still ahead").isEmpty();
        track(ups, "delivered", twoDaysAgo, detail("in_transit", "Arrived at hub", ago(1)), detail("delivered", "Front door", ago(0)));
        track(usps, "delivered", null, detail("delivered", "Front door", ago(0)));
        assertThat(reasons(usps)).as("delivered late is no longer waiting for anyone").isEmpty();
    }

    @Test
    @DisplayName("a label never scanned 3 days after purchase is an exception until the carrier scans it")
    void neverScanned() throws Exception {
        JsonObject fresh = buy("EXC-fresh", null);
        assertThat(reasons(fresh)).isEmpty();
        JsonObject old = buy("EXC-unscanned", null);
        TestDatabase.execute("UPDATE shipments SET label_bought_at = now() - interval '4 days' WHERE id = '" + old.getString("id") + "'");
        assertThat(reasons(old)).containsExactly("never_scanned");
        track(old, "in_transit", null, detail("pre_transit", "Label created", ago(96)), detail("in_transit", "Accepted", ago(1)));
        assertThat(reasons(old)).isEmpty();
    }

    static Instant since(JsonObject shipment) {
        var read = api.get("/exceptions/" + shipment.getString("id"));
        assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
        return Instant.parse(read.bodyAsJsonObject().getString("since"));
    }

    @Test
    @DisplayName("a newer failure re-opens the entry but keeps since at the first failure, with or without a later reason beside it")
    void newerFailureKeepsSince() throws Exception {
        String twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
        JsonObject late = buy("EXC-since-late", null);
        String failed = ago(96);
        track(late, "failure", twoDaysAgo, detail("in_transit", "Departed", ago(120)), detail("failure", "Address not found", failed));
        assertThat(reasons(late)).containsExactly("failure", "no_movement", "past_estimated_delivery");
        assertThat(since(late)).isEqualTo(Instant.parse(failed));
        var ack = api.post("/exceptions/" + late.getString("id") + "/acknowledge", new JsonObject().put("note", "called"));
        assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(200);

        track(late, "failure", twoDaysAgo, detail("failure", "Second attempt failed", ago(1)));
        JsonObject back = entry(late, "");
        assertThat(back).as("the newer failure re-opens it").isNotNull();
        assertThat(back.getJsonArray("reasons").getList()).containsExactly("failure", "past_estimated_delivery");
        assertThat(Instant.parse(back.getString("since"))).as("still the first failure, not the estimated day's end")
                .isEqualTo(Instant.parse(failed));

        JsonObject failing = buy("EXC-since-failing", null);
        String first = ago(30);
        track(failing, "failure", null, detail("in_transit", "Departed", ago(40)), detail("failure", "Address not found", first));
        track(failing, "failure", null, detail("failure", "Second attempt failed", ago(1)));
        assertThat(reasons(failing)).containsExactly("failure");
        assertThat(since(failing)).as("the failure since the first one, not the newest").isEqualTo(Instant.parse(first));
    }

    @Test
    @DisplayName("return to sender, in transit, return to sender: since stays while the parcel never left the queue and restarts when it did")
    void statusFlipSince() throws Exception {
        String twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();
        JsonObject stayed = buy("EXC-flip-stayed", null);
        String returned = ago(100);
        track(stayed, "return_to_sender", twoDaysAgo, detail("in_transit", "Departed", ago(110)), detail("return_to_sender", "Refused", returned));
        track(stayed, "in_transit", twoDaysAgo, detail("in_transit", "Back on its way", ago(2)));
        assertThat(reasons(stayed)).as("in the queue throughout: past its estimated day").containsExactly("past_estimated_delivery");
        assertThat(since(stayed)).as("the stay began with the return").isEqualTo(Instant.parse(returned));
        track(stayed, "return_to_sender", twoDaysAgo, detail("return_to_sender", "Refused again", ago(1)));
        assertThat(reasons(stayed)).containsExactly("past_estimated_delivery", "return_to_sender");
        assertThat(since(stayed)).as("the same stay").isEqualTo(Instant.parse(returned));

        JsonObject left = buy("EXC-flip-left", null);
        track(left, "return_to_sender", null, detail("in_transit", "Departed", ago(40)), detail("return_to_sender", "Refused", ago(30)));
        track(left, "in_transit", null, detail("in_transit", "Back on its way", ago(5)));
        assertThat(reasons(left)).as("out of the queue in between").isEmpty();
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE exception_since IS NULL AND id = '" + left.getString("id") + "'"))
                .as("the stay is over").isEqualTo(1);
        String again = ago(1);
        track(left, "return_to_sender", null, detail("return_to_sender", "Refused again", again));
        assertThat(since(left)).as("a new stay").isEqualTo(Instant.parse(again));
    }

    @Test
    @DisplayName("one event carrying failure, in transit, failure, failure starts the stay at the second run's first failure; so does migration V55's backfill")
    void backfillFromStoredDetails() throws Exception {
        JsonObject s = buy("EXC-backfill", null);
        String run = ago(20);
        String newest = ago(10);
        track(s, "failure", null, detail("in_transit", "Departed", ago(50)), detail("failure", "Address not found", ago(40)),
                detail("in_transit", "Out again", ago(30)), detail("failure", "Address not found", run), detail("failure", "Again", newest));
        assertThat(since(s)).as("one event carrying the run: its first failure").isEqualTo(Instant.parse(run));
        String migration = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/db/migration/V55__exception_since.sql"));
        String backfill = migration.substring(migration.indexOf("UPDATE shipments s"), migration.indexOf(";", migration.indexOf("UPDATE shipments s")));
        TestDatabase.execute("UPDATE shipments SET exception_since = NULL WHERE id = '" + s.getString("id") + "'");
        assertThat(since(s)).as("without the column: the newest failure").isEqualTo(Instant.parse(newest));
        TestDatabase.execute(backfill);
        assertThat(since(s)).as("backfilled: the first failure of the current run").isEqualTo(Instant.parse(run));
    }

    @Test
    @DisplayName("an acknowledged entry leaves the open queue with who, when and the note, is audited, and comes back on a new exception event")
    void acknowledgeAndReopen() throws Exception {
        JsonObject s = buy("EXC-ack", null);
        String departed = ago(30);
        String failed = ago(5);
        track(s, "failure", null, detail("in_transit", "Departed", departed), detail("failure", "Address not found", failed));
        long openBefore = api.get("/exceptions/summary").bodyAsJsonObject().getLong("open");

        var ack = api.post("/exceptions/" + s.getString("id") + "/acknowledge", new JsonObject().put("note", "  called the recipient  "));
        assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(200);
        JsonObject acked = ack.bodyAsJsonObject();
        assertThat(acked.getBoolean("acknowledged")).isTrue();
        assertThat(acked.getJsonObject("acknowledgement").getString("note")).isEqualTo("called the recipient");
        assertThat(acked.getJsonObject("acknowledgement").getString("by")).isEqualTo("environment");
        assertThat(Instant.parse(acked.getJsonObject("acknowledgement").getString("at"))).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(entry(s, "")).as("gone from the open queue").isNull();
        assertThat(entry(s, "&include_acknowledged=true").getBoolean("acknowledged")).isTrue();
        assertThat(api.get("/exceptions/summary").bodyAsJsonObject().getLong("open")).isEqualTo(openBefore - 1);
        Await.until("the acknowledgement's audit row", java.time.Duration.ofSeconds(10), () -> TestDatabase.count("SELECT count(*) FROM audit_log WHERE operation = 'acknowledge_exception' AND shipment_id = '"
                + s.getString("id") + "'") == 1);
        assertThat(auditRows(s.getString("id")).get(0).getString("note")).as("the audit row carries the note").isEqualTo("called the recipient");

        JsonObject repeat = deliverTracking(s, "failure", null, detail("in_transit", "Departed", departed),
                detail("failure", "Address not found", failed));
        assertThat(repeat.getInteger("applied")).as("a new event id with the same details applies nothing: " + repeat.encode()).isZero();
        assertThat(entry(s, "")).as("the same details again change nothing").isNull();

        track(s, "failure", null, detail("failure", "Second attempt failed", ago(1)));
        JsonObject back = entry(s, "");
        assertThat(back).as("a new exception event with the same reason re-opens it").isNotNull();
        assertThat(back.getJsonArray("reasons").getList()).containsExactly("failure");
        assertThat(back.getBoolean("acknowledged")).isFalse();
        assertThat(back.getJsonObject("acknowledgement").getString("note")).as("the earlier note stays visible").isEqualTo("called the recipient");

        var again = api.post("/exceptions/" + s.getString("id") + "/acknowledge", new JsonObject().put("note", "second attempt booked"));
        assertThat(again.statusCode()).as("a re-opened entry can be acknowledged again: " + again.bodyAsString()).isEqualTo(200);
        assertThat(again.bodyAsJsonObject().getJsonObject("acknowledgement").getString("note")).isEqualTo("second attempt booked");
        var read = api.get("/exceptions/" + s.getString("id"));
        assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getBoolean("acknowledged")).isTrue();
        assertThat(read.bodyAsJsonObject().getJsonArray("acknowledgements").stream().map(a -> ((JsonObject) a).getString("note")).toList())
                .as("every acknowledgement, newest first").containsExactly("second attempt booked", "called the recipient");
    }

    @Test
    @DisplayName("a second acknowledgement of an entry that has not re-opened is 409 already-acknowledged naming who and when, and the first note stays")
    void reacknowledgeIsRefused() throws Exception {
        JsonObject s = buy("EXC-twice", null);
        track(s, "failure", null, detail("failure", "Address not found", ago(2)));
        String path = "/exceptions/" + s.getString("id") + "/acknowledge";
        assertThat(api.post(path, new JsonObject().put("note", "first")).statusCode()).isEqualTo(200);

        var second = api.post(path, new JsonObject().put("note", "second"));
        assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(409);
        assertThat(second.getHeader("content-type")).isEqualTo("application/problem+json");
        JsonObject problem = second.bodyAsJsonObject();
        assertThat(problem.getString("type")).endsWith("/already-acknowledged");
        assertThat(problem.getString("acknowledged_by")).isEqualTo("environment");
        assertThat(Instant.parse(problem.getString("acknowledged_at"))).isCloseTo(Instant.now(),
                org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        // whole seconds, as every other time of the queue, in the field and in the sentence
        assertThat(problem.getString("acknowledged_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(problem.getString("detail")).contains(" at " + problem.getString("acknowledged_at") + " ");
        assertThat(api.send(io.vertx.core.http.HttpMethod.POST, path, null).statusCode()).as("without a body too").isEqualTo(409);

        JsonObject read = api.get("/exceptions/" + s.getString("id")).bodyAsJsonObject();
        assertThat(read.getJsonObject("acknowledgement").getString("note")).isEqualTo("first");
        assertThat(read.getJsonArray("acknowledgements")).hasSize(1);
        assertThat(read.getJsonArray("acknowledgements").getJsonObject(0).getString("at")).isEqualTo(problem.getString("acknowledged_at"));
        assertThat(read.getJsonObject("acknowledgement").getString("at")).isEqualTo(problem.getString("acknowledged_at"));
    }

    @Test
    @DisplayName("ten parallel acknowledgements with notes n1..n10 give exactly one 200 and nine 409s; the one note kept is the winner's and is on its audit row")
    void parallelAcknowledgements() throws Exception {
        JsonObject s = buy("EXC-race", null);
        track(s, "failure", null, detail("failure", "Address not found", ago(2)));
        String path = "/exceptions/" + s.getString("id") + "/acknowledge";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>> calls = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String note = "n" + i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return api.post(path, new JsonObject().put("note", note));
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            String winner = null;
            for (var call : calls) {
                var answer = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
                statuses.add(answer.statusCode());
                if (answer.statusCode() == 200) {
                    winner = answer.bodyAsJsonObject().getJsonObject("acknowledgement").getString("note");
                } else {
                    assertThat(answer.bodyAsJsonObject().getString("type")).as(answer.bodyAsString()).endsWith("/already-acknowledged");
                }
            }
            assertThat(statuses).as(statuses.toString()).containsOnly(200, 409);
            assertThat(statuses.stream().filter(c -> c == 200).count()).as(statuses.toString()).isEqualTo(1);
            JsonObject read = api.get("/exceptions/" + s.getString("id")).bodyAsJsonObject();
            assertThat(read.getJsonObject("acknowledgement").getString("note")).isEqualTo(winner);
            assertThat(read.getJsonArray("acknowledgements")).hasSize(1);
            String shipment = s.getString("id");
            String expected = winner;
            Await.until("ten audit rows", java.time.Duration.ofSeconds(10), () -> auditRows(shipment).size() == 10);
            List<JsonObject> rows = auditRows(shipment);
            assertThat(rows.stream().filter(r -> r.getInteger("status") == 200).map(r -> r.getString("note")).toList())
                    .containsExactly(expected);
            assertThat(rows.stream().filter(r -> r.getInteger("status") == 409).map(r -> r.getString("problem_type")))
                    .hasSize(9).allSatisfy(t -> assertThat(t).endsWith("already-acknowledged"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The acknowledge_exception rows of GET /audit for {@code shipment}. */
    static List<JsonObject> auditRows(String shipment) {
        var page = api.get("/audit?operation=acknowledge_exception&limit=200");
        assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
        return page.bodyAsJsonObject().getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(r -> shipment.equals(r.getString("shipment_id"))).toList();
    }

    @Test
    @DisplayName("a note with bidirectional overrides or isolates, or other control characters, is a 422 naming note and acknowledges nothing")
    void disguisedNotes() throws Exception {
        JsonObject s = buy("EXC-bidi", null);
        track(s, "failure", null, detail("failure", "Address not found", ago(2)));
        String path = "/exceptions/" + s.getString("id") + "/acknowledge";
        for (String note : List.of("refund \u202Eoreht", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "a\u2066b", "a\u2067b",
                "a\u2068b", "a\u2069b", "bell\u0007", "esc\u001b[31m", "del\u007f", "zero-width\u200Bspace")) {
            Fixtures.assertField(api.post(path, new JsonObject().put("note", note)), 422, "note");
        }
        assertThat(entry(s, "")).as("nothing was acknowledged").isNotNull();
        var fine = api.post(path, new JsonObject().put("note", "line one\nline two\twith a tab, \u05e9\u05dc\u05d5\u05dd and \ud83d\udc68\u200d\ud83d\udc69"));
        assertThat(fine.statusCode()).as("line breaks, tabs, Hebrew and a joined emoji are fine: " + fine.bodyAsString()).isEqualTo(200);
    }

    @Test
    @DisplayName("acknowledging a shipment that is not in the queue is 409, an unknown one 404, a bad id 400, a long note 422")
    void acknowledgeRefusals() throws Exception {
        JsonObject fine = buy("EXC-fine", null);
        var conflict = api.post("/exceptions/" + fine.getString("id") + "/acknowledge", new JsonObject());
        assertThat(conflict.statusCode()).as(conflict.bodyAsString()).isEqualTo(409);
        assertThat(conflict.bodyAsJsonObject().getString("type")).endsWith("/not-an-exception");
        assertThat(api.post("/exceptions/" + java.util.UUID.randomUUID() + "/acknowledge", new JsonObject()).statusCode()).isEqualTo(404);
        Fixtures.assertField(api.post("/exceptions/nope/acknowledge", new JsonObject()), 400, "id");
        JsonObject failed = buy("EXC-note", null);
        track(failed, "error", null, detail("error", "Carrier error", ago(1)));
        Fixtures.assertField(api.post("/exceptions/" + failed.getString("id") + "/acknowledge",
                new JsonObject().put("note", "x".repeat(1001))), 422, "note");
        Fixtures.assertField(api.post("/exceptions/" + failed.getString("id") + "/acknowledge",
                new JsonObject().put("notes", "typo")), 422, "notes");
        assertThat(entry(failed, "")).as("nothing was acknowledged").isNotNull();
    }

    @Test
    @DisplayName("the queue pages newest exception first with a keyset cursor, each entry once")
    void paging() throws Exception {
        for (int i = 0; i < 3; i++) {
            JsonObject s = buy("EXC-page-" + i, null);
            track(s, "failure", null, detail("failure", "Damaged", ago(10 + i)));
        }
        List<JsonObject> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = api.get("/exceptions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).bodyAsJsonObject();
            assertThat(page.getJsonArray("exceptions").size()).isLessThanOrEqualTo(2);
            page.getJsonArray("exceptions").forEach(e -> seen.add((JsonObject) e));
            cursor = page.getString("next_cursor");
            assertThat(page.getBoolean("has_more")).isEqualTo(cursor != null);
        } while (cursor != null);
        Set<String> ids = new HashSet<>();
        seen.forEach(e -> assertThat(ids.add(e.getString("shipment_id"))).as("listed once").isTrue());
        assertThat(ids).hasSize(all("").size()).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(Instant.parse(seen.get(i - 1).getString("since"))).isAfterOrEqualTo(Instant.parse(seen.get(i).getString("since")));
        }
    }

    @Test
    @DisplayName("an unknown reason, a bad include_acknowledged, cursor or limit are 400 problems naming the parameter")
    void badInput() {
        var reason = api.get("/exceptions?reason=lost_in_space");
        Fixtures.assertField(reason, 400, "reason");
        assertThat(reason.bodyAsJsonObject().getString("detail")).contains("no_movement", "past_estimated_delivery");
        Fixtures.assertField(api.get("/exceptions?include_acknowledged=maybe"), 400, "include_acknowledged");
        Fixtures.assertField(api.get("/exceptions?cursor=garbage"), 400, "cursor");
        Fixtures.assertField(api.get("/exceptions?limit=0"), 400, "limit");
    }
}
