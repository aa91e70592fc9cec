package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Faults a new user found: input the service used to accept by guessing (an unknown member ignored, data
 * after the JSON value ignored, text taken for a number, a body without Content-Type read as JSON) and
 * answers that misled (a 403 for a route that does not exist, a problem whose status was a string). Each is
 * kept here, against the real server and PostgreSQL.
 */
@DisplayName("Strict input")
class StrictInputIT extends SharedAppTest {

    private static HttpResponse<Buffer> raw(HttpMethod method, String uri, String contentType, String body, String token) {
        HttpRequest<Buffer> request = api.client().request(method, uri).timeout(30_000);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        try {
            return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + uri + " failed", e);
        }
    }

    private static JsonObject problem(HttpResponse<Buffer> response, int status) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("content-type")).startsWith("application/problem+json");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getValue("status")).isEqualTo(status);
        return body;
    }

    private static String secret(String name, String scopes) {
        HttpResponse<Buffer> created = api.post("/tokens", new JsonObject().put("name", name)
                .put("scopes", new JsonArray(List.of(scopes.split(",")))));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        return created.bodyAsJsonObject().getString("token");
    }

    @Test
    @DisplayName("a buy with a misspelt dryRun is refused naming the field and the accepted ones, and buys nothing")
    void unknownMemberOnBuy() {
        String id = Fixtures.created(api, "STRICT-DRYRUN").getString("id");
        JsonObject p = problem(api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("dryRun", true)), 422);
        assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("dryRun");
        assertThat(p.getString("detail")).contains("dry_run").contains("rate_id").contains("strategy");
        JsonObject shipment = api.get("/shipments/" + id).bodyAsJsonObject();
        assertThat(shipment.getString("label_url")).isNull();
        assertThat(shipment.getString("status")).isNotEqualTo("purchased");
    }

    @Test
    @DisplayName("a token with a misspelt limit is refused, not created unlimited; nested unknown members are named by path")
    void unknownMemberOnTokenAndNested() {
        JsonObject p = problem(api.post("/tokens", new JsonObject().put("name", "x").put("scopes", new JsonArray().add("read"))
                .put("daily_limit", "5")), 422);
        assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("daily_limit");
        assertThat(p.getString("detail")).contains("daily_spend");
        JsonObject shipment = Fixtures.newShipment("STRICT-NESTED");
        shipment.getJsonObject("parcel").put("wieght", 3);
        JsonObject nested = problem(api.post("/shipments", shipment), 422);
        assertThat(nested.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("parcel.wieght");
    }

    @Test
    @DisplayName("every documented request body is still accepted: shipment with options, buy with dry_run, tracker, address, token with limits")
    void documentedBodiesStillAccepted() {
        JsonObject shipment = Fixtures.newShipment("STRICT-OK").put("options", new JsonObject().put("label_format", "PDF"));
        shipment.getJsonObject("to_address").put("residential", true).put("phone", "4155550100");
        HttpResponse<Buffer> created = api.post("/shipments", shipment);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        HttpResponse<Buffer> dry = api.post("/shipments/" + created.bodyAsJsonObject().getString("id") + "/buy",
                new JsonObject().put("strategy", "cheapest").put("carriers", new JsonArray().add("USPS")).put("dry_run", true));
        assertThat(dry.statusCode()).as(dry.bodyAsString()).isLessThan(300);
        HttpResponse<Buffer> verify = api.post("/addresses/verify",
                Fixtures.address("Ada", "417 Montgomery St", "San Francisco", "CA", "94104"));
        assertThat(verify.statusCode()).as(verify.bodyAsString()).isEqualTo(200);
        HttpResponse<Buffer> token = api.post("/tokens", new JsonObject().put("name", "limits").put("scopes", new JsonArray().add("read"))
                .put("max_label_cost", "25.00").put("daily_spend", 200).put("approval_above", "50.5"));
        assertThat(token.statusCode()).as(token.bodyAsString()).isEqualTo(201);
        assertThat(token.bodyAsJsonObject().getString("daily_spend")).isEqualTo("200.00");
    }

    @Test
    @DisplayName("a shipment listed twice in a label batch, a scan form or a pickup is refused naming the repeat, not silently dropped")
    void repeatedShipmentIds() {
        String a = Fixtures.created(api, "STRICT-REPEAT-A").getString("id");
        String b = Fixtures.created(api, "STRICT-REPEAT-B").getString("id");
        JsonArray ids = new JsonArray().add(a).add(b).add(a);
        JsonObject window = new JsonObject().put("min_datetime", java.time.OffsetDateTime.now().plusDays(1).toString())
                .put("max_datetime", java.time.OffsetDateTime.now().plusDays(1).plusHours(4).toString());
        for (var request : List.of(
                java.util.Map.entry("/label-batches", new JsonObject().put("shipment_ids", ids)),
                java.util.Map.entry("/scan-forms", new JsonObject().put("shipment_ids", ids)),
                java.util.Map.entry("/pickups", window.copy().put("shipment_ids", ids)
                        .put("address", Fixtures.address("Ada", "417 Montgomery St", "San Francisco", "CA", "94104"))))) {
            JsonObject p = problem(api.post(request.getKey(), request.getValue()), 422);
            assertThat(p.getJsonArray("invalid_params").stream().map(o -> ((JsonObject) o).getString("name")))
                    .as(request.getKey()).contains("shipment_ids[2]");
            assertThat(p.getJsonArray("invalid_params").stream().map(o -> ((JsonObject) o).getString("reason")))
                    .as(request.getKey()).contains("repeats shipment_ids[0]");
        }
    }

    @Test
    @DisplayName("data after the JSON value is refused: a word, or a second object")
    void trailingData() {
        for (String body : List.of("{\"name\":\"tg\",\"scopes\":[\"read\"]} xyz",
                "{\"name\":\"tg\",\"scopes\":[\"read\"]}{\"name\":\"tg2\",\"scopes\":[\"admin\"]}")) {
            JsonObject p = problem(api.send(HttpMethod.POST, "/tokens", Buffer.buffer(body)), 400);
            assertThat(p.getString("detail")).isEqualTo("trailing data after the JSON value");
        }
        assertThat(api.send(HttpMethod.POST, "/tokens", Buffer.buffer("{\"name\":\"tg3\",\"scopes\":[\"read\"]}  \n"))
                .statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("token limits refuse an exponent, surrounding spaces and more than two decimals, naming the field")
    void moneyShape() {
        for (Object amount : List.of("1e3", " 5", "5 ", "5.", "", "0x10", true)) {
            JsonObject p = problem(api.post("/tokens", new JsonObject().put("name", "m").put("scopes", new JsonArray().add("read"))
                    .put("daily_spend", amount)), 400);
            assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name")).as("%s", amount).isEqualTo("daily_spend");
        }
        JsonObject exponent = problem(api.send(HttpMethod.POST, "/tokens",
                Buffer.buffer("{\"name\":\"m\",\"scopes\":[\"read\"],\"max_label_cost\":1e3}")), 400);
        assertThat(exponent.getString("detail")).startsWith("max_label_cost: must be a USD amount");
        for (String amount : List.of("5.000", "-1")) {
            JsonObject p = problem(api.post("/tokens", new JsonObject().put("name", "m").put("scopes", new JsonArray().add("read"))
                    .put("approval_above", amount)), 422);
            assertThat(p.getString("detail")).as(amount).contains("at most two decimals");
        }
    }

    @Test
    @DisplayName("a number sent as text is refused naming the field, as a ZIP code sent as a number is")
    void numbersMustBeNumbers() {
        JsonObject shipment = Fixtures.newShipment("STRICT-WEIGHT");
        shipment.getJsonObject("parcel").put("weight", "15");
        JsonObject p = problem(api.post("/shipments", shipment), 400);
        assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("parcel.weight");
        assertThat(p.getString("detail")).contains("must be a JSON number");
        JsonObject residential = Fixtures.newShipment("STRICT-BOOL");
        residential.getJsonObject("to_address").put("residential", "true");
        assertThat(problem(api.post("/shipments", residential), 400).getString("detail")).startsWith("to_address.residential");
    }

    @Test
    @DisplayName("a fractional count is refused naming the field, never cut to a whole number")
    void countsAreWholeNumbers() {
        long before = TestDatabase.count("SELECT count(*) FROM shipments");
        for (double quantity : new double[] {1.5, 1.9}) {
            JsonObject shipment = InternationalIT.international("STRICT-QTY");
            shipment.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(0).put("quantity", quantity);
            JsonObject p = problem(api.post("/shipments", shipment), 400);
            assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name"))
                    .isEqualTo("customs_info.customs_items[0].quantity");
            assertThat(p.getString("detail")).as("%s", quantity).contains("whole number");
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments")).isEqualTo(before);
        assertThat(api.post("/shipments", InternationalIT.international("STRICT-QTY-WHOLE")).statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("an unknown strategy lists the accepted ones")
    void enumListsValues() {
        String id = Fixtures.created(api, "STRICT-ENUM").getString("id");
        JsonObject p = problem(api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "slowest")), 400);
        assertThat(p.getString("detail")).isEqualTo("strategy: must be one of cheapest, fastest");
    }

    @Test
    @DisplayName("a body without Content-Type or as text/plain is 415 with Accept-Post, never read as JSON")
    void bodiesMustSayJson() {
        for (String type : new String[] {null, "text/plain"}) {
            HttpResponse<Buffer> r = raw(HttpMethod.POST, "/tokens", type, "{\"name\":\"ct\",\"scopes\":[\"read\"]}", TestApp.TOKEN);
            problem(r, 415);
            assertThat(r.getHeader("Accept-Post")).isEqualTo("application/json");
        }
        HttpResponse<Buffer> csv = raw(HttpMethod.POST, "/shipments/bulk-create", "text/plain", "reference\nx\n", TestApp.TOKEN);
        problem(csv, 415);
        assertThat(csv.getHeader("Accept-Post")).contains("text/csv");
        assertThat(raw(HttpMethod.POST, "/tokens", "application/json; charset=utf-8", "{\"name\":\"ct\",\"scopes\":[\"read\"]}",
                TestApp.TOKEN).statusCode()).isEqualTo(201);
        assertThat(raw(HttpMethod.POST, "/tokens", null, "{}", null).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("names and references with bidi overrides or invisible format characters are refused")
    void disguisedText() {
        JsonObject token = problem(api.post("/tokens", new JsonObject().put("name", "\u202eadmin")
                .put("scopes", new JsonArray().add("read"))), 422);
        assertThat(token.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("name");
        JsonObject shipment = Fixtures.newShipment("REF\u2066-1\u2069");
        assertThat(problem(api.post("/shipments", shipment), 422).getString("detail")).startsWith("reference");
        HttpResponse<Buffer> emoji = api.post("/tokens", new JsonObject().put("name", "team \uD83D\uDC68\u200D\uD83D\uDCBB")
                .put("scopes", new JsonArray().add("read")));
        assertThat(emoji.statusCode()).as(emoji.bodyAsString()).isEqualTo(201);
    }

    @Test
    @DisplayName("an unknown route is 404 and a wrong method 405 with Allow, whatever the token's scopes; 401 without a token")
    void unknownRoutesWithAReadToken() {
        String reader = secret("strict-reader", "read");
        problem(raw(HttpMethod.GET, "/nope", null, null, reader), 404);
        HttpResponse<Buffer> wrong = raw(HttpMethod.DELETE, "/shipments", null, null, reader);
        problem(wrong, 405);
        assertThat(wrong.getHeader("Allow")).contains("GET").contains("POST");
        problem(raw(HttpMethod.GET, "/api/nope", null, null, reader), 404);
        problem(raw(HttpMethod.GET, "/nope", null, null, null), 401);
        problem(raw(HttpMethod.GET, "/tokens", null, null, reader), 403);
    }

    @Test
    @DisplayName("the audit trail refuses an operation it never records, listing the valid ones")
    void auditOperation() {
        JsonObject p = problem(api.get("/audit?operation=nope"), 400);
        assertThat(p.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("operation");
        assertThat(p.getString("detail")).contains("buy_label").contains("create_token").contains("create_pickup");
        assertThat(api.get("/audit?operation=buy_label").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a repeated Idempotency-Key on POST /tokens creates one token and answers 409 with its id, never the secret again")
    void tokenCreationIsIdempotent() {
        JsonObject body = new JsonObject().put("name", "idem-token").put("scopes", new JsonArray().add("read"));
        HttpResponse<Buffer> first = api.post("/tokens", body, "token-key-1");
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
        String id = first.bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> again = api.post("/tokens", body, "token-key-1");
        JsonObject p = problem(again, 409);
        assertThat(p.getString("token_id")).isEqualTo(id);
        assertThat(again.bodyAsString()).doesNotContain(first.bodyAsJsonObject().getString("token"));
        assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
        long named = api.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream()
                .filter(t -> "idem-token".equals(((JsonObject) t).getString("name"))).count();
        assertThat(named).isEqualTo(1);
    }

    @Test
    @DisplayName("an MCP request with neither a session nor a _meta envelope is a JSON-RPC error, like other protocol mistakes")
    void mcpWithoutSessionOrEnvelope() {
        HttpResponse<Buffer> r;
        try {
            r = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN).putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "application/json, text/event-stream")
                    .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 5).put("method", "server/discover"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        JsonObject body = r.bodyAsJsonObject();
        assertThat(body.getValue("id")).isEqualTo(5);
        assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    }

    @Test
    @DisplayName("an admin raises a token's limits and changes its scopes with PATCH; left-out members are kept, null removes a limit")
    void patchToken() {
        HttpResponse<Buffer> created = api.post("/tokens", new JsonObject().put("name", "patched").put("scopes", new JsonArray().add("read"))
                .put("max_label_cost", "5.00").put("daily_spend", "10.00"));
        String id = created.bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> raised = api.send(HttpMethod.PATCH, "/tokens/" + id,
                new JsonObject().put("daily_spend", "50").put("max_label_cost", null).put("scopes", new JsonArray().add("read").add("buy")).toBuffer());
        assertThat(raised.statusCode()).as(raised.bodyAsString()).isEqualTo(200);
        JsonObject t = raised.bodyAsJsonObject();
        assertThat(t.getString("daily_spend")).isEqualTo("50.00");
        assertThat(t.getString("max_label_cost")).isNull();
        assertThat(t.getJsonArray("scopes").getList()).containsExactlyInAnyOrder("read", "buy");
        HttpResponse<Buffer> kept = api.send(HttpMethod.PATCH, "/tokens/" + id, new JsonObject().put("approval_above", "20.00").toBuffer());
        assertThat(kept.bodyAsJsonObject().getString("daily_spend")).isEqualTo("50.00");
        problem(api.send(HttpMethod.PATCH, "/tokens/" + id, new JsonObject().put("daily_limit", "5").toBuffer()), 422);
        problem(api.send(HttpMethod.PATCH, "/tokens/" + id, new JsonObject().put("scopes", new JsonArray()).toBuffer()), 422);
        problem(api.send(HttpMethod.PATCH, "/tokens/00000000-0000-4000-8000-000000000000",
                new JsonObject().put("daily_spend", "1").toBuffer()), 404);
        String reader = secret("patch-reader", "read");
        problem(raw(HttpMethod.PATCH, "/tokens/" + id, "application/json", "{\"daily_spend\":\"1\"}", reader), 403);
        // Audit rows are written once the answer has started.
        Await.until("the update's audit row", java.time.Duration.ofSeconds(10),
                () -> api.get("/audit?operation=update_token").bodyAsString().contains(id));
    }

    /** Routes that are not API lists or reads: health probes, metrics, the API description, MCP and documents. */
    private static final List<String> NOT_READS = List.of("GET /health", "GET /health/live", "GET /health/ready", "GET /metrics",
            "GET /openapi.json", "GET /docs", "GET /mcp");

    @Test
    @DisplayName("every GET list and read route refuses an unknown query parameter with a 400 naming it, before anything else")
    void unknownQueryParametersOnReads() {
        List<String> reads = TestApp.shared().operations().stream()
                .filter(op -> op.startsWith("GET /") && !NOT_READS.contains(op) && !op.contains("/files/") && !op.contains("/forms/")
                        && !op.startsWith("GET /v2/"))
                .toList();
        assertThat(reads).contains("GET /shipments", "GET /jobs", "GET /jobs/{}", "GET /audit", "GET /analytics/export.csv",
                "GET /webhook-endpoints/{}/deliveries");
        for (String op : reads) {
            String uri = op.substring(4).replace("{}", "00000000-0000-4000-8000-000000000000") + "?limt=5";
            JsonObject body = problem(raw(HttpMethod.GET, uri, null, null, TestApp.TOKEN), 400);
            assertThat(body.getJsonArray("invalid_params").getJsonObject(0).getString("name")).as(uri).isEqualTo("limt");
            assertThat(body.getJsonArray("invalid_params").getJsonObject(0).getString("reason")).as(uri).startsWith("unknown parameter");
        }
    }

    @Test
    @DisplayName("every GET route taking parameters refuses one given twice or blank with a 400 naming it, never using the first value or no filter")
    void repeatedAndBlankQueryParametersOnReads() {
        List<String> reads = TestApp.shared().operations().stream()
                .filter(op -> op.startsWith("GET /") && !NOT_READS.contains(op) && !op.contains("/files/") && !op.contains("/forms/")
                        && !op.startsWith("GET /v2/"))
                .toList();
        int checked = 0;
        for (String op : reads) {
            String path = op.substring(4).replace("{}", "00000000-0000-4000-8000-000000000000");
            String reason = problem(raw(HttpMethod.GET, path + "?limt=5", null, null, TestApp.TOKEN), 400)
                    .getJsonArray("invalid_params").getJsonObject(0).getString("reason");
            if (!reason.contains("accepted: ")) {
                continue;
            }
            for (String name : reason.substring(reason.indexOf("accepted: ") + 10).split(", ")) {
                JsonObject twice = problem(raw(HttpMethod.GET, path + "?" + name + "=1&" + name + "=2", null, null, TestApp.TOKEN), 400);
                assertThat(twice.getJsonArray("invalid_params").getJsonObject(0).getString("name")).as(op + " " + name).isEqualTo(name);
                assertThat(twice.getJsonArray("invalid_params").getJsonObject(0).getString("reason")).as(op + " " + name)
                        .startsWith("given more than once");
                JsonObject blank = problem(raw(HttpMethod.GET, path + "?" + name + "=%20", null, null, TestApp.TOKEN), 400);
                assertThat(blank.getJsonArray("invalid_params").getJsonObject(0).getString("name")).as(op + " " + name).isEqualTo(name);
                assertThat(blank.getJsonArray("invalid_params").getJsonObject(0).getString("reason")).as(op + " " + name)
                        .startsWith("must not be blank");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    @DisplayName("the operator's cases: two statuses, two day counts, an export's two statuses and blank filters are each a 400 naming the parameter")
    void repeatedAndBlankFilters() {
        for (String[] c : new String[][] {{"/shipments?status=in_transit&status=delivered&limit=200", "status", "given more than once"},
                {"/analytics?days=5&days=400", "days", "given more than once"},
                {"/shipments/export.csv?status=in_transit&status=delivered", "status", "given more than once"},
                {"/shipments?created_from=%20", "created_from", "must not be blank"},
                {"/shipments?status=", "status", "must not be blank"},
                {"/shipments?carrier=%20", "carrier", "must not be blank"},
                {"/shipments/export.csv?q=%20%20%20", "q", "must not be blank"}}) {
            JsonObject body = problem(raw(HttpMethod.GET, c[0], null, null, TestApp.TOKEN), 400);
            assertThat(body.getJsonArray("invalid_params").getJsonObject(0).getString("name")).as(c[0]).isEqualTo(c[1]);
            assertThat(body.getJsonArray("invalid_params").getJsonObject(0).getString("reason")).as(c[0]).startsWith(c[2]);
        }
        JsonObject repeatedOnWrite = problem(raw(HttpMethod.POST, "/tokens?dry=1&dry=2", "application/json", "{}", TestApp.TOKEN), 400);
        assertThat(repeatedOnWrite.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("dry");
    }

    @Test
    @DisplayName("the CSV export's unknown-parameter answer lists only what the export takes: no limit, which it refuses")
    void exportAcceptedListLeavesOutLimit() {
        String reason = problem(raw(HttpMethod.GET, "/shipments/export.csv?foo=1", null, null, TestApp.TOKEN), 400)
                .getJsonArray("invalid_params").getJsonObject(0).getString("reason");
        assertThat(reason).isEqualTo("unknown parameter; accepted: cursor, status, carrier, created_from, created_to, q");
        JsonObject limit = problem(raw(HttpMethod.GET, "/shipments/export.csv?limit=5", null, null, TestApp.TOKEN), 400);
        assertThat(limit.getJsonArray("invalid_params").getJsonObject(0).getString("name")).isEqualTo("limit");
    }
}
