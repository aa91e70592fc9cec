package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.EasyPostConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in simulator keeps its account across restarts when it is given a state file. */
@DisplayName("The simulator's state survives a restart")
class SimulatorStateIT {

    final Vertx vertx = Vertx.vertx();

    /** Waits for Vert.x to stop, so no timer of the simulator runs while JUnit removes the temporary folder. */
    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    EasyPostGateway start(Optional<Path> state) throws Exception {
        EasyPostConfig config = new EasyPostConfig(Optional.empty(), "https://api.easypost.com", Optional.empty(),
                Optional.empty(), 4, 16, 2_000, 10_000, 12_000, 400, 3, 20, GatewayIT.CALM, false);
        return GatewayIT.await(EasyPostGateway.start(vertx, config, state));
    }

    @Test
    @DisplayName("a shipment and its label bought before a restart are read back after it, from the state file written atomically")
    void shipmentsAndLabelsSurviveARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("simulator").resolve("state.json");
        EasyPostGateway first = start(Optional.of(file));
        com.easypost.model.Shipment created = GatewayIT.await(first.call("create shipment", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.create(GatewayIT.shipmentParams())));
        String rate = created.getRates().get(0).getId();
        GatewayIT.await(first.call("buy label", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.buy(created.getId(), Map.<String, Object>of("rate", Map.of("id", rate)))));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!(Files.isRegularFile(file) && Files.readString(file).contains("postage_label\":{")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).contains(created.getId(), "postage_label\":{");
        assertThat(file.resolveSibling("state.json.tmp")).doesNotExist();
        first.close();

