package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.webhooks.Signature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's Webhooks page in Chromium through nginx, delivering to a real receiver on loopback. The run's
 * shared service refuses private targets (as production does), so this class starts a service of its own with
 * {@code WEBHOOK_ALLOW_PRIVATE_TARGETS=true} on a database of its own, and a one-hour retry base so a failed
 * attempt waits in the log for the replay instead of being retried behind the page's back. One browser run
 * ({@code webhooks.mjs}) walks the page; each test checks one part of what it found, and of what the receiver got.
 * Screenshots go to target/screenshots/ (webhooks-*.png).
 */
@DisplayName("the Webhooks page")
@RequiredTools.Needs({RequiredTools.Tool.NGINX, RequiredTools.Tool.CHROMIUM, RequiredTools.Tool.NODE})
class WebhooksPageIT {

    static final Path DIR = Path.of("src/test/browser");
    static ShipgateApp app;
    static NginxProcess nginx;
    static WebhookReceiver receiver;
    static JsonObject found;
    /** Event ids in the order the receiver first saw them. */
    static final List<String> order = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void walkThePage() throws Exception {
        RequiredTools.requireNpmPackages(DIR, "playwright-core", "axe-core");
        app = TestApp.start(Map.of("DATABASE_URL", TestApp.databaseUrl(TestDatabase.isolated("webhooks_page_it")),
                "WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "WEBHOOK_RETRY_BASE_MS", "3600000",
                "WEBHOOK_POLL_MS", "50"));
        // The second event the receiver ever sees (the walk's second test) is refused once with a 503, then taken.
        receiver = new WebhookReceiver((id, nth) -> {
            synchronized (order) {
                if (!order.contains(id)) {
                    order.add(id);
                }
            }
            return order.indexOf(id) == 1 && nth == 1 ? 503 : 200;
        });
        nginx = NginxProcess.start(Files.createTempDirectory("shipgate-webhooks-page"), Path.of("webroot"),
                "127.0.0.1:" + app.config().httpPort(), Map.of("API_RATE", "200", "API_BURST", "400"));
        File out = File.createTempFile("webhooks-page", ".out");
        Process browser = new ProcessBuilder("node", "webhooks.mjs", nginx.url(), TestApp.TOKEN, receiver.url("/page/"),
                Path.of("target/screenshots").toAbsolutePath().toString())
                .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(browser.waitFor(180, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        assertThat(browser.exitValue()).as(String.join("\n", lines)).isZero();
        found = new JsonObject(lines.get(lines.size() - 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Every step ran to its end (a failure names the step and the line it stopped at). */
    private static JsonObject found() {
        assertThat(found.getString("failure")).as("the browser run stopped after " + found.getJsonArray("steps")).isNull();
        return found;
    }

    private static boolean signedWith(String secret, WebhookReceiver.Received r) {
        return Signature.verify(secret, r.signature(), r.body().getBytes(StandardCharsets.UTF_8), r.atMillis() / 1000, 300);
    }

    private static List<WebhookReceiver.Received> receivedOf(String eventId) {
        return receiver.received.stream().filter(r -> r.eventId().equals(eventId)).toList();
    }

    @Test
    @DisplayName("a new endpoint's secret is shown once: after creation, and no longer after a reload; deliveries are signed with it")
    void secretShownOnce() {
        String secret = found().getString("secretShown");
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(30);
        assertThat(found.getString("endpointRow")).contains(receiver.url("/page/"), "Warehouse receiver", "*", "enabled");
        assertThat(found.getBoolean("secretInPageAfterReload")).isFalse();
        assertThat(found.getInteger("secretBoxesAfterReload")).isZero();
        WebhookReceiver.Received firstPing = receiver.of("ping").get(0);
        assertThat(signedWith(secret, firstPing)).as("the first test, under the secret the page showed").isTrue();
    }

    @Test
    @DisplayName("a test is delivered and the log shows the receiver's answer")
    void testDelivered() {
        JsonObject ping = found().getJsonObject("ping");
        assertThat(ping.getString("state")).isEqualTo("delivered");
        assertThat(ping.getInteger("attempts")).isEqualTo(1);
        assertThat(ping.getJsonArray("each").getString(0)).contains("HTTP 200").containsPattern("\\(\\d+ ms\\)");
        assertThat(receiver.received.get(0).eventType()).isEqualTo("ping");
        assertThat(receiver.received.get(0).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a refused attempt is shown as the receiver's 503 with its next retry, and a replay delivers it")
    void failedAttemptReplayed() {
        JsonObject failed = found().getJsonObject("failed");
        assertThat(failed.getString("state")).isEqualTo("pending");
        assertThat(failed.getJsonArray("each")).hasSize(1);
        assertThat(failed.getJsonArray("each").getString(0)).contains("HTTP 503");
        assertThat(failed.getString("next")).as("a retry is scheduled").isNotEqualTo("—").contains("UTC");
        JsonObject replayed = found.getJsonObject("replayed");
        assertThat(replayed.getString("state")).isEqualTo("delivered");
        assertThat(replayed.getInteger("attempts")).isEqualTo(2);
        assertThat(replayed.getJsonArray("each").getList()).hasSize(2);
        assertThat(replayed.getJsonArray("each").getList().toString()).contains("HTTP 503", "HTTP 200");
        List<WebhookReceiver.Received> got = receivedOf(order.get(1));
        assertThat(got).extracting(WebhookReceiver.Received::status).containsExactly(503, 200);
        assertThat(got.get(0).eventType()).isEqualTo("ping");
    }

    @Test
    @DisplayName("events raised while the endpoint is disabled are shown held and nothing is sent; enabled again, they are delivered")
    void heldWhileDisabled() {
        assertThat(found().getString("disabledRow")).contains("disabled");
        assertThat(found.getBoolean("testOfferedWhileDisabled")).as("Send test on a disabled endpoint").isFalse();
        JsonArray held = found.getJsonArray("held");
        assertThat(held).hasSize(2);
        for (Object d : held) {
            assertThat(((JsonObject) d).getString("state")).isEqualTo("held (endpoint disabled)");
            assertThat(((JsonObject) d).getInteger("attempts")).isZero();
        }
        List<WebhookReceiver.Received> created = receiver.of("shipment.created");
        assertThat(created).hasSize(2);
        long enabledAt = found.getLong("enabledAtMillis");
        assertThat(created).allSatisfy(r -> assertThat(r.atMillis()).as("sent only after Enable").isGreaterThanOrEqualTo(enabledAt));
        assertThat(created.stream().map(r -> r.json().getJsonObject("data").getString("reference")).toList())
                .containsExactlyInAnyOrder("HOOK-PAGE-HELD-1", "HOOK-PAGE-HELD-2");
        JsonArray released = found.getJsonArray("released");
        assertThat(released).hasSize(2);
        for (Object d : released) {
            assertThat(((JsonObject) d).getJsonArray("each").getString(0)).contains("HTTP 200");
        }
    }

    @Test
    @DisplayName("a rotated secret is shown once, with how long the previous one still signs; the next delivery is signed with it")
    void rotatedSecretShownOnce() {
        String rotated = found().getString("rotatedSecret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(found.getString("secretShown"));
        assertThat(found.getString("rotatedNote")).contains("shown only once. The previous secret also signs deliveries until", "UTC");
        assertThat(found.getBoolean("rotatedInPageAfterReload")).isFalse();
        assertThat(found.getInteger("rotatedBoxesAfterReload")).isZero();
        List<WebhookReceiver.Received> pings = receiver.of("ping");
        WebhookReceiver.Received last = pings.get(pings.size() - 1);
        assertThat(signedWith(rotated, last)).as("the test after rotation, under the new secret").isTrue();
        assertThat(signedWith(found.getString("secretShown"), last)).as("and under the previous one, inside the overlap").isTrue();
        assertThat(found.getJsonObject("pingAfterRotation").getString("state")).isEqualTo("delivered");
    }

    @Test
    @DisplayName("at 1366x768 and 390x844 no state of the page scrolls sideways or has WCAG 2.1 A/AA violations, and nothing logs a console error")
    void fitsAccessibleAndQuiet() {
        JsonObject overflow = found().getJsonObject("overflow");
        assertThat(overflow.fieldNames()).containsExactlyInAnyOrder("desktop:empty", "desktop:secret-shown", "desktop:ping-delivered",
                "desktop:failed-attempt", "desktop:held", "desktop:rotated", "phone:endpoints", "phone:deliveries", "phone:rotated",
                "phone:secret-shown");
        for (String state : overflow.fieldNames()) {
            assertThat(overflow.getBoolean(state)).as("document wider than the viewport at " + state).isFalse();
        }
        JsonObject accessibility = found.getJsonObject("accessibility");
        assertThat(accessibility.fieldNames()).isEqualTo(overflow.fieldNames());
        for (String state : accessibility.fieldNames()) {
            assertThat(accessibility.getJsonArray(state)).as("WCAG 2.1 A/AA violations at " + state).isEmpty();
        }
        assertThat(found.getJsonArray("consoleErrors")).as("console errors").isEmpty();
    }
}
