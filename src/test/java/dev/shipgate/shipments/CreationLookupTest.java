package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import com.easypost.Constants;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Matching a shipment EasyPost lists against the request that may have made it, with EasyPost's shipment read
 * by the client's own gson from a recorded answer to {@code POST /v2/shipments} (reference "123", Jack Sparrow
 * to Elizabeth Swan, 15.4 oz).
 */
@DisplayName("Finding the shipment a lost creation made: matching EasyPost's shipment to the request")
class CreationLookupTest {

    static final String RECORDED = read("/easypost/shipment-create.json");

    static String read(String resource) {
        try (InputStream in = CreationLookupTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EasyPost's recorded shipment, changed first by {@code edit}, as the client reads it. */
    static com.easypost.model.Shipment easypost(Consumer<JsonObject> edit) {
        JsonObject json = new JsonObject(RECORDED);
        edit.accept(json);
        return Constants.Http.GSON.fromJson(json.encode(), com.easypost.model.Shipment.class);
    }

    static com.easypost.model.Shipment recorded() {
        return easypost(json -> { });
    }

    static AddressInput address(String name, String street1, String city, String state, String zip) {
        return new AddressInput(name, null, street1, null, city, state, zip, "US", null, null, null);
    }

    static final AddressInput TO = address("Elizabeth Swan", "179 N Harbor Dr", "Redondo Beach", "CA", "90277");
    static final AddressInput FROM = new AddressInput("Jack Sparrow", null, "388 Townsend St", "Apt 20",
            "San Francisco", "CA", "94107", "US", null, null, null);

    static CreateShipment request(AddressInput to, AddressInput from, String weight, String reference) {
        ParcelInput parcel = new ParcelInput(new BigDecimal("10"), new BigDecimal("8"), new BigDecimal("4"),
                new BigDecimal(weight), null);
        return new CreateShipment(to, from, parcel, reference, null, null);
    }

    static final CreateShipment SENT = request(TO, FROM, "15.4", "123");

    @Test
    @DisplayName("the recorded shipment matches the request that made it")
    void matchesItsRequest() {
        com.easypost.model.Shipment shipment = recorded();
        assertThat(shipment.getId()).isEqualTo("shp_b03d8d40ace34f95ad754d9932d96e2a");
        assertThat(CreationLookup.matches(shipment, SENT)).isTrue();
    }

    @Test
    @DisplayName("names, streets and ZIP codes match whatever their case and surrounding spaces, as EasyPost may normalise them")
    void caseAndSpacesIgnored() {
        AddressInput shoutedTo = address(" ELIZABETH SWAN", "179 n harbor dr ", "Redondo Beach", "CA", " 90277");
        CreateShipment shouted = request(shoutedTo, FROM, "15.4", "123");
        assertThat(CreationLookup.matches(recorded(), shouted)).isTrue();
        com.easypost.model.Shipment normalised =
                easypost(json -> json.getJsonObject("to_address").put("street1", "179 N HARBOR DR"));
        assertThat(CreationLookup.matches(normalised, SENT)).isTrue();
    }

    @ParameterizedTest(name = "{0} address, {1} = {2}")
    @CsvSource({
        "to, name, Will Turner",
        "to, street1, 180 N Harbor Dr",
        "to, zip, 90278",
        "from, name, Hector Barbossa",
        "from, street1, 1 Market St",
        "from, zip, 94105",
    })
    @DisplayName("another name, street or ZIP code on either address is another shipment")
    void addressDiffers(String which, String field, String value) {
        com.easypost.model.Shipment other = easypost(json -> json.getJsonObject(which + "_address").put(field, value));
        assertThat(CreationLookup.matches(other, SENT)).isFalse();
    }

    @Test
    @DisplayName("addresses swapped between sender and recipient do not match")
    void swappedAddresses() {
        assertThat(CreationLookup.matches(recorded(), request(FROM, TO, "15.4", "123"))).isFalse();
    }

    @Test
    @DisplayName("city, state, street2 and phone are not compared: EasyPost's verification may rewrite them")
    void otherFieldsNotCompared() {
        com.easypost.model.Shipment rewritten = easypost(json -> json.getJsonObject("to_address")
                .put("city", "REDONDO BCH").put("state", "California").put("street2", "Suite 1")
                .put("phone", "5555555555"));
        assertThat(CreationLookup.matches(rewritten, SENT)).isTrue();
    }

    @Test
    @DisplayName("another reference is another shipment; references are compared exactly")
    void referenceDiffers() {
        assertThat(CreationLookup.matches(recorded(), request(TO, FROM, "15.4", "124"))).isFalse();
        assertThat(CreationLookup.matches(recorded(), request(TO, FROM, "15.4", null))).isFalse();
        com.easypost.model.Shipment lower = easypost(json -> json.put("reference", "order-7"));
        assertThat(CreationLookup.matches(lower, request(TO, FROM, "15.4", "ORDER-7"))).isFalse();
    }

    @Test
    @DisplayName("no reference, an empty one and a blank one are all the same absence, on either side")
    void blankReferences() {
        com.easypost.model.Shipment none = easypost(json -> json.putNull("reference"));
        com.easypost.model.Shipment empty = easypost(json -> json.put("reference", ""));
        for (String sent : new String[] {null, "", "  "}) {
            assertThat(CreationLookup.matches(none, request(TO, FROM, "15.4", sent))).as("[%s] vs null", sent).isTrue();
            assertThat(CreationLookup.matches(empty, request(TO, FROM, "15.4", sent))).as("[%s] vs empty", sent)
                    .isTrue();
        }
        assertThat(CreationLookup.matches(none, SENT)).isFalse();
    }

    @ParameterizedTest(name = "sent {0} oz")
    @CsvSource({"15.4, true", "15.40, true", "15.4009, true", "15.401, false", "15.399, false", "15.5, false",
        "154, false"})
    @DisplayName("weights match within a thousandth of an ounce, although EasyPost returns them as floats")
    void weight(String sent, boolean matches) {
        assertThat(CreationLookup.matches(recorded(), request(TO, FROM, sent, "123"))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} oz")
    @CsvSource({"0.1", "15.875", "99.999", "2399.999", "2400"})
    @DisplayName("a weight with three decimals, read back through a float, still matches the decimal sent")
    void floatWeights(String weight) {
        com.easypost.model.Shipment shipment =
                easypost(json -> json.getJsonObject("parcel").put("weight", Double.parseDouble(weight)));
        assertThat(CreationLookup.matches(shipment, request(TO, FROM, weight, "123"))).isTrue();
    }

    @Test
    @DisplayName("a shipment without a parcel, a weight or an address never matches")
    void missingParts() {
        assertThat(CreationLookup.matches(easypost(json -> json.remove("parcel")), SENT)).isFalse();
        assertThat(CreationLookup.matches(easypost(json -> json.getJsonObject("parcel").putNull("weight")), SENT))
                .isFalse();
        assertThat(CreationLookup.matches(easypost(json -> json.putNull("to_address")), SENT)).isFalse();
        assertThat(CreationLookup.matches(easypost(json -> json.remove("from_address")), SENT)).isFalse();
    }

    @Test
    @DisplayName("shipments are ordered by EasyPost's creation time; one without a time sorts first")
    void createdAt() {
        assertThat(CreationLookup.createdAt(recorded())).isEqualTo(Instant.parse("2024-08-16T15:59:14Z"));
        assertThat(CreationLookup.createdAt(easypost(json -> json.remove("created_at")))).isEqualTo(Instant.EPOCH);
    }
}
