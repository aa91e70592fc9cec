package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tokens an agent can be trusted with: scopes, spend limits, approvals, dry runs, revocation and the
 * audit trail, through the real API, PostgreSQL and the EasyPost client against the simulator. The
 * cheapest simulated rate for the fixture parcel is USPS GroundAdvantage at 5.77 USD.
 */
@DisplayName("Agent tokens: scopes, limits, approvals, audit")
class AgentLimitsIT {

    private static final String CHEAPEST = "{\"strategy\":\"cheapest\"}";

    static Api admin;
    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        ShipgateApp app = TestApp.shared();
        admin = new Api(app.config().httpPort(), TestApp.TOKEN);
        simulator = app.gateway().simulator().orElseThrow();
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    /** A new token through {@code POST /tokens}: its secret and id. */
    static JsonObject token(String name, String scopes, String maxLabelCost, String dailySpend, String approvalAbove) {
        JsonObject body = new JsonObject().put("name", name).put("scopes", new JsonArray(List.of(scopes.split(","))))
                .put("max_label_cost", maxLabelCost).put("daily_spend", dailySpend).put("approval_above", approvalAbove);
        HttpResponse<Buffer> created = admin.post("/tokens", body, null);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("token")).startsWith("sg_");
        return created.bodyAsJsonObject();
    }

    static Future<HttpResponse<Buffer>> send(String token, String userAgent, HttpMethod method, String uri, String body) {
        HttpRequest<Buffer> request = admin.client().request(method, uri).timeout(60_000).bearerTokenAuthentication(token);
        if (userAgent != null) {
            request.putHeader("User-Agent", userAgent);
        }
        return body == null ? request.send() : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body));
    }

    static HttpResponse<Buffer> call(String token, String userAgent, HttpMethod method, String uri, String body) {
        try {
            return send(token, userAgent, method, uri, body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + uri, e);
        }
    }

    static String shipment(String reference) {
        return Fixtures.created(admin, reference).getString("id");
    }

    /** The pending approval a buy of the cheapest rate of {@code shipment} by {@code agent} (above its approval_above) waits as. */
    static JsonObject pendingApproval(JsonObject agent, String shipment) {
        HttpResponse<Buffer> waiting = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + shipment + "/buy", CHEAPEST);
        assertThat(waiting.statusCode()).as(waiting.bodyAsString()).isEqualTo(202);
        return waiting.bodyAsJsonObject().getJsonObject("approval");
    }

    static String easypostId(String shipment) {
        return admin.get("/shipments/" + shipment).bodyAsJsonObject().getString("easypost_id");
    }

    @Test
    @DisplayName("a read token is refused on buy with 403 naming the missing 'buy' scope, and nothing is bought")
    void readTokenCannotBuy() {
        String secret = token("reader", "read", null, null, null).getString("token");
        String id = shipment("SCOPE-1");
        HttpResponse<Buffer> refused = call(secret, null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/missing-scope");
        assertThat(refused.bodyAsJsonObject().getString("missing_scope")).isEqualTo("buy");
        assertThat(simulator.purchases(easypostId(id))).isZero();
        assertThat(call(secret, null, HttpMethod.GET, "/shipments/" + id, null).statusCode()).isEqualTo(200);
        assertThat(call(secret, null, HttpMethod.GET, "/tokens", null).bodyAsJsonObject().getString("missing_scope"))
                .isEqualTo("admin");
        assertThat(call(secret, null, HttpMethod.POST, "/shipments", Fixtures.newShipment("SCOPE-2").encode())
                .bodyAsJsonObject().getString("missing_scope")).isEqualTo("ship");
        assertThat(call(secret, null, HttpMethod.GET, "/api/shipments/" + id, null).statusCode()).isEqualTo(200);
        assertThat(call(secret, null, HttpMethod.POST, "/api/shipments/" + id + "/buy", CHEAPEST).statusCode()).isEqualTo(403);
    }

    @Test
    @DisplayName("a label above the token's per-label limit is refused with the label cost and the limit")
    void perLabelLimit() {
        String secret = token("small-labels", "read,buy", "5.00", null, null).getString("token");
        String id = shipment("LIMIT-1");
        HttpResponse<Buffer> refused = call(secret, null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        JsonObject problem = refused.bodyAsJsonObject();
        assertThat(problem.getString("type")).endsWith("/label-cost-limit");
        assertThat(problem.getString("limit")).isEqualTo("5.00");
        assertThat(new BigDecimal(problem.getString("label_cost"))).isGreaterThan(new BigDecimal("5.00"));
        assertThat(problem.getString("detail")).contains(problem.getString("label_cost"), "5.00");
        assertThat(simulator.purchases(easypostId(id))).isZero();
    }

    @Test
    @DisplayName("20 concurrent buys against a daily limit that allows 3 labels buy exactly 3, at EasyPost too")
    void concurrentBuysStayWithinTheDailyLimit() throws Exception {
        JsonObject token = token("daily-three", "read,buy", null, "20.00", null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(shipment("DAILY-" + i));
        }
        List<Future<HttpResponse<Buffer>>> buys = new ArrayList<>();
        for (String id : ids) {
            buys.add(send(token.getString("token"), "race/1.0", HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST));
        }
        Future.join(buys).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        int bought = 0;
        int refused = 0;
        for (Future<HttpResponse<Buffer>> f : buys) {
            HttpResponse<Buffer> r = f.result();
            if (r.statusCode() == 200) {
                bought++;
            } else {
                assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(403);
                assertThat(r.bodyAsJsonObject().getString("type")).endsWith("/daily-spend-limit");
                assertThat(r.bodyAsJsonObject().getString("limit")).isEqualTo("20.00");
                assertThat(r.bodyAsJsonObject().getString("spent_today")).isNotNull();
                refused++;
            }
        }
        assertThat(bought).isEqualTo(3);
        assertThat(refused).isEqualTo(17);
        assertThat(ids.stream().mapToInt(id -> simulator.purchases(easypostId(id))).sum()).isEqualTo(3);
        JsonObject listed = admin.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream()
                .map(JsonObject.class::cast).filter(t -> t.getString("id").equals(token.getString("id"))).findFirst().orElseThrow();
        assertThat(new BigDecimal(listed.getString("spent_today"))).isLessThanOrEqualTo(new BigDecimal("20.00"))
                .isGreaterThan(new BigDecimal("15.00"));
        assertThat(listed.containsKey("token")).isFalse();
        assertThat(listed.encode()).doesNotContain("hash");
    }

    @Test
    @DisplayName("a purchase EasyPost clearly refuses gives its reservation back: the day's one allowed label can still be bought")
    void refusedPurchaseGivesTheSpendBack() {
        JsonObject agent = token("one-label-a-day", "read,buy", null, "6.00", null);
        String id = shipment("REFUSED-1");
        simulator.script(402);
        HttpResponse<Buffer> refused = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(402);
        assertThat(spentToday(agent)).isEqualTo("0.00");
        HttpResponse<Buffer> bought = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(spentToday(agent)).isEqualTo(bought.bodyAsJsonObject().getString("rate"));
        assertThat(simulator.purchases(easypostId(id))).isEqualTo(1);
    }

    static String spentToday(JsonObject token) {
        return admin.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("id").equals(token.getString("id"))).findFirst().orElseThrow().getString("spent_today");
    }

    @Test
    @DisplayName("above approval_above a buy waits as a pending approval; approving twice at once buys exactly one label")
    void approvalRoundTrip() throws Exception {
        JsonObject agent = token("needs-approval", "read,buy", null, null, "5.00");
        String id = shipment("APPROVE-1");
        HttpResponse<Buffer> waiting = call(agent.getString("token"), "agent/2.0", HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(waiting.statusCode()).as(waiting.bodyAsString()).isEqualTo(202);
        JsonObject approval = waiting.bodyAsJsonObject().getJsonObject("approval");
        assertThat(approval.getString("status")).isEqualTo("pending");
        assertThat(approval.getString("shipment_id")).isEqualTo(id);
        assertThat(approval.getString("requested_by")).isEqualTo("needs-approval");
        assertThat(approval.getJsonObject("rate").getString("carrier")).isEqualTo("USPS");
        assertThat(approval.getJsonObject("rate").getString("rate")).isNotBlank();
        assertThat(approval.getString("created_at")).isNotBlank();
        assertThat(simulator.purchases(easypostId(id))).isZero();
        String approvalId = approval.getString("id");

        HttpResponse<Buffer> own = call(agent.getString("token"), null, HttpMethod.GET, "/approvals?status=pending", null);
        assertThat(own.bodyAsJsonObject().getJsonArray("approvals").stream().map(JsonObject.class::cast)
                .map(a -> a.getString("id"))).containsExactly(approvalId);
        assertThat(call(agent.getString("token"), null, HttpMethod.POST, "/approvals/" + approvalId + "/approve", null)
                .statusCode()).isEqualTo(403);

        Future<HttpResponse<Buffer>> first = send(TestApp.TOKEN, "dashboard", HttpMethod.POST, "/approvals/" + approvalId + "/approve", null);
        Future<HttpResponse<Buffer>> second = send(TestApp.TOKEN, "dashboard", HttpMethod.POST, "/approvals/" + approvalId + "/approve", null);
        Future.join(first, second).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(first.result().statusCode()).as(first.result().bodyAsString()).isEqualTo(200);
        assertThat(second.result().statusCode()).as(second.result().bodyAsString()).isEqualTo(200);
        assertThat(simulator.purchases(easypostId(id))).isEqualTo(1);
        JsonObject decided = admin.get("/approvals/" + approvalId).bodyAsJsonObject().getJsonObject("approval");
        assertThat(decided.getString("status")).isEqualTo("approved");
        assertThat(decided.getString("label_url")).isNotBlank();
        assertThat(admin.get("/shipments/" + id).bodyAsJsonObject().getString("label_url")).isEqualTo(decided.getString("label_url"));
        HttpResponse<Buffer> reject = admin.post("/approvals/" + approvalId + "/reject", new JsonObject(), null);
        assertThat(reject.statusCode()).isEqualTo(409);
        assertThat(reject.bodyAsJsonObject().getString("type")).endsWith("/approval-decided");
        // RFC 9457's status stays the number; the approval's own state is an extension of its own name.
        assertThat(reject.bodyAsJsonObject().getValue("status")).isEqualTo(409);
        assertThat(reject.bodyAsJsonObject().getString("approval_status")).isEqualTo("approved");
    }

    @Test
    @DisplayName("approving the purchase of a token revoked meanwhile buys nothing and marks the approval failed")
    void approvalOfARevokedToken() {
        JsonObject agent = token("revoked-before-approval", "read,buy", null, null, "1.00");
        String id = shipment("APPROVE-REVOKED");
        String approvalId = pendingApproval(agent, id).getString("id");
        assertThat(admin.send(HttpMethod.DELETE, "/tokens/" + agent.getString("id"), null).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> approved = admin.post("/approvals/" + approvalId + "/approve", new JsonObject(), null);
        assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(403);
        assertThat(approved.bodyAsJsonObject().getString("type")).endsWith("/token-revoked");
        assertThat(approved.bodyAsJsonObject().getString("approval_id")).isEqualTo(approvalId);
        JsonObject failed = admin.get("/approvals/" + approvalId).bodyAsJsonObject().getJsonObject("approval");
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getJsonObject("problem").getString("type")).endsWith("/token-revoked");
        assertThat(simulator.purchases(easypostId(id))).isZero();
    }

    @Test
    @DisplayName("a dry run answers the rate and the verdict and buys and reserves nothing")
    void dryRun() {
        JsonObject agent = token("dry", "read,buy", null, "100.00", "5.00");
        String id = shipment("DRY-1");
        HttpResponse<Buffer> answer = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy",
                "{\"strategy\":\"cheapest\",\"dry_run\":true}");
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        JsonObject body = answer.bodyAsJsonObject();
        assertThat(body.getBoolean("dry_run")).isTrue();
        assertThat(body.getString("verdict")).isEqualTo("approval_required");
        assertThat(body.getJsonObject("rate").getString("carrier")).isEqualTo("USPS");
        assertThat(simulator.purchases(easypostId(id))).isZero();
        assertThat(admin.get("/shipments/" + id).bodyAsJsonObject().getString("label_url")).isNull();
        assertThat(admin.get("/approvals?status=pending").bodyAsJsonObject().getJsonArray("approvals").stream()
                .map(JsonObject.class::cast).noneMatch(a -> a.getString("shipment_id").equals(id))).isTrue();
        JsonObject limited = token("dry-limited", "read,buy", "5.00", null, null);
        JsonObject refused = call(limited.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy",
                "{\"strategy\":\"cheapest\",\"dry_run\":true}").bodyAsJsonObject();
        assertThat(refused.getString("verdict")).isEqualTo("refused");
        assertThat(refused.getString("limit")).isEqualTo("max_label_cost");
        assertThat(admin.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("id").equals(agent.getString("id"))).findFirst().orElseThrow()
                .getString("spent_today")).isEqualTo("0.00");
    }

    @Test
    @DisplayName("the audit trail names the token and the User-Agent of each purchase, with its amount and outcome")
    void auditTrail() {
        JsonObject agent = token("audited-agent", "read,ship,buy", null, null, null);
        String id = new JsonObject(call(agent.getString("token"), "claude-desktop/1.4.2 (MCP)", HttpMethod.POST, "/shipments",
                Fixtures.newShipment("AUDIT-1").encode()).bodyAsString()).getString("id");
        HttpResponse<Buffer> bought = call(agent.getString("token"), "claude-desktop/1.4.2 (MCP)", HttpMethod.POST,
                "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        JsonArray entries = Await.value("the purchase's audit row", java.time.Duration.ofSeconds(10),
                () -> admin.get("/audit?token=" + agent.getString("id")).bodyAsJsonObject().getJsonArray("entries"),
                e -> e.stream().map(JsonObject.class::cast).anyMatch(x -> Integer.valueOf(200).equals(x.getInteger("status"))
                        && "buy_label".equals(x.getString("operation"))) && e.size() >= 2);
        JsonObject purchase = entries.stream().map(JsonObject.class::cast)
                .filter(x -> "buy_label".equals(x.getString("operation"))).findFirst().orElseThrow();
        assertThat(purchase.getString("token_name")).isEqualTo("audited-agent");
        assertThat(purchase.getString("client")).isEqualTo("claude-desktop/1.4.2 (MCP)");
        assertThat(purchase.getString("shipment_id")).isEqualTo(id);
        assertThat(purchase.getString("amount")).isEqualTo(bought.bodyAsJsonObject().getString("rate"));
        assertThat(purchase.getString("request_id")).isEqualTo(bought.getHeader("X-Request-Id"));
        JsonObject creation = entries.stream().map(JsonObject.class::cast)
                .filter(x -> "create_shipment".equals(x.getString("operation"))).findFirst().orElseThrow();
        assertThat(creation.getInteger("status")).isEqualTo(201);
        assertThat(creation.getString("shipment_id")).isEqualTo(id);
        JsonObject reader = token("audit-reader", "read", null, null, null);
        assertThat(call(reader.getString("token"), null, HttpMethod.GET, "/audit", null).statusCode()).isEqualTo(403);
        assertThat(admin.get("/audit?operation=buy_label&limit=1").bodyAsJsonObject().getJsonArray("entries")).hasSize(1);
        assertThat(admin.get("/audit?from=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    @DisplayName("a refusal answered through Idempotency, first and replayed, leaves its problem type in the audit row")
    void refusalsStoredByIdempotencyAreAuditedWithTheirProblem() {
        JsonObject agent = token("refused-creator", "read,ship", null, null, null);
        try (Api api = new Api(TestApp.shared().config().httpPort(), agent.getString("token"))) {
            JsonObject invalid = new JsonObject().put("reference", "AUDIT-REFUSED");
            HttpResponse<Buffer> first = api.post("/shipments", invalid, "audit-refused-1");
            assertThat(first.statusCode()).as(first.bodyAsString()).isBetween(400, 499);
            String type = first.bodyAsJsonObject().getString("type");
            assertThat(type).isNotBlank();
            HttpResponse<Buffer> replayed = api.post("/shipments", invalid, "audit-refused-1");
            assertThat(replayed.getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replayed.statusCode()).isEqualTo(first.statusCode());

            JsonArray rows = Await.value("both refusals' audit rows", java.time.Duration.ofSeconds(10),
                    () -> admin.get("/audit?operation=create_shipment&token=" + agent.getString("id")).bodyAsJsonObject()
                            .getJsonArray("entries"),
                    e -> e.size() >= 2);
            assertThat(rows).hasSize(2).allSatisfy(row -> {
                JsonObject entry = (JsonObject) row;
                assertThat(entry.getInteger("status")).isEqualTo(first.statusCode());
                assertThat(entry.getString("problem_type")).isEqualTo(type);
            });
        }
    }

    @Test
    @DisplayName("a pickup's price counts against the daily limit: below it the buy is refused with daily-spend-limit and nothing is bought; within it the price is spent")
    void pickupPurchasesCountAgainstTheDailyLimit() {
        String shipment = shipment("PICKUP-SPEND-1");
        HttpResponse<Buffer> label = admin.post("/shipments/" + shipment + "/buy",
                new JsonObject().put("strategy", "cheapest").put("carriers", new JsonArray().add("UPS")));
        assertThat(label.statusCode()).as(label.bodyAsString()).isEqualTo(200);
        HttpResponse<Buffer> created = admin.post("/pickups", EndOfDayIT.pickupRequest(shipment, EndOfDayIT.tomorrowAt(9),
                EndOfDayIT.tomorrowAt(17)));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject pickup = created.bodyAsJsonObject();
        JsonObject rate = pickup.getJsonArray("rates").getJsonObject(0);
        BigDecimal price = new BigDecimal(rate.getString("rate"));
        assertThat(price).isGreaterThan(new BigDecimal("1.00"));
        String choice = new JsonObject().put("carrier", rate.getString("carrier")).put("service", rate.getString("service")).encode();

        JsonObject thrifty = token("pickup-thrifty", "read,buy", null, "1.00", null);
        HttpResponse<Buffer> refused = call(thrifty.getString("token"), null, HttpMethod.POST,
                "/pickups/" + pickup.getString("id") + "/buy", choice);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/daily-spend-limit");
        assertThat(refused.bodyAsJsonObject().getString("limit")).isEqualTo("1.00");
        assertThat(simulator.pickupPurchases(pickup.getString("easypost_id"))).isZero();
        assertThat(admin.get("/pickups/" + pickup.getString("id")).bodyAsJsonObject().getString("status")).isEqualTo("unknown");
        assertThat(spentToday(thrifty.getString("id"))).isEqualTo("0.00");

        JsonObject enough = token("pickup-enough", "read,buy", null, "50.00", null);
        HttpResponse<Buffer> bought = call(enough.getString("token"), null, HttpMethod.POST,
                "/pickups/" + pickup.getString("id") + "/buy", choice);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(simulator.pickupPurchases(pickup.getString("easypost_id"))).isEqualTo(1);
        assertThat(new BigDecimal(spentToday(enough.getString("id")))).isEqualByComparingTo(price);
    }

    static String spentToday(String tokenId) {
        return admin.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("id").equals(tokenId)).findFirst().orElseThrow().getString("spent_today");
    }

    @Test
    @DisplayName("a revoked token is refused on the very next request")
    void revokeIsImmediate() {
        JsonObject agent = token("short-lived", "read", null, null, null);
        assertThat(call(agent.getString("token"), null, HttpMethod.GET, "/shipments?limit=1", null).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> revoked = admin.send(HttpMethod.DELETE, "/tokens/" + agent.getString("id"), null);
        assertThat(revoked.statusCode()).as(revoked.bodyAsString()).isEqualTo(200);
        assertThat(revoked.bodyAsJsonObject().getString("revoked_at")).isNotBlank();
        HttpResponse<Buffer> after = call(agent.getString("token"), null, HttpMethod.GET, "/shipments?limit=1", null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(admin.send(HttpMethod.DELETE, "/tokens/" + java.util.UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("token create on the command line takes scopes and limits; the token it prints is held to them")
    void cliCreatesScopedTokens() {
        java.util.Map<String, String> env = java.util.Map.of("DATABASE_URL", TestApp.databaseUrl(TestDatabase.url()));
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int code;
        System.setOut(new java.io.PrintStream(printed, true));
        try {
            code = Main.run(new String[] {"token", "create", "--name", "cli-agent", "--scopes", "read,ship",
                    "--max-label-cost", "25.00", "--daily-spend", "200.00"}, env, new java.io.PrintWriter(new java.io.StringWriter()),
                    new java.io.PrintWriter(err));
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).as(err.toString()).isZero();
        String[] lines = printed.toString().trim().split("\n");
        String secret = lines[lines.length - 1].trim(); // the test's logging shares standard output
        assertThat(secret).startsWith("sg_");
        assertThat(call(secret, null, HttpMethod.GET, "/shipments?limit=1", null).statusCode()).isEqualTo(200);
        assertThat(call(secret, null, HttpMethod.POST, "/shipments/" + java.util.UUID.randomUUID() + "/buy", CHEAPEST)
                .bodyAsJsonObject().getString("missing_scope")).isEqualTo("buy");
        JsonObject listed = admin.get("/tokens").bodyAsJsonObject().getJsonArray("tokens").stream().map(JsonObject.class::cast)
                .filter(t -> t.getString("name").equals("cli-agent")).findFirst().orElseThrow();
        assertThat(listed.getString("max_label_cost")).isEqualTo("25.00");
        assertThat(listed.getString("daily_spend")).isEqualTo("200.00");
        java.io.StringWriter refused = new java.io.StringWriter();
        assertThat(Main.run(new String[] {"token", "create", "--name", "x", "--scopes", "read,root"}, env,
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(refused, true))).isEqualTo(2);
        assertThat(refused.toString()).contains("shipgate token create: --scopes").doesNotContain("startup refused");
        java.io.StringWriter noScopes = new java.io.StringWriter();
        assertThat(Main.run(new String[] {"token", "create", "--name", "x"}, env,
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(noScopes, true))).isEqualTo(2);
        assertThat(noScopes.toString()).contains("--scopes");
    }

    @Test
    @DisplayName("a token is created only with known scopes and USD limits, each fault named")
    void tokenValidation() {
        HttpResponse<Buffer> bad = admin.post("/tokens", new JsonObject().put("name", "x").put("scopes", new JsonArray().add("root"))
                .put("daily_spend", "-1"), null);
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.bodyAsJsonObject().getJsonArray("invalid_params").stream().map(JsonObject.class::cast)
                .map(p -> p.getString("name"))).contains("scopes", "daily_spend");
        assertThat(admin.post("/tokens", new JsonObject().put("name", "x").put("scopes", new JsonArray().add("read"))
                .put("max_label_cost", "1.234"), null).statusCode()).isEqualTo(422);
    }

    @Test
    @DisplayName("buying a shipment directly while its approval waits closes the approval as superseded, and approving it then answers 409 already-bought")
    void directPurchaseSupersedesThePendingApproval() {
        JsonObject agent = token("approval-then-direct", "read,buy", null, null, "6.00");
        String id = shipment("APPROVE-DIRECT");
        HttpResponse<Buffer> waiting = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy",
                "{\"strategy\":\"cheapest\",\"services\":[\"Priority\"]}");
        assertThat(waiting.statusCode()).as(waiting.bodyAsString()).isEqualTo(202);
        JsonObject approval = waiting.bodyAsJsonObject().getJsonObject("approval");
        assertThat(approval.getJsonObject("rate").getString("service")).isEqualTo("Priority");
        String approvalId = approval.getString("id");

        HttpResponse<Buffer> direct = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(direct.statusCode()).as(direct.bodyAsString()).isEqualTo(200);
        assertThat(direct.bodyAsJsonObject().getString("service")).isNotEqualTo("Priority");

        JsonObject closed = admin.get("/approvals/" + approvalId).bodyAsJsonObject().getJsonObject("approval");
        assertThat(closed.getString("status")).isEqualTo("superseded");
        assertThat(closed.getJsonObject("problem").getString("type")).endsWith("/already-bought");
        assertThat(closed.getJsonObject("problem").getString("detail")).contains("bought directly");
        assertThat(admin.get("/approvals?status=pending").bodyAsJsonObject().getJsonArray("approvals").stream()
                .map(JsonObject.class::cast).noneMatch(a -> a.getString("id").equals(approvalId))).isTrue();

        HttpResponse<Buffer> approved = admin.post("/approvals/" + approvalId + "/approve", new JsonObject(), null);
        assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(409);
        assertThat(approved.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(approved.bodyAsJsonObject().getString("type")).endsWith("/already-bought");
        assertThat(approved.bodyAsJsonObject().getString("label_url")).isEqualTo(direct.bodyAsJsonObject().getString("label_url"));
        JsonObject after = admin.get("/approvals/" + approvalId).bodyAsJsonObject().getJsonObject("approval");
        assertThat(after.getString("status")).isEqualTo("superseded");
        assertThat(simulator.purchases(easypostId(id))).isEqualTo(1);
    }

    @Test
    @DisplayName("a buy refused for a missing scope leaves an audit row with its 403 and missing-scope; a read refused the same way leaves none")
    void deniedBuyIsAudited() {
        JsonObject reader = token("denied-buyer", "read", null, null, null);
        String id = shipment("AUDIT-DENIED");
        HttpResponse<Buffer> refused = call(reader.getString("token"), "denied-agent/1.0", HttpMethod.POST,
                "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        assertThat(call(reader.getString("token"), null, HttpMethod.GET, "/tokens", null).statusCode()).isEqualTo(403);
        JsonArray entries = Await.value("the denied purchase's audit row", java.time.Duration.ofSeconds(10),
                () -> admin.get("/audit?token=" + reader.getString("id")).bodyAsJsonObject().getJsonArray("entries"),
                e -> !e.isEmpty());
        assertThat(entries).hasSize(1);
        JsonObject row = entries.getJsonObject(0);
        assertThat(row.getString("operation")).isEqualTo("buy_label");
        assertThat(row.getInteger("status")).isEqualTo(403);
        assertThat(row.getString("problem_type")).endsWith("/missing-scope");
        assertThat(row.getString("shipment_id")).isEqualTo(id);
        assertThat(row.getString("token_name")).isEqualTo("denied-buyer");
        assertThat(row.getString("client")).isEqualTo("denied-agent/1.0");
        assertThat(row.getString("request_id")).isEqualTo(refused.getHeader("X-Request-Id"));
    }

    @Test
    @DisplayName("an approve_purchase audit row names the approval's shipment and its amount")
    void approvalDecisionAuditNamesShipmentAndAmount() {
        JsonObject agent = token("audited-approval", "read,buy", null, null, "5.00");
        String id = shipment("AUDIT-APPROVE");
        JsonObject approval = pendingApproval(agent, id);
        HttpResponse<Buffer> approved = admin.post("/approvals/" + approval.getString("id") + "/approve", new JsonObject(), null);
        assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(200);
        JsonObject row = Await.value("the approve_purchase row", java.time.Duration.ofSeconds(10),
                () -> admin.get("/audit?operation=approve_purchase&limit=50").bodyAsJsonObject().getJsonArray("entries")
                        .stream().map(JsonObject.class::cast)
                        .filter(e -> approval.getString("id").equals(e.getString("approval_id"))).findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertThat(row.getString("shipment_id")).isEqualTo(id);
        assertThat(row.getString("amount")).isEqualTo(approval.getJsonObject("rate").getString("rate"));
        assertThat(row.getInteger("status")).isEqualTo(200);
    }

    @Test
    @DisplayName("a bulk job that buys stops at the submitting token's daily limit: later items fail with the limit problem")
    void bulkStopsAtTheDailyLimit() {
        JsonObject agent = token("bulk-agent", "read,ship,buy", null, "12.00", null);
        HttpResponse<Buffer> accepted = call(agent.getString("token"), "bulk/1.0", HttpMethod.POST, "/shipments/bulk-create",
                Fixtures.bulk(5, "cheapest").encode());
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String job = accepted.bodyAsJsonObject().getString("id");
        JsonObject done = Await.value("the job to complete", java.time.Duration.ofSeconds(60),
                () -> admin.get("/jobs/" + job).bodyAsJsonObject(),
                j -> "completed".equals(j.getJsonObject("job").getString("state")));
        JsonArray items = done.getJsonArray("items");
        long succeeded = items.stream().map(JsonObject.class::cast).filter(i -> "succeeded".equals(i.getString("state"))).count();
        List<JsonObject> failed = items.stream().map(JsonObject.class::cast).filter(i -> "failed".equals(i.getString("state"))).toList();
        assertThat(succeeded).as(done.encodePrettily()).isEqualTo(2);
        assertThat(failed).hasSize(3);
        assertThat(failed).allSatisfy(i -> assertThat(i.getJsonObject("error").getString("type")).endsWith("/daily-spend-limit"));
        JsonObject reader = token("bulk-reader", "read,ship", null, null, null);
        HttpResponse<Buffer> noBuy = call(reader.getString("token"), null, HttpMethod.POST, "/shipments/bulk-create",
                Fixtures.bulk(1, "cheapest").encode());
        assertThat(noBuy.statusCode()).isEqualTo(403);
        assertThat(noBuy.bodyAsJsonObject().getString("missing_scope")).isEqualTo("buy");
    }

    /** The cheapest rate of {@code shipment}, USD, as a dry run by the admin token answers it. */
    static BigDecimal cheapestRate(String shipment) {
        HttpResponse<Buffer> dry = admin.post("/shipments/" + shipment + "/buy",
                new JsonObject().put("strategy", "cheapest").put("dry_run", true), null);
        assertThat(dry.statusCode()).as(dry.bodyAsString()).isEqualTo(200);
        return new BigDecimal(dry.bodyAsJsonObject().getJsonObject("rate").getString("rate"));
    }

    @Test
    @DisplayName("insurance counts against max_label_cost: a label that fits alone is refused once insured for 100.00, whose fee bound is 1.00")
    void insuranceCountsAgainstThePerLabelLimit() {
        String id = shipment("INS-LIMIT-1");
        BigDecimal rate = cheapestRate(id);
        String secret = token("insured-small", "read,buy", rate.add(new BigDecimal("0.99")).toPlainString(), null, null)
                .getString("token");
        String insured = "{\"strategy\":\"cheapest\",\"insurance\":\"100.00\"}";
        HttpResponse<Buffer> refused = call(secret, null, HttpMethod.POST, "/shipments/" + id + "/buy", insured);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/label-cost-limit");
        assertThat(refused.bodyAsJsonObject().getString("label_cost")).isEqualTo(rate.add(new BigDecimal("1.00")).toPlainString());
        assertThat(simulator.purchases(easypostId(id))).isZero();

        HttpResponse<Buffer> dry = call(secret, null, HttpMethod.POST, "/shipments/" + id + "/buy",
                "{\"strategy\":\"cheapest\",\"insurance\":\"100.00\",\"dry_run\":true}");
        assertThat(dry.bodyAsJsonObject().getString("verdict")).isEqualTo("refused");
        assertThat(dry.bodyAsJsonObject().getString("insurance_fee")).isEqualTo("1.00");
        assertThat(dry.bodyAsJsonObject().getString("limit")).isEqualTo("max_label_cost");

        HttpResponse<Buffer> plain = call(secret, null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(plain.statusCode()).as(plain.bodyAsString()).isEqualTo(200);
    }

    @Test
    @DisplayName("an insured purchase reserves postage plus the 1.00 fee bound against daily_spend, and is trued up to the 0.50 EasyPost charged")
    void insuranceCountsAgainstTheDailyLimit() {
        String tight = shipment("INS-DAY-1");
        BigDecimal rate = cheapestRate(tight);
        String insured = "{\"strategy\":\"cheapest\",\"insurance\":\"100.00\"}";
        JsonObject short1 = token("insured-day-short", "read,buy", null, rate.add(new BigDecimal("0.99")).toPlainString(), null);
        HttpResponse<Buffer> refused = call(short1.getString("token"), null, HttpMethod.POST, "/shipments/" + tight + "/buy", insured);
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/daily-spend-limit");
        assertThat(simulator.purchases(easypostId(tight))).isZero();
        assertThat(spentToday(short1)).isEqualTo("0.00");

        JsonObject enough = token("insured-day", "read,buy", null, rate.add(new BigDecimal("1.00")).toPlainString(), null);
        HttpResponse<Buffer> bought = call(enough.getString("token"), null, HttpMethod.POST, "/shipments/" + tight + "/buy", insured);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("insured_amount")).isEqualTo("100.00");
        assertThat(bought.bodyAsJsonObject().getString("insurance_fee")).isEqualTo("0.50");
        assertThat(Await.value("the reservation trued up to the fee charged", java.time.Duration.ofSeconds(10),
                () -> spentToday(enough), rate.add(new BigDecimal("0.50")).toPlainString()::equals))
                .isEqualTo(rate.add(new BigDecimal("0.50")).toPlainString());
    }

    @Test
    @DisplayName("insuring a bought shipment reserves its fee against daily_spend: refused with daily-spend-limit when the day has no room, nothing insured")
    void insuringLaterCountsAgainstTheDailyLimit() {
        String id = shipment("INS-LATER-1");
        BigDecimal rate = cheapestRate(id);
        JsonObject agent = token("insure-later", "read,buy", null, rate.add(new BigDecimal("0.99")).toPlainString(), null);
        HttpResponse<Buffer> bought = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        HttpResponse<Buffer> refused = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/insure",
                "{\"amount\":\"100.00\"}");
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(403);
        assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/daily-spend-limit");
        assertThat(admin.get("/shipments/" + id).bodyAsJsonObject().getValue("insured_amount")).isNull();
        assertThat(spentToday(agent)).isEqualTo(rate.toPlainString());

        JsonObject roomy = token("insure-later-roomy", "read,buy", null, "100.00", null);
        String other = shipment("INS-LATER-2");
        HttpResponse<Buffer> otherBought = call(roomy.getString("token"), null, HttpMethod.POST, "/shipments/" + other + "/buy", CHEAPEST);
        assertThat(otherBought.statusCode()).as(otherBought.bodyAsString()).isEqualTo(200);
        HttpResponse<Buffer> insured = call(roomy.getString("token"), null, HttpMethod.POST, "/shipments/" + other + "/insure",
                "{\"amount\":\"50.00\"}");
        assertThat(insured.statusCode()).as(insured.bodyAsString()).isEqualTo(200);
        assertThat(insured.bodyAsJsonObject().getString("insurance_fee")).isEqualTo("0.25");
        assertThat(spentToday(roomy)).as("postage plus the 0.25 charged, not the 1.00 minimum reserved")
                .isEqualTo(new BigDecimal(otherBought.bodyAsJsonObject().getString("rate")).add(new BigDecimal("0.25")).toPlainString());
    }

    @Test
    @DisplayName("an insurance whose answer is lost is read back: insured at EasyPost, it is recorded and its fee charged once; not insured, the fee is given back")
    void insuranceWithAnUnknownOutcomeIsSettled() {
        JsonObject agent = token("insure-lost", "read,buy", null, "100.00", null);
        String id = shipment("INS-LOST-1");
        HttpResponse<Buffer> bought = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy", CHEAPEST);
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        BigDecimal postage = new BigDecimal(bought.bodyAsJsonObject().getString("rate"));

        simulator.script(EasyPostSimulator.APPLY_THEN_EMPTY);
        HttpResponse<Buffer> insured = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/insure",
                "{\"amount\":\"50.00\"}");
        assertThat(insured.statusCode()).as(insured.bodyAsString()).isEqualTo(200);
        assertThat(insured.bodyAsJsonObject().getString("insured_amount")).isEqualTo("50.00");
        assertThat(insured.bodyAsJsonObject().getString("insurance_fee")).isEqualTo("0.25");
        assertThat(spentToday(agent)).as("postage and the 0.25 charged; the 1.00 reserved was trued up, not kept")
                .isEqualTo(postage.add(new BigDecimal("0.25")).toPlainString());

        String other = shipment("INS-LOST-2");
        HttpResponse<Buffer> second = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + other + "/buy", CHEAPEST);
        assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(200);
        String spent = spentToday(agent);
        simulator.script(500);
        HttpResponse<Buffer> failed = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + other + "/insure",
                "{\"amount\":\"50.00\"}");
        assertThat(failed.statusCode()).as(failed.bodyAsString()).isEqualTo(502);
        assertThat(failed.bodyAsJsonObject().getString("detail")).contains("nothing was charged");
        assertThat(admin.get("/shipments/" + other).bodyAsJsonObject().getValue("insured_amount")).isNull();
        assertThat(spentToday(agent)).as("the fee reserved for an insurance EasyPost did not make is given back").isEqualTo(spent);
    }

    @Test
    @DisplayName("an approved purchase buys in the label format and with the insurance the request asked for, not the defaults")
    void approvalKeepsFormatAndInsurance() {
        JsonObject agent = token("approval-keeps", "read,buy", null, null, "1.00");
        String id = shipment("APPROVE-KEEPS");
        HttpResponse<Buffer> waiting = call(agent.getString("token"), null, HttpMethod.POST, "/shipments/" + id + "/buy",
                "{\"strategy\":\"cheapest\",\"label_format\":\"ZPL\",\"insurance\":\"100.00\"}");
        assertThat(waiting.statusCode()).as(waiting.bodyAsString()).isEqualTo(202);
        JsonObject approval = waiting.bodyAsJsonObject().getJsonObject("approval");
        assertThat(approval.getString("label_format")).isEqualTo("zpl");
        assertThat(approval.getString("insurance")).isEqualTo("100.00");
        assertThat(new BigDecimal(approval.getString("cost")))
                .isEqualByComparingTo(new BigDecimal(approval.getJsonObject("rate").getString("rate")).add(new BigDecimal("1.00")));

        HttpResponse<Buffer> approved = admin.post("/approvals/" + approval.getString("id") + "/approve", new JsonObject(), null);
        assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(200);
        JsonObject shipment = admin.get("/shipments/" + id).bodyAsJsonObject();
        assertThat(shipment.getString("insured_amount")).isEqualTo("100.00");
        assertThat(shipment.getString("insurance_fee")).isEqualTo("0.50");
        int before = simulator.requests();
        HttpResponse<Buffer> zpl = admin.post("/shipments/" + id + "/label", new JsonObject().put("format", "zpl"), null);
        assertThat(zpl.statusCode()).as(zpl.bodyAsString()).isEqualTo(200);
        assertThat(zpl.bodyAsJsonObject().getString("label_url")).as("bought as ZPL: no conversion")
                .isEqualTo(shipment.getString("label_url"));
        assertThat(simulator.requests()).isEqualTo(before);
    }

    @Test
    @DisplayName("a bulk item with insurance is bought insured; insurance without buying, or above the customs value, is refused at upload")
    void bulkItemsWithInsuranceInsure() {
        JsonObject body = Fixtures.bulk(2, "cheapest");
        body.getJsonArray("shipments").getJsonObject(0).put("insurance", "100.00");
        HttpResponse<Buffer> accepted = admin.post("/shipments/bulk-create", body, null);
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String job = accepted.bodyAsJsonObject().getString("id");
        JsonObject done = Await.value("the job to complete", java.time.Duration.ofSeconds(60),
                () -> admin.get("/jobs/" + job).bodyAsJsonObject(),
                j -> "completed".equals(j.getJsonObject("job").getString("state")));
        List<JsonObject> items = done.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
        assertThat(items).allSatisfy(i -> assertThat(i.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded"));
        JsonObject first = admin.get("/shipments/" + items.get(0).getString("shipment_id")).bodyAsJsonObject();
        assertThat(first.getString("insured_amount")).isEqualTo("100.00");
        assertThat(first.getString("insurance_fee")).isEqualTo("0.50");
        assertThat(admin.get("/shipments/" + items.get(1).getString("shipment_id")).bodyAsJsonObject().getValue("insured_amount"))
                .isNull();

        JsonObject notBuying = Fixtures.bulk(1, null);
        notBuying.getJsonArray("shipments").getJsonObject(0).put("insurance", "10.00");
        Fixtures.assertField(admin.post("/shipments/bulk-create", notBuying, null), 422, "shipments[0].insurance");
    }
}
