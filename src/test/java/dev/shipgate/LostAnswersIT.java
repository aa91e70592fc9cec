package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("EasyPost answers lost after the call took effect")
class LostAnswersIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    @ParameterizedTest(name = "fault {0}")
    @ValueSource(ints = {EasyPostSimulator.APPLY_THEN_EMPTY, EasyPostSimulator.APPLY_THEN_CUT, EasyPostSimulator.APPLY_THEN_HTML})
    @DisplayName("a purchase whose answer comes back empty, cut off or as HTML is read back and recorded, not bought again")
    void purchaseReconciled(int fault) {
        JsonObject shipment = Fixtures.created(api, "ORDER-LOST-" + fault);
        simulator.script(fault);
        var bought = api.post("/shipments/" + shipment.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("tracking_code")).isNotBlank();
        assertThat(simulator.purchases(shipment.getString("easypost_id"))).isEqualTo(1);
        assertThat(api.post("/shipments/" + shipment.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"))
                .statusCode()).as("already bought").isEqualTo(409);
    }

    @ParameterizedTest(name = "fault {0}")
    @ValueSource(ints = {EasyPostSimulator.APPLY_THEN_EMPTY, EasyPostSimulator.APPLY_THEN_CUT, EasyPostSimulator.APPLY_THEN_HTML})
    @DisplayName("a creation whose answer is lost is found at EasyPost and answered 201: one shipment made, one stored")
    void creationRetried(int fault) {
        String reference = "ORDER-LOST-CREATE-" + fault + "-" + System.nanoTime();
        int before = simulator.shipmentIds().size();
        simulator.script(fault);
        var created = api.post("/shipments", Fixtures.newShipment(reference));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getJsonArray("rates")).hasSize(8);
        assertThat(simulator.shipmentIds()).as("was 2: a blind retry left the unanswered first one as an orphan")
                .hasSize(before + 1);
        assertThat(simulator.shipmentIds()).contains(created.bodyAsJsonObject().getString("easypost_id"));
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE reference = '" + reference + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("identical creations sent together, four of whose answers are lost, each get a shipment of their own: none taken twice, no duplicate key, no orphan")
    void identicalCreationsWithLostAnswers() throws Exception {
        String reference = "ORDER-IDENTICAL-" + System.nanoTime();
        int creations = 10;
        int before = simulator.shipmentIds().size();
        simulator.script(EasyPostSimulator.APPLY_THEN_EMPTY, EasyPostSimulator.APPLY_THEN_CUT,
                EasyPostSimulator.APPLY_THEN_FAIL, EasyPostSimulator.APPLY_THEN_EMPTY);
        ExecutorService pool = Executors.newFixedThreadPool(creations);
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < creations; i++) {
                sent.add(pool.submit(() -> api.post("/shipments", Fixtures.newShipment(reference))));
            }
            Set<String> easypostIds = new HashSet<>();
            for (Future<HttpResponse<Buffer>> f : sent) {
                HttpResponse<Buffer> created = f.get(120, TimeUnit.SECONDS);
                assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
                easypostIds.add(created.bodyAsJsonObject().getString("easypost_id"));
            }
            assertThat(easypostIds).as("each creation its own EasyPost shipment").hasSize(creations);
        } finally {
            pool.shutdownNow();
        }
        assertThat(simulator.shipmentIds()).hasSize(before + creations);
        assertThat(TestDatabase.count("SELECT count(*) FROM shipments WHERE reference = '" + reference + "'")).isEqualTo(creations);
        assertThat(TestDatabase.count("SELECT count(*) FROM easypost_orphans WHERE reference = '" + reference + "'"))
                .as("no false orphans").isZero();
        assertThat(api.get("/reconciliation").bodyAsJsonObject().getJsonArray("orphans").stream()
                .map(JsonObject.class::cast).noneMatch(o -> reference.equals(o.getString("reference")))).isTrue();
    }
}
