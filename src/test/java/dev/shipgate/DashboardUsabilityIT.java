package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's layout and wording, as an operator found it wanting on 20,000 shipments in Chromium at a
 * desktop (1366x768) and a phone (390x844) size, through nginx. One browser run ({@code usability.mjs})
 * walks every page at both sizes and the flows below; each test checks one kind of fault in what it found.
 * Screenshots go to target/screenshots/ (usability-*.png).
 */
@DisplayName("the dashboard at desktop and phone sizes")
@RequiredTools.Needs({RequiredTools.Tool.NGINX, RequiredTools.Tool.CHROMIUM, RequiredTools.Tool.NODE})
class DashboardUsabilityIT extends SharedAppTest {

    static final Path DIR = Path.of("src/test/browser");
    static JsonObject found;
    static NginxProcess nginx;

    @BeforeAll
    static void walkTheDashboard() throws Exception {
        RequiredTools.requireNpmPackages(DIR, "playwright-core", "axe-core");
        // Other classes share this database (SeedDemoIT leaves 20,000 demo shipments whose labels the simulator never
        // made): the walk starts from an empty one so the pages it reads show only what it made.
        TestDatabase.truncate();
        nginx = NginxProcess.start(Files.createTempDirectory("shipgate-usability"), Path.of("webroot"),
                "127.0.0.1:" + TestApp.shared().config().httpPort(), Map.of("API_RATE", "200", "API_BURST", "400"));
        File out = File.createTempFile("usability", ".out");
        Process browser = new ProcessBuilder("node", "usability.mjs", nginx.url(), TestApp.TOKEN, TestApp.WEBHOOK_SECRET,
                Path.of("target/screenshots").toAbsolutePath().toString())
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(browser.waitFor(300, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        assertThat(browser.exitValue()).as(String.join("\n", lines)).isZero();
        found = new JsonObject(lines.get(lines.size() - 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    /** Every step ran to its end (a failure names the step and the line it stopped at). */
    private static JsonObject found() {
        assertThat(found.getString("failure")).as("the browser run stopped after " + found.getJsonArray("steps")).isNull();
        return found;
    }

    @Test
    @DisplayName("analytics: the previous-period change is n/a when that period is empty or too small (32 against 20,000 read +62396.9%)")
    void previousPeriodTooSmallIsNotAPercentage() {
        JsonObject change = found().getJsonObject("analyticsChange");
        assertThat(change.getString("tinyPrevious")).isEqualTo("n/a");
        assertThat(change.getString("tinySpend")).as("every tile follows the shipments' rule").isEqualTo("n/a");
        assertThat(change.getString("emptyPrevious")).isEqualTo("n/a");
        assertThat(change.getString("fewPrevious")).as("under 10 shipments before").isEqualTo("n/a");
        assertThat(change.getString("comparablePrevious")).isEqualTo("+25.0%");
        assertThat(change.getString("bothEmpty")).isEqualTo("no change");
        JsonObject today = found.getJsonObject("analyticsToday");
        assertThat(today.getString("shipments")).as("the walk's own shipments, today").isNotEqualTo("0");
        assertThat(today.getString("change")).as("yesterday is empty (the database was emptied)").startsWith("n/a (previous period: 0)");
    }

    @Test
    @DisplayName("analytics: the chosen range and grouping are in the address (#/analytics?days=365&group=month) and a reload keeps them")
    void analyticsRangeSurvivesAReload() {
        JsonObject year = found().getJsonObject("analyticsYear");
        assertThat(year.getString("hash")).isEqualTo("#/analytics?days=365&group=month");
        assertThat(year.getString("hashAfterReload")).isEqualTo(year.getString("hash"));
        assertThat(year.getString("group")).isEqualTo("month");
        assertThat(java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse(year.getString("from")),
                java.time.LocalDate.parse(year.getString("to")))).as("a year after the reload").isEqualTo(364);
        assertThat(year.getString("zoneText")).contains("by month");
        assertThat(year.getString("carrierZone")).as("carrier performance says its zone").contains("UTC time");
        JsonObject range = found.getJsonObject("analyticsRange");
        assertThat(range.getString("hash")).isEqualTo("#/analytics?from=2026-01-05&to=2026-02-10&group=month");
        assertThat(range.getString("from")).isEqualTo("2026-01-05");
        assertThat(range.getString("to")).isEqualTo("2026-02-10");
        assertThat(range.getString("group")).isEqualTo("month");
        assertThat(range.getString("zoneText")).contains("by month");
    }

    @Test
    @DisplayName("no page scrolls sideways at 1366 or 390 px, and every Buy button of a shipment fits a phone's screen")
    void noPageScrollsSideways() {
        JsonObject overflow = found().getJsonObject("overflow");
        assertThat(overflow.fieldNames()).as("pages measured at both sizes").hasSize(30);
        for (String page : overflow.fieldNames()) {
            assertThat(overflow.getBoolean(page)).as("document wider than the viewport on " + page).isFalse();
        }
        JsonArray buttons = found.getJsonArray("phoneBuyButtons");
        assertThat(buttons).as("a Buy button per rate").isNotEmpty();
        for (Object b : buttons) {
            JsonObject box = (JsonObject) b;
            assertThat(box.getInteger("left")).isNotNegative();
            assertThat(box.getInteger("right")).as("Buy button inside the 390 px screen").isLessThanOrEqualTo(390);
            assertThat(box.getInteger("width")).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    @DisplayName("an address check is cleared when its address is edited, and an address EasyPost could not confirm is not offered for use")
    void addressCheckFollowsTheAddress() {
        assertThat(found().getString("toCheckBeforeEdit")).startsWith("Deliverable.");
        assertThat(found.getInteger("toChecksAfterEdit")).as("the recipient's check after its street changed").isZero();
        assertThat(found.getInteger("fromChecksAfterEdit")).as("the sender, not edited, keeps its check").isEqualTo(1);
        assertThat(found.getString("badCheckText")).contains("EasyPost could not confirm this address").doesNotContain("Deliverable");
        assertThat(found.getInteger("useOfferedForBad")).as("'Use this address' for an unconfirmed address").isZero();
    }

    @Test
    @DisplayName("the list filters keep a readable width at 1366 px (wrapping instead of shrinking)")
    void filtersStayReadable() {
        JsonObject widths = found().getJsonObject("filterWidths");
        assertThat(widths.fieldNames()).containsExactlyInAnyOrder("q", "status", "carrier", "created_from", "created_to");
        JsonObject audit = found.getJsonObject("auditFilterWidths");
        assertThat(audit.fieldNames()).hasSize(4);
        for (JsonObject set : List.of(widths, audit)) {
            for (String name : set.fieldNames()) {
                assertThat(set.getInteger(name)).as("width of " + name + " in px").isGreaterThanOrEqualTo(200);
            }
        }
    }

    @Test
    @DisplayName("a bulk job whose every row failed says how many failed, its bar shows the failed share in the error colour, "
            + "and rows are numbered by the CSV file's own lines in results and in upload errors")
    void failedBulkJobShowsFailures() {
        JsonObject api = found().getJsonObject("failedJobApi");
        assertThat(api.getString("state")).isEqualTo("completed");
        assertThat(api.getJsonObject("counts").getInteger("failed")).isEqualTo(3);
        assertThat(api.getJsonArray("lines").getList()).as("a blank line 3 in the file").containsExactly(2, 4, 5);
        assertThat(found.getString("failedJobHeadline")).contains("0 succeeded, 3 failed").doesNotContain("(100%)");
        JsonObject bar = found.getJsonObject("failedJobBar");
        assertThat(bar.getDouble("failedShare")).isGreaterThan(0.99);
        assertThat(bar.getDouble("succeededShare")).isZero();
        assertThat(bar.getString("failedColour")).isEqualTo("rgb(185, 28, 28)");
        assertThat(bar.getString("valueText")).contains("3 failed");
        assertThat(found.getJsonArray("failedJobLines").getList()).as("the results' numbers are the file's lines")
                .isEqualTo(api.getJsonArray("lines").getList());
        assertThat(found.getString("uploadProblem")).as("the upload refusal names the file's line 3")
                .contains("Line 3, weight").doesNotContain("line 3: weight");
    }

    @Test
    @DisplayName("refund is offered only before the carrier's first scan, and after a refund the page shows it and stops offering the label")
    void refundOnlyForUnusedLabels() {
        assertThat(found().getInteger("webhookStatus")).isEqualTo(200);
        assertThat(found.getString("scannedStatus")).isEqualTo("in transit");
        assertThat(found.getInteger("refundOfferedScanned")).as("refund offered for a label in transit").isZero();
        assertThat(found.getString("unusedStatus")).isIn("pre transit", "unknown");
        assertThat(found.getInteger("refundOfferedUnused")).isEqualTo(1);
        JsonObject after = found.getJsonObject("afterRefund");
        assertThat(after.getString("badge")).isEqualTo("refund " + found.getString("refundStatusApi").replace('_', ' '));
        assertThat(after.getInteger("refundButtons")).isZero();
        assertThat(after.getInteger("printButtons")).as("a refunded label is not offered for printing").isZero();
        assertThat(after.getString("note")).contains("must not be used");
    }

    @Test
    @DisplayName("a shipment opened in a new tab needs no second sign-in, sign-out clears the token in every tab, "
            + "and list filters live in the address so reload and a shared link keep them")
    void tokenSharedAndFiltersInTheAddress() {
        assertThat(found().getBoolean("newTabSignedIn")).isTrue();
        assertThat(found.getBoolean("signOutEverywhere")).isTrue();
        assertThat(found.getString("tokenAfterSignOut")).isNull();
        assertThat(found.getString("filterHash")).startsWith("#/shipments?").contains("status=in_transit", "q=UX-SCANNED");
        assertThat(found.getJsonObject("filterAfterReload").getMap()).containsEntry("status", "in_transit").containsEntry("q", "UX-SCANNED");
        assertThat(found.getJsonArray("rowsAfterReload")).hasSize(1);
        assertThat(found.getJsonArray("rowsAfterReload").getString(0)).contains("UX-SCANNED", "in transit");
        assertThat(found.getString("filterInSharedLink")).isEqualTo("in_transit");
    }

    @Test
    @DisplayName("the exceptions queue's reason and 'show acknowledged' filters live in the address: a shared link, a reload and a change keep them")
    void exceptionFiltersInTheAddress() {
        assertThat(found().getInteger("exceptionWebhookStatus")).isEqualTo(200);
        JsonObject shared = found.getJsonObject("exceptionSharedLink");
        assertThat(shared.getString("reason")).as("#/exceptions?reason=failure opens filtered").isEqualTo("failure");
        assertThat(shared.getBoolean("acknowledged")).isFalse();
        assertThat(shared.getJsonArray("rows")).hasSize(1);
        assertThat(shared.getJsonArray("rows").getString(0)).contains("UX-EXCEPTION");
        assertThat(found.getString("exceptionFilterHash")).startsWith("#/exceptions?").contains("reason=failure", "include_acknowledged=true");
        assertThat(found.getJsonObject("exceptionFilterAfterReload").getMap()).containsEntry("reason", "failure").containsEntry("acknowledged", true);
        JsonObject changed = found.getJsonObject("exceptionFilterChanged");
        assertThat(changed.getString("hash")).contains("reason=never_scanned", "include_acknowledged=true");
        assertThat(changed.getInteger("rows")).as("no label here is days old unscanned").isZero();
    }

    @Test
    @DisplayName("#/exceptions?reason=bogus shows the API's refusal naming the reason, not every exception under 'all reasons'")
    void unknownExceptionReasonIsRefused() {
        JsonObject bogus = found().getJsonObject("exceptionBogusReason");
        assertThat(bogus.getString("problem")).as("the reasons as the select names them").contains("Reason must be one of", "failure", "Never scanned");
        assertThat(bogus.getString("hash")).isEqualTo("#/exceptions?reason=bogus");
        assertThat(bogus.getInteger("rows")).as("no unfiltered queue beside the refusal").isZero();
    }

    @Test
    @DisplayName("the exceptions queue's page lives in the address: Next puts the cursor there, a reload stays on page 2, Previous goes back to page 1")
    void exceptionPageInTheAddress() {
        JsonObject paging = found().getJsonObject("exceptionPaging");
        assertThat(paging.getInteger("firstRows")).isEqualTo(25);
        assertThat(paging.getInteger("secondRows")).as("26 exceptions: one on page 2").isPositive();
        assertThat(paging.getInteger("overlap")).isZero();
        assertThat(paging.getString("nextHash")).startsWith("#/exceptions?").contains("cursor=");
        JsonObject reloaded = paging.getJsonObject("afterReload");
        assertThat(reloaded.getString("hash")).isEqualTo(paging.getString("nextHash"));
        assertThat(reloaded.getString("label")).isEqualTo("Page 2");
        assertThat(reloaded.getBoolean("sameRows")).as("the same page after the reload").isTrue();
        JsonObject previous = paging.getJsonObject("previous");
        assertThat(previous.getString("hash")).doesNotContain("cursor=");
        assertThat(previous.getString("label")).isEqualTo("Page 1");
        assertThat(previous.getBoolean("sameRows")).isTrue();
    }

    @Test
    @DisplayName("the exceptions table's Acknowledge button lies inside the viewport on first load at 1366x768 and 390x844, not clipped or under anything")
    void acknowledgeButtonOnScreen() {
        for (String size : List.of("desktop", "phone")) {
            JsonObject box = found().getJsonObject(size + "AcknowledgeButton");
            assertThat(box).as("an Acknowledge button at " + size).isNotNull();
            assertThat(box.getInteger("scrollX")).as(size).isZero();
            assertThat(box.getInteger("left")).as(size + " " + box).isGreaterThanOrEqualTo(0).isGreaterThanOrEqualTo(box.getInteger("boxLeft"));
            assertThat(box.getInteger("right")).as(size + " " + box).isLessThanOrEqualTo(box.getInteger("viewportWidth"))
                    .isLessThanOrEqualTo(box.getInteger("boxRight"));
            assertThat(box.getInteger("top")).as(size + " " + box).isGreaterThanOrEqualTo(0);
            assertThat(box.getInteger("bottom")).as(size + " " + box).isLessThanOrEqualTo(box.getInteger("viewportHeight"));
            assertThat(box.getBoolean("topmost")).as("nothing covers the button at " + size).isTrue();
        }
        assertThat(found.getJsonObject("desktopAcknowledgeButton").getInteger("viewportWidth")).isEqualTo(1366);
        assertThat(found.getJsonObject("phoneAcknowledgeButton").getInteger("viewportWidth")).isEqualTo(390);
    }

    @Test
    @DisplayName("sentences run on with their spaces: the exceptions summary and the bulk page's template line")
    void textKeepsItsSpaces() {
        for (String size : List.of("desktop", "phone")) {
            assertThat(found().getString(size + "ExceptionSummary")).as(size).containsPattern("\\d acknowledged\\. No movement means")
                    .doesNotContain(".No");
        }
        assertThat(found.getString("bulkTemplateText")).contains("Download the CSV template (required columns:")
                .doesNotContain("template(");
    }

    @Test
    @DisplayName("each carrier and each status has one colour on every chart and badge, and no two statuses share one")
    void oneColourPerCarrierAndStatus() {
        JsonObject colours = found().getJsonObject("colours");
        JsonObject carriers = colours.getJsonObject("carriers");
        assertThat(carriers.fieldNames()).as("carriers seen on the overview and analytics charts").isNotEmpty();
        for (String carrier : carriers.fieldNames()) {
            assertThat(carriers.getJsonArray(carrier)).as("colours of " + carrier).hasSize(1);
        }
        assertThat(new HashSet<>(carriers.stream().map(e -> ((JsonArray) e.getValue()).getString(0)).toList()))
                .as("carriers with colours of their own").hasSize(carriers.size());
        JsonObject statuses = colours.getJsonObject("statuses");
        for (String status : statuses.fieldNames()) {
            assertThat(statuses.getJsonArray(status)).as("colours of " + status + " on badges and charts").hasSize(1);
            assertThat(statuses.getJsonArray(status).getString(0)).isEqualTo(found.getJsonObject("statusColours").getString(status));
        }
        JsonObject all = found.getJsonObject("statusColours");
        assertThat(all.size()).isEqualTo(10);
        Set<Object> distinct = new HashSet<>(all.getMap().values());
        assertThat(distinct).as("statuses sharing a colour").hasSize(all.size());
        JsonObject states = found.getJsonObject("stateColours");
        for (String kind : List.of("item", "approval")) {
            JsonObject byState = states.getJsonObject(kind);
            assertThat(new HashSet<>(byState.getMap().values())).as(kind + " states sharing a colour").hasSize(byState.size());
        }
    }

    @Test
    @DisplayName("money tiles show a compact figure on one line with the full amount in the title")
    void tilesFitTheirFigures() {
        JsonArray compact = found().getJsonArray("compact");
        assertThat(compact.getJsonObject(0).getMap()).containsEntry("text", "$12.3K").containsEntry("full", "$12,345.67");
        assertThat(compact.getJsonObject(1).getString("text")).isEqualTo("$987.65");
        assertThat(compact.getJsonObject(2).getString("text")).isEqualTo("$1.2M");
        for (String size : List.of("desktopTiles", "phoneTiles")) {
            JsonArray tiles = found.getJsonArray(size);
            assertThat(tiles).as(size).hasSize(4);
            for (Object t : tiles) {
                JsonObject tile = (JsonObject) t;
                assertThat(tile.getInteger("lines")).as(size + " " + tile.getString("text")).isEqualTo(1);
                assertThat(tile.getBoolean("clipped")).as(size + " " + tile.getString("text")).isFalse();
                if (!tile.getString("title").isEmpty()) {
                    assertThat(tile.getString("title")).startsWith("$").contains(".");
                }
            }
        }
    }

    @Test
    @DisplayName("services read as the carrier sells them, unbought shipments as 'Not bought', and problems name the form's labels")
    void namesInsteadOfCodes() {
        List<String> raw = found().getJsonArray("rawServices").stream().map(String::valueOf).toList();
        List<String> shown = found.getJsonArray("rateServices").stream().map(String::valueOf).toList();
        assertThat(shown).hasSameSizeAs(raw);
        assertThat(String.join("|", shown)).contains("FedEx Ground", "Next Day Air", "Ground Advantage")
                .doesNotContain("FEDEX_GROUND", "NextDayAir", "GroundAdvantage", "2ndDayAir");
        assertThat(found.getString("unboughtStatus")).isEqualTo("Not bought");
        assertThat(found.getString("unboughtListed")).contains("Label not bought", "Not bought").doesNotContain("unknown");
        assertThat(found.getString("filterProblem")).contains("Created to", "Created from").doesNotContain("created_to", "created_from");
    }

    @Test
    @DisplayName("a bulk job that buys labels asks first, with the number of labels and an estimated total; cancelling starts nothing")
    void buyingBulkJobAsksFirst() {
        JsonObject confirm = found().getJsonObject("bulkConfirm");
        assertThat(confirm.getString("summary")).contains("spends money", "3 labels");
        assertThat(confirm.getString("estimate")).matches("\\$[0-9,]+\\.[0-9]{2}");
        assertThat(confirm.getString("button")).isEqualTo("Buy 3 labels");
        assertThat(found.getString("hashAfterCancel")).isEqualTo("#/bulk");
    }

    @Test
    @DisplayName("on a phone the navigation folds into a menu button that opens the pages and closes on a choice")
    void phoneNavigationIsAMenu() {
        assertThat(found().getInteger("phoneHeaderHeight")).as("header height on an 844 px screen").isLessThan(100);
        assertThat(found.getBoolean("phoneLinksHidden")).isTrue();
        assertThat(found.getString("phoneMenuExpanded")).isEqualTo("true");
        assertThat(found.getBoolean("phoneLinksShown")).isTrue();
        assertThat(found.getString("phoneMenuAfterChoice")).isEqualTo("false");
        assertThat(found.getBoolean("desktopMenuButtonVisible")).as("a menu button at 1366 px").isFalse();
    }

    @Test
    @DisplayName("every page at both sizes has no WCAG 2.1 A/AA violations and the run logs no console errors")
    void accessibleAndQuiet() {
        JsonObject accessibility = found().getJsonObject("accessibility");
        assertThat(accessibility.fieldNames()).as("pages audited").hasSizeGreaterThanOrEqualTo(30);
        for (String page : accessibility.fieldNames()) {
            assertThat(accessibility.getJsonArray(page)).as("WCAG 2.1 A/AA violations on " + page).isEmpty();
        }
        assertThat(found.getJsonArray("consoleErrors")).as("console errors").isEmpty();
    }

    /** Times are the business's (UTC for this service), named, whatever zone the browser is in (Tokyo here). */
    @Test
    void timesReadInTheBusinessZone() {
        assertThat(found().getString("browserZone")).isEqualTo("Asia/Tokyo");
        java.time.ZonedDateTime created = java.time.OffsetDateTime.parse(found.getString("createdAtApi"))
                .atZoneSameInstant(java.time.ZoneOffset.UTC);
        String expected = java.time.format.DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm a", java.util.Locale.US)
                .format(created) + " UTC";
        assertThat(found.getString("detailCreated")).contains("created " + expected);
    }
}
