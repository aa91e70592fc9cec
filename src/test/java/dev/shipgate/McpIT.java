package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.auth.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MCP endpoint")
class McpIT extends SharedAppTest {

    String session;
    int nextId = 1;



    HttpResponse<Buffer> post(JsonObject message, Map<String, String> headers) {
        HttpRequest<Buffer> request = api.client().post("/mcp").putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream");
        headers.forEach(request::putHeader);
        return request.sendBuffer(message.toBuffer()).toCompletionStage().toCompletableFuture().join();
    }

    HttpResponse<Buffer> rpc(String method, JsonObject params) {
        JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", nextId++).put("method", method);
        if (params != null) {
            message.put("params", params);
        }
        return post(message, session == null ? Map.of("Authorization", "Bearer " + TestApp.TOKEN)
                : Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
    }

    JsonObject callTool(String name, JsonObject arguments) {
        HttpResponse<Buffer> response = rpc("tools/call", new JsonObject().put("name", name).put("arguments", arguments));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject().getJsonObject("result");
    }

    @BeforeEach
    void initialize() {
        session = null;
        HttpResponse<Buffer> response = rpc("initialize", new JsonObject().put("protocolVersion", "2025-11-25")
                .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "test").put("version", "1")));
        assertThat(response.statusCode()).isEqualTo(200);
        session = response.getHeader("Mcp-Session-Id");
        assertThat(session).hasSizeGreaterThanOrEqualTo(40);
        JsonObject result = response.bodyAsJsonObject().getJsonObject("result");
        assertThat(result.getString("protocolVersion")).isEqualTo("2025-11-25");
        assertThat(result.getJsonObject("capabilities").containsKey("tools")).isTrue();
        assertThat(post(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Mcp-Session-Id", session)).statusCode()).isEqualTo(202);
    }

    @Test
    @DisplayName("a session begun on one instance is served by another on the same database")
    void sessionsSharedAcrossInstances() throws Exception {
        try (ShipgateApp other = TestApp.start(Map.of()); Api otherApi = new Api(other.config().httpPort(), TestApp.TOKEN)) {
            HttpResponse<Buffer> ping = otherApi.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                    .putHeader("Mcp-Session-Id", session)
                    .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 99).put("method", "tools/list"))
                    .toCompletionStage().toCompletableFuture().join();
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.bodyAsJsonObject().getJsonObject("result").getJsonArray("tools")).isNotEmpty();
        }
    }

    @Test
    @DisplayName("earlier protocol revisions are accepted and an unknown one is answered with the newest")
    void versionNegotiation() {
        session = null;
        assertThat(rpc("initialize", new JsonObject().put("protocolVersion", "2025-03-26").put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))).bodyAsJsonObject()
                .getJsonObject("result").getString("protocolVersion")).isEqualTo("2025-03-26");
        assertThat(rpc("initialize", new JsonObject().put("protocolVersion", "1999-01-01").put("capabilities", new JsonObject())
                .put("clientInfo", new JsonObject().put("name", "t").put("version", "1"))).bodyAsJsonObject()
                .getJsonObject("result").getString("protocolVersion")).isEqualTo("2025-11-25");
    }

    @Test
    @DisplayName("tools come with input and output schemas and honest annotations")
    void listsTools() {
        JsonArray tools = rpc("tools/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("tools");
        assertThat(tools.stream().map(t -> ((JsonObject) t).getString("name")).toList()).contains("list_shipments",
                "get_shipment", "create_shipment", "buy_label", "refund_label", "verify_address", "track_shipments",
                "start_bulk_job", "get_job", "shipping_analytics", "carrier_performance");
        for (Object o : tools) {
            JsonObject tool = (JsonObject) o;
            assertThat(tool.getJsonObject("inputSchema").getString("type")).isEqualTo("object");
            assertThat(tool.getJsonObject("inputSchema").getJsonObject("properties").containsKey("empty"))
                    .as("schemas are plain JSON, not serialized Vert.x objects").isFalse();
            assertThat(tool.getJsonObject("outputSchema").getString("type")).isEqualTo("object");
            assertThat(tool.getJsonObject("annotations")).isNotNull();
        }
        JsonObject buy = tools.stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals("buy_label")).findFirst().orElseThrow();
        assertThat(buy.getJsonObject("annotations").getBoolean("destructiveHint")).isTrue();
        assertThat(buy.getJsonObject("annotations").getBoolean("readOnlyHint")).isFalse();
        JsonObject list = tools.stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals("list_shipments")).findFirst().orElseThrow();
        assertThat(list.getJsonObject("annotations").getBoolean("readOnlyHint")).isTrue();
    }

    @Test
    @DisplayName("an agent creates a shipment, buys its label and reads it back, with structured results")
    void createBuyRead() {
        JsonObject created = callTool("create_shipment", Fixtures.newShipment("MCP-1"));
        assertThat(created.getBoolean("isError")).isFalse();
        String id = created.getJsonObject("structuredContent").getString("id");
        assertThat(created.getJsonObject("structuredContent").getJsonArray("rates")).isNotEmpty();
        JsonObject bought = callTool("buy_label", new JsonObject().put("id", id).put("strategy", "cheapest"));
        assertThat(bought.getBoolean("isError")).isFalse();
        assertThat(bought.getJsonObject("structuredContent").getString("tracking_code")).isNotBlank();
        JsonObject read = callTool("get_shipment", new JsonObject().put("id", id));
        assertThat(read.getJsonObject("structuredContent").getString("label_url")).contains("/sim-files/");
        assertThat(read.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("text");
        JsonObject tracked = callTool("track_shipments", new JsonObject().put("tracking_codes",
                new JsonArray().add(bought.getJsonObject("structuredContent").getString("tracking_code"))));
        assertThat(tracked.getJsonObject("structuredContent").getJsonArray("results")).hasSize(1);
        assertThat(callTool("shipping_analytics", new JsonObject().put("date", "2026-01-01"))
                .getJsonObject("structuredContent").getLong("shipments")).isNotNull();
    }

    @Test
    @DisplayName("shipping_analytics takes days as REST /analytics?days= does (it was refused), and carrier_performance answers what GET /analytics/carriers does")
    void analyticsDaysAndCarrierPerformance() {
        JsonObject last7 = callTool("shipping_analytics", new JsonObject().put("days", 7));
        assertThat(last7.getBoolean("isError")).as(last7.encode()).isFalse();
        JsonObject rest7 = api.get("/analytics?days=7").bodyAsJsonObject();
        assertThat(last7.getJsonObject("structuredContent").getString("from")).isEqualTo(rest7.getString("from"));
        assertThat(last7.getJsonObject("structuredContent").getJsonObject("totals"))
                .isEqualTo(rest7.getJsonObject("totals"));

        JsonObject tool = rpc("tools/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream()
                .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("carrier_performance")).findFirst().orElseThrow();
        assertThat(tool.getJsonObject("annotations").getBoolean("readOnlyHint")).isTrue();
        assertThat(tool.getJsonObject("inputSchema").getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("from", "to", "days");
        for (JsonObject args : java.util.List.of(new JsonObject().put("from", "2025-03-01").put("to", "2025-03-31"),
                new JsonObject().put("days", 30))) {
            JsonObject result = callTool("carrier_performance", args);
            assertThat(result.getBoolean("isError")).as(result.encode()).isFalse();
            String query = args.containsKey("days") ? "days=30" : "from=2025-03-01&to=2025-03-31";
            assertThat(result.getJsonObject("structuredContent"))
                    .isEqualTo(api.get("/analytics/carriers?" + query).bodyAsJsonObject());
        }
        JsonObject bad = callTool("carrier_performance", new JsonObject().put("days", 7).put("from", "2025-03-01"));
        assertThat(bad.getBoolean("isError")).isTrue();
        assertThat(bad.getJsonArray("content").getJsonObject(0).getString("text")).contains("days");
    }

    @Test
    @DisplayName("list_exceptions is read-only and lists a failed parcel with its reason; the open exceptions resource reads the queue")
    void exceptions() throws Exception {
        JsonObject listed = rpc("tools/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream()
                .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("list_exceptions")).findFirst().orElseThrow();
        assertThat(listed.getJsonObject("annotations").getBoolean("readOnlyHint")).isTrue();
        assertThat(listed.getJsonObject("annotations").getBoolean("destructiveHint")).isFalse();
        JsonObject failed = ExceptionsIT.buy("MCP-EXC", null);
        ExceptionsIT.track(failed, "failure", null, TrackingUpdatesIT.detail("failure", "Damaged", ExceptionsIT.ago(1)));
        JsonObject result = callTool("list_exceptions", new JsonObject().put("reason", "failure").put("limit", 200));
        assertThat(result.getBoolean("isError")).as(result.encode()).isFalse();
        JsonObject entry = result.getJsonObject("structuredContent").getJsonArray("exceptions").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("shipment_id").equals(failed.getString("id"))).findFirst().orElseThrow();
        assertThat(entry.getJsonArray("reasons").getList()).containsExactly("failure");
        JsonObject bad = callTool("list_exceptions", new JsonObject().put("reason", "lost"));
        assertThat(bad.getBoolean("isError")).isTrue();
        String text = rpc("resources/read", new JsonObject().put("uri", "shipgate://exceptions/open")).bodyAsJsonObject()
                .getJsonObject("result").getJsonArray("contents").getJsonObject(0).getString("text");
        assertThat(new JsonObject(text).getJsonArray("exceptions")).isNotEmpty();
    }

    @Test
    @DisplayName("acknowledge_exception acknowledges once with the note and who, is audited like the route, refuses a second time, a disguised note and a read-only token")
    void acknowledgeException() throws Exception {
        JsonObject tool = rpc("tools/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("tools").stream()
                .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("acknowledge_exception")).findFirst().orElseThrow();
        assertThat(tool.getJsonObject("annotations").getBoolean("readOnlyHint")).isFalse();
        assertThat(tool.getJsonObject("annotations").getBoolean("destructiveHint")).isFalse();
        assertThat(tool.getJsonObject("inputSchema").getJsonArray("required").getList()).containsExactly("shipment_id");
        JsonObject failed = ExceptionsIT.buy("MCP-ACK", null);
        String id = failed.getString("id");
        ExceptionsIT.track(failed, "failure", null, TrackingUpdatesIT.detail("failure", "Damaged", ExceptionsIT.ago(1)));

        JsonObject disguised = callTool("acknowledge_exception", new JsonObject().put("shipment_id", id).put("note", "ok \u202Edips"));
        assertThat(disguised.getBoolean("isError")).as(disguised.encode()).isTrue();
        assertThat(disguised.getJsonArray("content").getJsonObject(0).getString("text")).contains("note");

        JsonObject reader = api.post("/tokens", new JsonObject().put("name", "mcp-ack-reader")
                .put("scopes", new JsonArray().add("read")), null).bodyAsJsonObject();
        Map<String, String> asReader = Map.of("Authorization", "Bearer " + reader.getString("token"));
        HttpResponse<Buffer> init = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "reader").put("version", "1"))), asReader);
        assertThat(init.statusCode()).as(init.bodyAsString()).isEqualTo(200);
        HttpResponse<Buffer> denied = post(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "acknowledge_exception").put("arguments", new JsonObject().put("shipment_id", id))),
                Map.of("Authorization", "Bearer " + reader.getString("token"), "Mcp-Session-Id", init.getHeader("Mcp-Session-Id"),
                        "MCP-Protocol-Version", "2025-11-25"));
        JsonObject deniedResult = denied.bodyAsJsonObject().getJsonObject("result");
        assertThat(deniedResult.getBoolean("isError")).as(denied.bodyAsString()).isTrue();
        assertThat(deniedResult.getJsonArray("content").getJsonObject(0).getString("text")).contains("403");

        JsonObject done = callTool("acknowledge_exception", new JsonObject().put("shipment_id", id).put("note", "agent: reshipping"));
        assertThat(done.getBoolean("isError")).as(done.encode()).isFalse();
        JsonObject entry = done.getJsonObject("structuredContent");
        assertThat(entry.getBoolean("acknowledged")).isTrue();
        assertThat(entry.getJsonObject("acknowledgement").getString("note")).isEqualTo("agent: reshipping");
        assertThat(entry.getJsonObject("acknowledgement").getString("by")).isEqualTo("environment");
        assertThat(entry.getJsonArray("acknowledgements")).hasSize(1);

        JsonObject again = callTool("acknowledge_exception", new JsonObject().put("shipment_id", id).put("note", "agent: again"));
        assertThat(again.getBoolean("isError")).isTrue();
        assertThat(again.getJsonArray("content").getJsonObject(0).getString("text")).contains("already-acknowledged");

        Await.until("the tool's audit rows", java.time.Duration.ofSeconds(10), () -> ExceptionsIT.auditRows(id).size() >= 4);
        List<JsonObject> rows = ExceptionsIT.auditRows(id);
        assertThat(rows.stream().map(r -> r.getInteger("status")).toList()).as("refused and denied calls name the shipment too")
                .containsExactlyInAnyOrder(200, 409, 403, 422);
        assertThat(rows).allSatisfy(r -> assertThat(r.getString("client")).endsWith("(MCP)"));
        assertThat(rows.stream().filter(r -> r.getInteger("status") == 200).map(r -> r.getString("note")).toList())
                .containsExactly("agent: reshipping");
    }

    @Test
    @DisplayName("bad arguments and EasyPost refusals come back as tool errors, unknown tools as protocol errors")
    void errors() {
        JsonObject invalid = callTool("get_shipment", new JsonObject().put("id", "not-a-uuid"));
        assertThat(invalid.getBoolean("isError")).isTrue();
        assertThat(invalid.getJsonArray("content").getJsonObject(0).getString("text")).contains("invalid_params");
        JsonObject missing = callTool("create_shipment", new JsonObject().put("reference", "x"));
        assertThat(missing.getBoolean("isError")).isTrue();
        TestApp.shared().gateway().simulator().orElseThrow().script(422);
        JsonObject refused = callTool("create_shipment", Fixtures.newShipment("MCP-REFUSED"));
        assertThat(refused.getBoolean("isError")).isTrue();
        assertThat(refused.getJsonArray("content").getJsonObject(0).getString("text")).contains("easypost");
        JsonObject unknown = rpc("tools/call", new JsonObject().put("name", "launch_rocket").put("arguments", new JsonObject()))
                .bodyAsJsonObject();
        assertThat(unknown.getJsonObject("error").getInteger("code")).isEqualTo(-32602);
        assertThat(rpc("no/such/method", null).bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32601);
    }

    @Test
    @DisplayName("resources and prompts are listed and read")
    void resourcesAndPrompts() {
        JsonArray resources = rpc("resources/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("resources");
        assertThat(resources).hasSize(3);
        JsonObject read = rpc("resources/read", new JsonObject().put("uri", "shipgate://shipments/recent")).bodyAsJsonObject();
        String text = read.getJsonObject("result").getJsonArray("contents").getJsonObject(0).getString("text");
        assertThat(new JsonObject(text).containsKey("shipments")).isTrue();
        assertThat(rpc("resources/read", new JsonObject().put("uri", "shipgate://nope")).bodyAsJsonObject()
                .getJsonObject("error")).isNotNull();
        JsonArray prompts = rpc("prompts/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("prompts");
        assertThat(prompts).hasSize(3);
        JsonObject prompt = rpc("prompts/get", new JsonObject().put("name", "compare_carriers")
                .put("arguments", new JsonObject().put("shipment_id", "abc"))).bodyAsJsonObject().getJsonObject("result");
        assertThat(prompt.getJsonArray("messages").getJsonObject(0).getJsonObject("content").getString("text")).contains("abc");
        JsonObject completion = rpc("completion/complete", new JsonObject()
                .put("ref", new JsonObject().put("type", "ref/prompt").put("name", "ship_batch"))
                .put("argument", new JsonObject().put("name", "strategy").put("value", "fa"))).bodyAsJsonObject();
        assertThat(completion.getJsonObject("result").getJsonObject("completion").getJsonArray("values").getList())
                .containsExactly("fastest");
    }

    @Test
    @DisplayName("no token is 401 with WWW-Authenticate, a foreign origin 403, GET 405, and a deleted session is gone")
    void securityAndSessions() {
        HttpResponse<Buffer> anonymous = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"), Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Bearer");
        HttpResponse<Buffer> foreign = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Origin", "https://evil.example", "Mcp-Session-Id", session));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(api.send(HttpMethod.GET, "/mcp", null).statusCode()).isEqualTo(405);
        assertThat(rpc("ping", null).statusCode()).isEqualTo(200);
        var deleted = api.client().delete("/mcp").bearerTokenAuthentication(TestApp.TOKEN).putHeader("Mcp-Session-Id", session)
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(rpc("ping", null).statusCode()).isEqualTo(404);
        session = null;
        assertThat(post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN)).statusCode()).as("no session id").isEqualTo(400);
        assertThat(post(new JsonObject().put("nonsense", true), Map.of("Authorization", "Bearer " + TestApp.TOKEN)).statusCode())
                .isEqualTo(400);
    }

    @Test
    @DisplayName("a session opened under one token does not exist under another: 404 for its messages and its DELETE")
    void sessionBoundToItsToken() {
        String other = "Bearer " + Tokens.create(TestDatabase.url(), "mcp-other-" + session.substring(0, 8));
        JsonObject ping = new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/list");
        HttpResponse<Buffer> borrowed = post(ping, Map.of("Authorization", other, "Mcp-Session-Id", session));
        assertThat(borrowed.statusCode()).isEqualTo(404);
        assertThat(borrowed.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(borrowed.bodyAsString()).doesNotContain("\"tools\"");
        var deleted = api.client().delete("/mcp").putHeader("Authorization", other).putHeader("Mcp-Session-Id", session)
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(rpc("tools/list", null).statusCode()).as("the owner's session survives").isEqualTo(200);
    }

    Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + TestApp.TOKEN);
    }

    String openSession(String version) {
        HttpResponse<Buffer> response = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                .put("params", new JsonObject().put("protocolVersion", version).put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "batcher").put("version", "2"))), auth());
        return response.getHeader("Mcp-Session-Id");
    }

    @Test
    @DisplayName("initialize without params is a -32602 error, not a server error")
    void initializeWithoutParams() {
        HttpResponse<Buffer> response = post(new JsonObject().put("jsonrpc", "2.0").put("id", 5).put("method", "initialize"), auth());
        assertThat(response.statusCode()).isLessThan(500);
        assertThat(response.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32602);
        assertThat(response.bodyAsJsonObject().getInteger("id")).isEqualTo(5);
    }

    @Test
    @DisplayName("an object without \"jsonrpc\" is an invalid request (-32600), unparseable text a parse error (-32700)")
    void invalidRequestIsNotParseError() {
        HttpResponse<Buffer> noVersion = post(new JsonObject().put("id", 3).put("method", "tools/list"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Mcp-Session-Id", session));
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(noVersion.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32600);
        HttpResponse<Buffer> garbage = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{not json"))
                .toCompletionStage().toCompletableFuture().join();
        assertThat(garbage.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
        // a tool argument given twice is never read as its last value
        HttpResponse<Buffer> twice = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Content-Type", "application/json").putHeader("Mcp-Session-Id", session)
                .sendBuffer(Buffer.buffer("{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"tools/call\", \"params\": {\"name\": "
                        + "\"buy_label\", \"arguments\": {\"strategy\": \"cheapest\", \"strategy\": \"fastest\"}}}"))
                .toCompletionStage().toCompletableFuture().join();
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("params.arguments.strategy");
    }

    @Test
    @DisplayName("a 2025-03-26 session may send a JSON-RPC batch and gets an array of answers; a 2025-11-25 session may not")
    void batchesIn20250326() {
        String old = openSession("2025-03-26");
        JsonArray batch = new JsonArray()
                .add(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"))
                .add(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
                .add(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/list"));
        HttpResponse<Buffer> answered = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Mcp-Session-Id", old).putHeader("MCP-Protocol-Version", "2025-03-26")
                .sendBuffer(batch.toBuffer()).toCompletionStage().toCompletableFuture().join();
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonArray answers = answered.bodyAsJsonArray();
        assertThat(answers).hasSize(2);
        assertThat(answers.getJsonObject(1).getJsonObject("result").getJsonArray("tools")).isNotEmpty();
        HttpResponse<Buffer> refused = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Mcp-Session-Id", session).sendBuffer(batch.toBuffer()).toCompletionStage().toCompletableFuture().join();
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }

    @Test
    @DisplayName("an MCP-Protocol-Version header naming an invalid or unsupported revision is refused with 400")
    void versionHeaderChecked() {
        for (String bad : new String[] {"2099-01-01", "not-a-version", "2026-07-28"}) {
            HttpResponse<Buffer> response = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list"),
                    Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Mcp-Session-Id", session, "MCP-Protocol-Version", bad));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.bodyAsString()).contains(bad, "2025-11-25");
        }
        HttpResponse<Buffer> older = post(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-03-26"));
        assertThat(older.statusCode()).as("a supported revision; the session's own one governs").isEqualTo(200);
    }

    @Test
    @DisplayName("an argument the schema does not allow is a tool error naming it, not an unfiltered answer")
    void unknownArgumentsRefused() {
        JsonObject result = callTool("list_shipments", new JsonObject().put("bogus", 1));
        assertThat(result.getBoolean("isError")).isTrue();
        assertThat(result.getJsonArray("content").getJsonObject(0).getString("text")).contains("bogus");
        JsonObject nested = callTool("create_shipment", Fixtures.newShipment("MCP-NESTED").put("parcel",
                Fixtures.newShipment("x").getJsonObject("parcel").copy().put("colour", "red")));
        assertThat(nested.getBoolean("isError")).isTrue();
        assertThat(nested.getJsonArray("content").getJsonObject(0).getString("text")).contains("parcel.colour");
    }

    @Test
    @DisplayName("buy_label takes label_format (in its schema) and buys in it; start_bulk_job's buy takes it too")
    void buyLabelInAFormat() {
        JsonArray tools = rpc("tools/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("tools");
        JsonObject buy = tools.stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals("buy_label")).findFirst().orElseThrow();
        assertThat(buy.getJsonObject("inputSchema").getJsonObject("properties").getJsonObject("label_format")
                .getJsonArray("enum")).containsExactly("png", "pdf", "zpl", "epl2");
        JsonObject bulk = tools.stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals("start_bulk_job")).findFirst().orElseThrow();
        assertThat(bulk.getJsonObject("inputSchema").getJsonObject("properties").getJsonObject("buy")
                .getJsonObject("properties").containsKey("label_format")).isTrue();

        String id = callTool("create_shipment", Fixtures.newShipment("MCP-ZPL")).getJsonObject("structuredContent").getString("id");
        JsonObject bought = callTool("buy_label", new JsonObject().put("id", id).put("strategy", "cheapest").put("label_format", "zpl"));
        assertThat(bought.getBoolean("isError")).as(bought.encode()).isFalse();
        assertThat(bought.getJsonObject("structuredContent").getString("label_url")).endsWith(".zpl");
    }

    @Test
    @DisplayName("over MCP too, buy_label with an unknown service and refund_label of a scanned label are tool errors naming why")
    void unknownServiceAndScannedRefund() {
        String id = callTool("create_shipment", Fixtures.newShipment("MCP-SVC")).getJsonObject("structuredContent").getString("id");
        JsonObject refused = callTool("buy_label", new JsonObject().put("id", id).put("strategy", "cheapest")
                .put("services", new JsonArray().add("NoSuchService")));
        assertThat(refused.getBoolean("isError")).as(refused.encode()).isTrue();
        assertThat(refused.encode()).contains("unknown-service", "NoSuchService", "GroundAdvantage");
        JsonObject bought = callTool("buy_label", new JsonObject().put("id", id).put("strategy", "cheapest"));
        assertThat(bought.getBoolean("isError")).as(bought.encode()).isFalse();
        TestDatabase.execute("UPDATE shipments SET status = 'in_transit' WHERE id = '" + id + "'");
        JsonObject refund = callTool("refund_label", new JsonObject().put("id", id));
        assertThat(refund.getBoolean("isError")).as(refund.encode()).isTrue();
        assertThat(refund.encode()).contains("label-scanned", "in_transit");
    }

    @Test
    @DisplayName("carrier names match whatever their case, in the API and over MCP")
    void carrierCaseInsensitive() {
        String id = callTool("create_shipment", Fixtures.newShipment("MCP-CASE")).getJsonObject("structuredContent").getString("id");
        JsonObject bought = callTool("buy_label", new JsonObject().put("id", id).put("strategy", "cheapest").put("carriers", new JsonArray().add("USPS")));
        assertThat(bought.getBoolean("isError")).as(bought.encode()).isFalse();
        assertThat(api.get("/shipments?carrier=usps&limit=200").bodyAsJsonObject().getJsonArray("shipments").stream()
                .map(o -> ((JsonObject) o).getString("id"))).contains(id);
        JsonObject listed = callTool("list_shipments", new JsonObject().put("carrier", "uSpS").put("limit", 200));
        assertThat(listed.getJsonObject("structuredContent").getJsonArray("shipments").stream()
                .map(o -> ((JsonObject) o).getString("carrier")).distinct().toList()).containsExactly("USPS");
    }

    @Test
    @DisplayName("a bulk job over the item limit is a tool error saying how to split it")
    void bulkOverLimit() {
        JsonArray shipments = new JsonArray();
        JsonObject one = Fixtures.newShipment("B");
        for (int i = 0; i < dev.shipgate.bulk.BulkRoutes.MAX_ITEMS + 1; i++) {
            shipments.add(one);
        }
        JsonObject result = callTool("start_bulk_job", new JsonObject().put("shipments", shipments));
        assertThat(result.getBoolean("isError")).isTrue();
        assertThat(result.getJsonArray("content").getJsonObject(0).getString("text")).contains("Split", "2 calls");
    }

    @Test
    @DisplayName("resource templates for one shipment and one job are listed and read")
    void resourceTemplates() {
        JsonArray templates = rpc("resources/templates/list", null).bodyAsJsonObject().getJsonObject("result").getJsonArray("resourceTemplates");
        assertThat(templates.stream().map(t -> ((JsonObject) t).getString("uriTemplate")))
                .containsExactly("shipgate://shipments/{id}", "shipgate://jobs/{id}");
        String id = callTool("create_shipment", Fixtures.newShipment("MCP-TEMPLATE")).getJsonObject("structuredContent").getString("id");
        JsonObject read = rpc("resources/read", new JsonObject().put("uri", "shipgate://shipments/" + id)).bodyAsJsonObject();
        assertThat(new JsonObject(read.getJsonObject("result").getJsonArray("contents").getJsonObject(0).getString("text"))
                .getString("id")).isEqualTo(id);
        JsonObject missing = rpc("resources/read", new JsonObject().put("uri", "shipgate://jobs/00000000-0000-0000-0000-000000000000"))
                .bodyAsJsonObject();
        assertThat(missing.getJsonObject("error").getInteger("code")).isEqualTo(-32002);
    }

    JsonObject modernMeta() {
        return new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "raw").put("version", "1"));
    }

    HttpResponse<Buffer> modern(String method, JsonObject params, Map<String, String> headers) {
        JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", nextId++).put("method", method)
                .put("params", params.put("_meta", modernMeta()));
        return post(message, headers);
    }

    @Test
    @DisplayName("revision 2026-07-28: without a session, discover, list tools and call one, with resultType and checked headers")
    void revision20260728() {
        Map<String, String> discoverHeaders = Map.of("Authorization", "Bearer " + TestApp.TOKEN, "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "server/discover");
        JsonObject discover = modern("server/discover", new JsonObject(), discoverHeaders).bodyAsJsonObject().getJsonObject("result");
        assertThat(discover.getJsonArray("supportedVersions").getList()).contains("2026-07-28", "2025-11-25", "2025-03-26");
        assertThat(discover.getString("resultType")).isEqualTo("complete");
        JsonObject tools = modern("tools/list", new JsonObject(), Map.of("Authorization", "Bearer " + TestApp.TOKEN,
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list")).bodyAsJsonObject().getJsonObject("result");
        assertThat(tools.getJsonArray("tools")).isNotEmpty();
        assertThat(tools.getString("cacheScope")).isEqualTo("private");
        HttpResponse<Buffer> call = modern("tools/call", new JsonObject().put("name", "list_shipments").put("arguments", new JsonObject().put("limit", 1)),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
                        "Mcp-Name", "list_shipments"));
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.getHeader("Mcp-Session-Id")).isNull();
        assertThat(call.bodyAsJsonObject().getJsonObject("result").getBoolean("isError")).isFalse();
        HttpResponse<Buffer> wrongName = modern("tools/call", new JsonObject().put("name", "list_shipments"),
                Map.of("Authorization", "Bearer " + TestApp.TOKEN, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
                        "Mcp-Name", "get_shipment"));
        assertThat(wrongName.statusCode()).isEqualTo(400);
        assertThat(wrongName.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32020);
        HttpResponse<Buffer> noMethodHeader = modern("tools/list", new JsonObject(), Map.of("Authorization", "Bearer " + TestApp.TOKEN,
                "MCP-Protocol-Version", "2026-07-28"));
        assertThat(noMethodHeader.statusCode()).isEqualTo(400);
        assertThat(noMethodHeader.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32020);
        JsonObject future = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/list").put("params", new JsonObject()
                .put("_meta", modernMeta().put("io.modelcontextprotocol/protocolVersion", "2099-01-01")));
        HttpResponse<Buffer> unsupported = post(future, Map.of("Authorization", "Bearer " + TestApp.TOKEN,
                "MCP-Protocol-Version", "2099-01-01", "Mcp-Method", "tools/list"));
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(unsupported.bodyAsJsonObject().getJsonObject("error").getInteger("code")).isEqualTo(-32022);
        assertThat(unsupported.bodyAsJsonObject().getJsonObject("error").getJsonObject("data").getJsonArray("supported").getList())
                .contains("2026-07-28");
    }

    @Test
    @DisplayName("a bulk job followed with a progressToken is answered as an SSE stream of progress and log notifications, then its result")
    void progressAndLogs() {
        assertThat(rpc("logging/setLevel", new JsonObject().put("level", "info")).statusCode()).isEqualTo(200);
        JsonObject params = new JsonObject().put("name", "start_bulk_job").put("_meta", new JsonObject().put("progressToken", "job-1"))
                .put("arguments", new JsonObject().put("shipments", new JsonArray().add(Fixtures.newShipment("MCP-P1")).add(Fixtures.newShipment("MCP-P2"))));
        HttpResponse<Buffer> response = rpc("tools/call", params);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
        String stream = response.bodyAsString();
        assertThat(stream).contains("\"method\":\"notifications/progress\"", "\"progressToken\":\"job-1\"", "\"total\":2",
                "\"method\":\"notifications/message\"", "\"level\":\"info\"");
        String last = stream.lines().filter(l -> l.startsWith("data: ")).reduce((a, b) -> b).orElseThrow().substring(6);
        JsonObject result = new JsonObject(last).getJsonObject("result");
        assertThat(result.getBoolean("isError")).isFalse();
        assertThat(result.getJsonObject("structuredContent").getString("state")).isEqualTo("completed");
    }

    @Test
    @DisplayName("logging/setLevel refuses a level MCP does not have")
    void badLogLevel() {
        assertThat(rpc("logging/setLevel", new JsonObject().put("level", "loud")).bodyAsJsonObject().getJsonObject("error")
                .getInteger("code")).isEqualTo(-32602);
    }

    @Test
    @DisplayName("a job of 4,000 shipments fits in one MCP message (no 413) and is accepted")
    void largeJobFits() {
        JsonArray shipments = new JsonArray();
        for (int i = 0; i < 4000; i++) {
            shipments.add(Fixtures.newShipment("MCP-BIG-" + i));
        }
        assertThat(shipments.encode().length()).as("larger than the API's general body limit").isGreaterThan(1 << 20);
        JsonObject result = callTool("start_bulk_job", new JsonObject().put("shipments", shipments));
        assertThat(result.getBoolean("isError")).as(result.encode()).isFalse();
        assertThat(result.getJsonObject("structuredContent").getInteger("total")).isEqualTo(4000);
        api.send(HttpMethod.POST, "/jobs/" + result.getJsonObject("structuredContent").getString("id") + "/cancel", Buffer.buffer("{}"));
    }
}
