package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in simulator's documents are served by Shipgate itself under /sim-files/, so the links the
 * database keeps open over plain HTTP and still open after a restart, also when the service comes back on
 * another port (the stored links are rewritten to it).
 */
@DisplayName("Simulator document links across a restart")
class SimulatorFilesIT {

    @Test
    @DisplayName("label, customs form, batch label and scan form links stored before a restart on another port open after it")
    void linksSurviveARestart(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = new HashMap<>(EmbeddedDatabaseIT.env(dataDir));
        int firstPort = TestApp.freePort();
        env.put("HTTP_PORT", String.valueOf(firstPort));
        List<String> before = new ArrayList<>();
        String shipmentId;
        String batchId;
        String formId;
        try (ServiceProcess first = ServiceProcess.start(dataDir, "first", env)) {
            first.awaitStarted();
            try (Api api = new Api(firstPort, TestApp.TOKEN)) {
                JsonObject made = api.post("/shipments", InternationalIT.international("LINKS-1")).bodyAsJsonObject();
                shipmentId = made.getString("id");
                JsonObject bought = api.post("/shipments/" + shipmentId + "/buy",
                        new JsonObject().put("strategy", "cheapest").put("label_format", "pdf")).bodyAsJsonObject();
                before.add(bought.getString("label_url"));
                JsonArray forms = bought.getJsonArray("forms");
                assertThat(forms).as(bought.encode()).isNotEmpty();
                before.add(forms.getJsonObject(0).getString("form_url"));
                batchId = api.post("/label-batches", new JsonObject().put("shipment_ids", new JsonArray().add(shipmentId)))
                        .bodyAsJsonObject().getString("id");
                JsonObject batch = Await.value("the batch document", Duration.ofSeconds(60),
                        () -> api.get("/label-batches/" + batchId).bodyAsJsonObject(), b -> "ready".equals(b.getString("state")));
                before.add(batch.getString("label_url"));
                JsonObject form = api.post("/scan-forms", new JsonObject().put("shipment_ids", new JsonArray().add(shipmentId)))
                        .bodyAsJsonObject();
                formId = form.getString("id");
                assertThat(form.getString("form_url")).as(form.encode()).isNotNull();
                before.add(form.getString("form_url"));
            }
        }
        assertThat(before).as("plain HTTP links on the service's own address, not the simulator's HTTPS port")
                .allMatch(u -> u.startsWith("http://127.0.0.1:" + firstPort + "/sim-files/"));

        int secondPort = TestApp.freePort();
        env.put("HTTP_PORT", String.valueOf(secondPort));
        try (ServiceProcess second = ServiceProcess.start(dataDir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(secondPort, TestApp.TOKEN)) {
                JsonObject shipment = api.get("/shipments/" + shipmentId).bodyAsJsonObject();
                List<String> after = List.of(shipment.getString("label_url"),
                        shipment.getJsonArray("forms").getJsonObject(0).getString("form_url"),
                        api.get("/label-batches/" + batchId).bodyAsJsonObject().getString("label_url"),
                        api.get("/scan-forms/" + formId).bodyAsJsonObject().getString("form_url"));
                String base = "http://127.0.0.1:" + secondPort + "/sim-files/";
                assertThat(after).as("the stored links now point at the restarted service").allMatch(u -> u.startsWith(base));
                for (int i = 0; i < after.size(); i++) {
                    assertThat(after.get(i)).as("the same document as before").endsWith(before.get(i).substring(before.get(i).indexOf("/sim-files/")));
                    byte[] pdf = DashboardIT.download(after.get(i));
                    assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).as(after.get(i)).isEqualTo("%PDF-");
                }
                assertThat(api.get(after.get(2).substring(("http://127.0.0.1:" + secondPort).length()).replace("/sim-files", "/api/sim-files"))
                        .statusCode()).as("also under /api/, the prefix nginx proxies").isEqualTo(200);
            }
        }
    }
}
