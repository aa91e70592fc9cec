package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
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
}
