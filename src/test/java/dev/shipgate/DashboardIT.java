package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium (Debian's chromium driven by npm playwright-core) through nginx in
 * front of the run's service, as a clerk uses it, with axe-core's WCAG 2.1 A/AA audit on every page.
 * Screenshots of every page go to target/screenshots/.
 */
@DisplayName("the dashboard in a real browser through nginx")
@RequiredTools.Needs({RequiredTools.Tool.NGINX, RequiredTools.Tool.CHROMIUM, RequiredTools.Tool.NODE})
class DashboardIT extends SharedAppTest {

    /** The bytes at {@code url}, a document the simulator serves with its own certificate. */
    static byte[] download(String url) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx,
                new io.vertx.ext.web.client.WebClientOptions().setTrustAll(true).setVerifyHost(false));
        try {
            return client.getAbs(url).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .body().getBytes();
        } finally {
            client.close();
            vertx.close();
        }
    }

    /** Pages of the PDF at {@code url}, each checked to be 4x6 in (288 x 432 pt). */
    static int pdfPages(String url) throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(download(url))) {
            for (org.apache.pdfbox.pdmodel.PDPage page : doc.getPages()) {
                assertThat(page.getMediaBox().getWidth()).isEqualTo(288f);
                assertThat(page.getMediaBox().getHeight()).isEqualTo(432f);
            }
            return doc.getNumberOfPages();
        }
    }

    /** Pages of the (letter-size) PDF at {@code url}. */
    static int pdfPages8x11(String url) throws Exception {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(download(url))) {
            return doc.getNumberOfPages();
        }
    }

    static final Path DIR = Path.of("src/test/browser");
    static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
    static NginxProcess nginx;

    @BeforeAll
    static void start() throws Exception {
        RequiredTools.requireNpmPackages(DIR, "playwright-core", "axe-core");
        // Other classes share this database (SeedDemoIT leaves 20,000 demo shipments whose labels the simulator never
        // made): the walk starts from an empty one so the pages it reads show only what it made.
        TestDatabase.truncate();
        nginx = NginxProcess.start(Files.createTempDirectory("shipgate-dashboard"), Path.of("webroot"),
                "127.0.0.1:" + TestApp.shared().config().httpPort(), Map.of("API_RATE", "200", "API_BURST", "400"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    @DisplayName("the Download CSV buttons save the filtered shipment list, every row of a bulk job and the analytics range")
    void downloads() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Fixtures.shipment("pre_transit", "USPS", "Priority", "6.10", null, "DLCSV-" + i, "=Download Tester " + i,
                    java.time.OffsetDateTime.now().minusMinutes(i));
        }
        Fixtures.shipment("pre_transit", "USPS", "Priority", "6.10", null, "OTHER-1", "Someone Else", java.time.OffsetDateTime.now());
        var accepted = api.post("/shipments/bulk-create", Fixtures.bulk(4, null));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String job = accepted.bodyAsJsonObject().getString("id");
        Await.job(api, job, java.time.Duration.ofSeconds(120));

        File out = File.createTempFile("downloads", ".out");
        Process browser = new ProcessBuilder("node", "downloads.mjs", nginx.url(), TestApp.TOKEN, job, "dlcsv")
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(browser.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        JsonObject found = new JsonObject(lines.get(lines.size() - 1));
        assertThat(found.getString("failure")).as(String.join("\n", lines)).isNull();
        assertThat(found.getJsonArray("consoleErrors")).isEmpty();

        JsonObject shipments = found.getJsonObject("shipments");
        assertThat(shipments.getString("name")).startsWith("shipments-").endsWith(".csv");
        List<String> rows = shipments.getString("text").lines().toList();
        assertThat(rows.get(0)).startsWith("id,easypost_id,created_at");
        assertThat(rows).hasSize(4);
        assertThat(rows.subList(1, 4)).allSatisfy(r -> assertThat(r).contains("DLCSV-", "'=Download Tester"));

        JsonObject jobCsv = found.getJsonObject("job");
        assertThat(jobCsv.getString("name")).isEqualTo("job-" + job + "-results.csv");
        assertThat(jobCsv.getString("text").lines().toList()).hasSize(5).first().asString().startsWith("line,index,reference,state");

        assertThat(found.getJsonObject("analytics").getString("text")).startsWith("day,carrier,service,status,shipments");
    }

    @Test
    @DisplayName("the Bulk page lists every job newest first, filters them by state, and #/jobs/<id> opens a job, typed or followed")
    void jobList() throws Exception {
        String older = api.post("/shipments/bulk-create", Fixtures.bulk(2, null)).bodyAsJsonObject().getString("id");
        Await.job(api, older, java.time.Duration.ofSeconds(120));
        String newest = api.post("/shipments/bulk-create", Fixtures.bulk(3, null)).bodyAsJsonObject().getString("id");
        Await.job(api, newest, java.time.Duration.ofSeconds(120));
        // A job whose one row waits because EasyPost refused the API key, as BulkWorker leaves it (its next
        // attempt far enough off that no worker takes it during the run); a trial read "Working… 0 of 5 rows"
        // for three minutes with no hint.
        String refused = java.util.UUID.randomUUID().toString();
        // Started an hour ago, so that the list's newest job stays the one above.
        TestDatabase.execute("INSERT INTO bulk_jobs (id, state, buy_strategy, total, created_at) VALUES ('" + refused
                + "', 'running', 'cheapest', 2, now() - interval '1 hour')");
        TestDatabase.execute("INSERT INTO bulk_job_items (job_id, position, state, request, attempts, waits, error, lease_until) SELECT '"
                + refused + "', 0, 'pending', request, 0, 1, '{\"type\": \"https://shipgate.dev/problems/easypost-error\", "
                + "\"status\": 502, \"easypost\": {\"status\": 401, \"code\": \"APIKEY.INACTIVE\"}, \"retry_after\": 60, "
                + "\"waiting_since\": \"2026-01-02T03:04:05Z\"}', now() + interval '10 minutes' FROM bulk_job_items WHERE job_id = '"
                + newest + "' AND position = 0");
        // and one row held under the lease of an instance that is gone: the page said nothing of when it moves
        TestDatabase.execute("INSERT INTO bulk_job_items (job_id, position, state, request, attempts, waits, lease_until) SELECT '"
                + refused + "', 1, 'running', request, 1, 0, now() + interval '10 minutes' FROM bulk_job_items WHERE job_id = '"
                + newest + "' AND position = 1");

        File out = File.createTempFile("jobs", ".out");
        Process browser = new ProcessBuilder("node", "jobs.mjs", nginx.url(), TestApp.TOKEN, newest, older, refused)
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(browser.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        JsonObject found = new JsonObject(lines.get(lines.size() - 1));
        assertThat(found.getString("failure")).as(String.join("\n", lines)).isNull();
        assertThat(found.getJsonArray("consoleErrors")).isEmpty();
        List<Object> listed = found.getJsonArray("listed").getList();
        assertThat(listed).contains(newest, older);
        assertThat(listed.indexOf(newest)).as("newest first").isLessThan(listed.indexOf(older));
        assertThat(found.getString("firstRowText")).contains("completed", "3 succeeded");
        assertThat(found.getString("cancelledEmpty")).contains("No jobs cancelled");
        assertThat(found.getJsonArray("completed").getList()).contains(newest, older);
        assertThat(found.getString("openedHash")).isEqualTo("#/jobs/" + older);
        assertThat(found.getString("openedHeading")).isEqualTo("Bulk job");
        assertThat(found.getString("openedJobText")).contains(older, "2 succeeded");
        assertThat(found.getString("typedHeading")).isEqualTo("Bulk job");
        assertThat(found.getString("typedHeadline")).contains("3 succeeded");
        assertThat(found.getString("typedTitle")).doesNotContain("Not found");
        assertThat(found.getString("keyRefusedWaiting")).as("the job page named no reason while a refused key held the job")
                .contains("Waiting on EasyPost: 1 row waits: EasyPost refused the API key", "EASYPOST_API_KEY");
        assertThat(found.getString("keyRefusedHeld")).as("a row held by a lease named no time")
                .contains("1 row in progress", "until", "another takes it up then");
        assertThat(api.post("/jobs/" + refused + "/cancel", new JsonObject()).statusCode()).isEqualTo(200);
        // no instance holds the made-up running row: end it, so no worker takes it up when its lease ends
        TestDatabase.execute("UPDATE bulk_job_items SET state = 'cancelled', lease_until = NULL WHERE job_id = '" + refused + "'"
                + " AND state = 'running'");
    }

    @Test
    @DisplayName("sign in, create, buy after confirming, track, bulk upload to 100%, analytics charts, an agent's token "
            + "created, its approvals approved and rejected with the price shown, the audit trail, the token revoked; "
            + "an international shipment with customs and insurance made in the form, its invoice shown and its return created; "
            + "a wrong token is refused; no WCAG violations")
    void clerkDay() throws Exception {
        File out = File.createTempFile("dashboard", ".out");
        Process browser = new ProcessBuilder("node", "dashboard.mjs", nginx.url(), TestApp.TOKEN, TestApp.WEBHOOK_SECRET,
                SCREENSHOTS.toString()).directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        // the clerk's day now includes the exceptions queue and carrier performance: more pages on a shared, busy machine
        assertThat(browser.waitFor(420, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        assertThat(browser.exitValue()).as(String.join("\n", lines)).isZero();
        JsonObject found = new JsonObject(lines.get(lines.size() - 1));
        assertThat(found.getString("failure")).as("the browser run stopped at").isNull();

        assertThat(found.getBoolean("wrongTokenRejected")).isTrue();
        assertThat(found.getInteger("overviewCharts")).isPositive();
        assertThat(found.getString("fieldError")).as("the API's reason shown on the weight field").isNotBlank();
        assertThat(found.getString("fieldMarkedInvalid")).isEqualTo("true");
        assertThat(found.getInteger("verifiedAddresses")).isEqualTo(2);
        assertThat(found.getInteger("rates")).isPositive();
        assertThat(found.getString("confirmText")).contains("spends money", "$");
        assertThat(found.getInteger("boughtAfterCancel")).as("cancelling the confirmation buys nothing").isZero();

        JsonObject shipment = api.get("/shipments/" + found.getString("shipmentId")).bodyAsJsonObject();
        assertThat(shipment.getString("tracking_code")).isEqualTo(found.getString("trackingCode"));
        assertThat(found.getString("confirmText")).contains(shipment.getString("rate"));
        assertThat(TestApp.shared().gateway().simulator().orElseThrow().purchases(shipment.getString("easypost_id")))
                .as("bought once at EasyPost").isEqualTo(1);

        assertThat(found.getInteger("webhookStatus")).isEqualTo(200);
        assertThat(found.getInteger("timelineEvents")).isEqualTo(2);
        assertThat(found.getString("trackedStatus")).isEqualTo("in transit");
        assertThat(found.getBoolean("notFoundListed")).isTrue();

        assertThat(found.getString("templateHeader")).startsWith("reference,to_name").contains("from_street1", "weight");
        assertThat(found.getJsonArray("progressSeen")).last().isEqualTo(100);
        assertThat(found.getInteger("bulkRows")).isEqualTo(30);
        assertThat(found.getInteger("bulkSucceeded")).isEqualTo(30);
        assertThat(found.getString("jobCounts")).startsWith("30 succeeded");

        assertThat(found.getInteger("analyticsCharts")).isGreaterThanOrEqualTo(4);
        assertThat(found.getBoolean("chartsDrawn")).isTrue();
        assertThat(found.getString("analyticsSpend")).isNotEqualTo("$0.00");
        assertThat(found.getString("overviewZone")).contains("UTC time");
        assertThat(found.getString("overviewTilesLabel")).isEqualTo("Today (UTC)");
        assertThat(found.getString("analyticsZone")).matches("Days in UTC time, by day; compared with \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d\\.");
        assertThat(found.getString("analyticsSpendChange")).as("spend beside the previous 30 days")
                .matches("(new|no change|n/a|[+−][0-9.]+%) \\(previous period: \\$[0-9,.]+\\)");
        assertThat(found.getJsonArray("analyticsSeries").stream().map(String::valueOf))
                .anySatisfy(label -> assertThat(label).startsWith("Previous period ("));
        assertThat(found.getInteger("analyticsWeekBars")).as("30 days in ISO weeks").isBetween(5, 6);
        assertThat(found.getInteger("searchRows")).isEqualTo(1);

        assertThat(found.getString("exceptionRowText")).contains("failure", "USPS", "E2E-EXCEPTION");
        assertThat(found.getString("acknowledgedText")).contains("environment", "Called the recipient, new address sent");
        JsonObject acknowledged = api.get("/exceptions?include_acknowledged=true&reason=failure&limit=200").bodyAsJsonObject()
                .getJsonArray("exceptions").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("shipment_id").equals(found.getString("exceptionShipment"))).findFirst().orElseThrow();
        assertThat(acknowledged.getBoolean("acknowledged")).isTrue();
        assertThat(String.join("\n", found.getJsonArray("carrierPerformanceRows").stream().map(String::valueOf).toList()))
                .as("the carrier table on the analytics page").contains("USPS", "Ground Advantage");

        String printed = found.getString("printedLabelUrl");
        assertThat(printed).as("the label opened for printing").endsWith(".pdf")
                .as("on the dashboard's own origin, served by the service").startsWith(nginx.url() + "/sim-files/");
        assertThat(found.getJsonArray("openedStatuses")).as("every document opened without a certificate error").isNotEmpty()
                .allMatch(status -> Integer.valueOf(200).equals(status));
        assertThat(pdfPages(printed)).isEqualTo(1);
        assertThat(new String(download(found.getString("zplLabelUrl")), java.nio.charset.StandardCharsets.UTF_8)).startsWith("^XA")
                .contains(found.getString("trackingCode"));
        assertThat(pdfPages(found.getString("jobDocumentUrl"))).as("the bulk job's 30 labels in one document").isEqualTo(30);
        assertThat(found.getString("selectedTotalShown")).as("the confirmation shows the total before buying")
                .isEqualTo("$" + found.getString("expectedSelectedTotal"));
        assertThat(found.getJsonArray("selectedBought")).containsExactly(true, true);
        assertThat(pdfPages(found.getString("selectedDocumentUrl"))).isEqualTo(2);
        assertThat(found.getString("easypostMode")).isEqualTo("simulated");
        assertThat(found.getInteger("carrierAccounts")).as("carrier accounts on the system page").isEqualTo(3);
        assertThat(found.getString("customsFieldError")).as("item weights over the parcel's, named on the field").contains("oz");
        assertThat(found.getInteger("customsRows")).isEqualTo(1);
        assertThat(found.getString("insurancePrefilled")).isEqualTo("35");
        assertThat(found.getString("customsFormUrl")).endsWith(".pdf");
        assertThat(found.getString("insuredText")).contains("$35.00");
        JsonObject international = api.get("/shipments/" + found.getString("internationalId")).bodyAsJsonObject();
        assertThat(international.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(0)
                .getString("hs_tariff_number")).isEqualTo("6109.10");
        assertThat(international.getString("insured_amount")).isEqualTo("35.00");
        assertThat(international.getJsonArray("forms")).hasSize(1);
        assertThat(international.getString("return_shipment_id")).isEqualTo(found.getString("returnId"));
        JsonObject form = api.get("/scan-forms?limit=1").bodyAsJsonObject().getJsonArray("scan_forms").getJsonObject(0);
        assertThat(form.getString("carrier")).isEqualTo(found.getString("scanFormCarrier"));
        String stored = form.getString("form_url");
        assertThat(found.getString("scanFormUrl")).as("the stored link, opened on the dashboard's own origin")
                .isEqualTo(nginx.url() + stored.substring(stored.indexOf("/sim-files/"))).endsWith(".pdf");
        assertThat(pdfPages8x11(found.getString("scanFormUrl"))).as("the form's PDF, fetched through nginx").isPositive();
        assertThat(found.getString("scanFormMade")).contains(form.getLong("shipment_count") + " shipments");
        assertThat(found.getBoolean("phoneOverflow")).as("no sideways scrolling on a phone").isFalse();

        assertThat(found.getString("agentSecret")).as("the new token's secret, shown once").startsWith("sg_");
        assertThat(found.getString("agentListed")).contains("agent-e2e", "read, buy", "$100.00", "$1.00");
        assertThat(found.getJsonArray("approvalStatuses").getList()).containsExactly(202, 202);
        assertThat(found.getString("approveConfirm")).as("the price is shown before approving")
                .contains(found.getString("approvalPrice"), "spends money")
                .as("words around a value on the next source line kept apart").containsPattern("asked to buy [A-Z]");
        assertThat(found.getJsonArray("decidedStatuses").getList()).containsExactly("approved", "rejected");
        String approved = api.get("/shipments/" + found.getJsonArray("approvalShipments").getString(0)).bodyAsJsonObject()
                .getString("easypost_id");
        String rejected = api.get("/shipments/" + found.getJsonArray("approvalShipments").getString(1)).bodyAsJsonObject()
                .getString("easypost_id");
        assertThat(TestApp.shared().gateway().simulator().orElseThrow().purchases(approved)).isEqualTo(1);
        assertThat(TestApp.shared().gateway().simulator().orElseThrow().purchases(rejected)).isZero();
        assertThat(String.join("\n", found.getJsonArray("auditRows").stream().map(String::valueOf).toList()))
                .contains("agent-e2e", "e2e-agent/1.0 (MCP)", "request approval", "buy label");
        assertThat(found.getString("agentState")).isEqualTo("revoked");
        assertThat(found.getInteger("revokedStatus")).as("the revoked token on its next request").isEqualTo(401);

        assertThat(found.getJsonArray("consoleErrors")).as("console errors").isEmpty();
        JsonObject accessibility = found.getJsonObject("accessibility");
        assertThat(accessibility.fieldNames()).as("pages audited with axe-core").hasSizeGreaterThanOrEqualTo(10);
        for (String page : accessibility.fieldNames()) {
            assertThat(accessibility.getJsonArray(page)).as("WCAG 2.1 A/AA violations on " + page).isEmpty();
        }
        assertThat(found.getJsonArray("screenshots").size()).isGreaterThanOrEqualTo(12);
        for (Object shot : found.getJsonArray("screenshots")) {
            assertThat(Path.of((String) shot)).isRegularFile().isNotEmptyFile();
        }
    }
}
