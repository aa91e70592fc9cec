package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Text limits count characters, and their messages read as sentences")
class TextLimitsIT extends SharedAppTest {

    static final String PARCEL_EMOJI = "\uD83D\uDCE6";

    @Test
    @DisplayName("a recipient name of 100 emoji is stored and read back; 101 are a 422 saying at most 100 characters")
    void emojiNames() {
        JsonObject body = Fixtures.newShipment("EMOJI-100");
        body.getJsonObject("to_address").put("name", PARCEL_EMOJI.repeat(100));
        var created = api.post("/shipments", body);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(api.get("/shipments/" + created.bodyAsJsonObject().getString("id")).bodyAsJsonObject()
                .getJsonObject("to_address").getString("name")).isEqualTo(PARCEL_EMOJI.repeat(100));

        body.getJsonObject("to_address").put("name", PARCEL_EMOJI.repeat(101));
        var refused = api.post("/shipments", body);
        Fixtures.assertField(refused, 422, "to_address.name");
        assertThat(refused.bodyAsJsonObject().getString("detail")).isEqualTo("to_address.name must be at most 100 characters");
    }

    @Test
    @DisplayName("a parcel below or above its limits is refused with the limit in words, not a ${...} template")
    void parcelMessages() {
        JsonObject light = Fixtures.newShipment("LIGHT");
        light.getJsonObject("parcel").put("weight", 0.01).put("length", 1001);
        var refused = api.post("/shipments", light);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.bodyAsJsonObject().getString("detail"))
                .isEqualTo("parcel.length must be at most 1000; parcel.weight must be at least 0.1");
    }
}
