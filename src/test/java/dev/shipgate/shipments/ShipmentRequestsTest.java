package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipment request limits and their messages")
class ShipmentRequestsTest {

    static final String EMOJI = "\uD83D\uDCE6";

    static AddressInput address(String name) {
        return new AddressInput(name, null, "417 Montgomery St", null, "San Francisco", "CA", "94104", "US", null, null, null);
    }

    static CreateShipment shipment(String name, String weight, String length) {
        return new CreateShipment(address(name), address("Warehouse"),
                new ParcelInput(length == null ? null : new BigDecimal(length), null, null, new BigDecimal(weight), null),
                "REF-1", null, null);
    }

    static Map<String, String> refused(Object request) {
        return catchThrowableOfType(ProblemException.class, () -> Json.validate(request)).problem().invalidParams().stream()
                .collect(Collectors.toMap(Problem.InvalidParam::name, Problem.InvalidParam::reason, (a, b) -> a + " | " + b));
    }

    @Test
    @DisplayName("a name of 100 emoji is 100 characters and is accepted; 101 are refused as more than 100 characters")
    void lengthsCountCharacters() {
        assertThat(Json.validate(shipment(EMOJI.repeat(100), "16", null)).toAddress().name()).hasSize(200);
        assertThat(refused(shipment(EMOJI.repeat(101), "16", null)))
                .containsExactly(Map.entry("to_address.name", "must be at most 100 characters"));
        assertThat(refused(new ShipmentRequests.Buy(null, ShipmentRequests.Strategy.CHEAPEST, List.of("x".repeat(65)), null)))
                .containsExactly(Map.entry("carriers[0]", "must be at most 64 characters"));
    }

    @Test
    @DisplayName("parcel limits read as sentences, never as unevaluated ${...} templates")
    void parcelMessages() {
        assertThat(refused(shipment("Ada", "0.01", "1000.5"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "parcel.weight", "must be at least 0.1",
                "parcel.length", "must be at most 1000"));
        assertThat(refused(shipment("Ada", "2400.0001", null)).get("parcel.weight"))
                .contains("must be at most 2400").contains("must have at most 4 digits before the decimal point and 3 after it");
    }

    @Test
    @DisplayName("no constraint of a shipment request answers with a message template")
    void noTemplates() {
        CreateShipment everythingWrong = new CreateShipment(
                new AddressInput("x".repeat(101), "x".repeat(101), " ", "x".repeat(201), "", "x".repeat(51), "x".repeat(21), "usa",
                        "x".repeat(41), "not an email", null),
                address("Warehouse"),
                new ParcelInput(new BigDecimal("0"), new BigDecimal("99999.9999"), new BigDecimal("-1"), new BigDecimal("1e9"),
                        "x".repeat(65)),
                "x".repeat(101), null, null);
        Map<String, String> messages = refused(everythingWrong);
        assertThat(messages).hasSizeGreaterThan(12);
        assertThat(messages.values()).allSatisfy(m -> assertThat(m).doesNotContain("${").doesNotContain("{value}"));
    }
}