        EasyPostGateway second = start(Optional.of(file));
        com.easypost.model.Shipment back = GatewayIT.await(second.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(created.getId())));
        assertThat(back.getPostageLabel()).isNotNull();
        assertThat(back.getSelectedRate().getId()).isEqualTo(rate);
        assertThat(second.simulator().orElseThrow().purchases(created.getId())).isEqualTo(1);
        second.close();

        EasyPostGateway memoryOnly = start(Optional.empty());
        Throwable unknown = GatewayIT.await(memoryOnly.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(created.getId())).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
        assertThat(EasyPostGateway.notFound(unknown)).as("without a state file the simulator starts empty").isTrue();
        memoryOnly.close();
    }

    @Test
    @DisplayName("a purchase whose caller hung up before the answer is saved too: a restart still knows the label")
    void purchaseOfACallerThatHungUpIsSaved(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        EasyPostGateway first = start(Optional.of(file));
        EasyPostSimulator simulator = first.simulator().orElseThrow();
        com.easypost.model.Shipment created = GatewayIT.await(first.call("create shipment", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.create(GatewayIT.shipmentParams())));
        String rate = created.getRates().get(0).getId();
        simulator.knobs(new EasyPostConfig.Simulator(400, 0, 0, 0));
        java.net.URI base = java.net.URI.create(simulator.apiBase());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        String body = new io.vertx.core.json.JsonObject().put("rate", new io.vertx.core.json.JsonObject().put("id", rate)).encode();
        int admitted = simulator.requests();
        try (java.net.Socket socket = tls.getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("POST /v2/shipments/" + created.getId() + "/buy HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nAuthorization: Bearer " + EasyPostSimulator.API_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Instant read = Instant.now().plus(Duration.ofSeconds(10));
            while (simulator.requests() == admitted && Instant.now().isBefore(read)) {
                Thread.sleep(5);
            }
            // Hang up with a reset while the simulator holds the call (its 400 ms latency), as a killed caller does.
            socket.setSoLinger(true, 0);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (simulator.purchases(created.getId()) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(simulator.purchases(created.getId())).as("the simulator bought the label after the caller hung up").isEqualTo(1);
        while (!Files.readString(file).contains("postage_label\":{") && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).as("saved while running (a kill -9 gives no stop() to save at): was lost, "
                + "the state file being written when the answer ends, which a reset never does").contains("postage_label\":{");
        first.close();

        EasyPostGateway second = start(Optional.of(file));
        com.easypost.model.Shipment back = GatewayIT.await(second.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(created.getId())));
        assertThat(back.getPostageLabel()).isNotNull();
        second.close();
    }

    @Test
    @DisplayName("scan forms, pickups, batches and standalone trackers made before a restart are read back after it, and a shipment on a form stays on it")
    void endOfDayAndTrackersSurviveARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        EasyPostGateway first = start(Optional.of(file));
        com.easypost.model.Shipment created = GatewayIT.await(first.call("create shipment", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.create(GatewayIT.shipmentParams())));
        String rate = created.getRates().get(0).getId();
        GatewayIT.await(first.call("buy label", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.buy(created.getId(), Map.<String, Object>of("rate", Map.of("id", rate)))));
        com.easypost.model.ScanForm form = GatewayIT.await(first.call("create scan form", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.scanForm.create(Map.<String, Object>of("shipments", java.util.List.of(Map.of("id", created.getId()))))));
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        com.easypost.model.Pickup pickup = GatewayIT.await(first.call("create pickup", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.pickup.create(Map.<String, Object>of("address", Map.of("street1", "1 Dock Rd", "city", "Oakland", "zip", "94607"),
                        "min_datetime", tomorrow + "T10:00:00Z", "max_datetime", tomorrow + "T12:00:00Z",
                        "shipment", Map.of("id", created.getId())))));
        var pickupRate = pickup.getPickupRates().get(0);
        GatewayIT.await(first.call("buy pickup", EasyPostGateway.Repeat.IF_NOT_APPLIED, c -> c.pickup.buy(pickup.getId(),
                Map.<String, Object>of("carrier", pickupRate.getCarrier(), "service", pickupRate.getService()))));
        com.easypost.model.Batch batch = GatewayIT.await(first.call("create batch", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.batch.create(Map.<String, Object>of("shipments", java.util.List.of(Map.of("id", created.getId()))))));
        first.simulator().orElseThrow().batchGenerationMs(60_000);
        com.easypost.model.Batch asked = GatewayIT.await(first.call("generate batch label", EasyPostGateway.Repeat.SAFE,
                c -> c.batch.label(batch.getId(), Map.<String, Object>of("file_format", "PDF"))));
        assertThat(asked.getState()).as("its document takes a minute before the restart").isEqualTo("label_generating");
        com.easypost.model.Tracker tracker = GatewayIT.await(first.call("create tracker", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.tracker.create(Map.<String, Object>of("tracking_code", "EZ1000000001", "carrier", "USPS"))));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!(Files.isRegularFile(file) && Files.readString(file).contains(tracker.getId())) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        first.close();

        EasyPostGateway second = start(Optional.of(file));
        com.easypost.model.ScanForm formBack = GatewayIT.await(second.call("retrieve scan form", EasyPostGateway.Repeat.SAFE,
                c -> c.scanForm.retrieve(form.getId())));
        assertThat(formBack.getTrackingCodes()).containsExactlyElementsOf(form.getTrackingCodes());
        com.easypost.model.Pickup pickupBack = GatewayIT.await(second.call("retrieve pickup", EasyPostGateway.Repeat.SAFE,
                c -> c.pickup.retrieve(pickup.getId())));
        assertThat(pickupBack.getStatus()).isEqualTo("scheduled");
        assertThat(second.simulator().orElseThrow().pickupPurchases(pickup.getId())).isEqualTo(1);
        com.easypost.model.Tracker trackerBack = GatewayIT.await(second.call("retrieve tracker", EasyPostGateway.Repeat.SAFE,
                c -> c.tracker.retrieve(tracker.getId())));
        assertThat(trackerBack.getTrackingCode()).isEqualTo("EZ1000000001");
        com.easypost.model.Tracker again = GatewayIT.await(second.call("create tracker", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.tracker.create(Map.<String, Object>of("tracking_code", "EZ1000000001", "carrier", "USPS"))));
        assertThat(again.getId()).as("EasyPost answers the existing tracker for the same code").isEqualTo(tracker.getId());
        Instant generated = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(generated) && GatewayIT.await(second.call("retrieve batch", EasyPostGateway.Repeat.SAFE,
                c -> c.batch.retrieve(batch.getId()))).getLabelUrl() == null) {
            Thread.sleep(50);
        }
        assertThat(GatewayIT.await(second.call("retrieve batch", EasyPostGateway.Repeat.SAFE, c -> c.batch.retrieve(batch.getId())))
                .getLabelUrl()).as("the document is finished after the restart").endsWith(batch.getId() + ".pdf");
        Throwable second_form = GatewayIT.await(second.call("create scan form", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.scanForm.create(Map.<String, Object>of("shipments", java.util.List.of(Map.of("id", created.getId())))))
                .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
        assertThat(second_form).as("the shipment is still on its form").isNotNull();
        second.close();
    }
}
