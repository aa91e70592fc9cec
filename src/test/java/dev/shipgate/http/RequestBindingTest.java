package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Binding request bodies: refused when PostgreSQL would refuse or change them")
class RequestBindingTest {

    static final String TO = "{\"name\": \"Ada Lovelace\", \"street1\": \"417 Montgomery St\", \"city\": \"San Francisco\", "
            + "\"state\": \"CA\", \"zip\": \"94104\"}";
    static final String FROM = "{\"name\": \"Warehouse\", \"street1\": \"1 Dock Rd\", \"city\": \"Oakland\", \"zip\": \"94607\"}";

    static String shipment(String to, String parcel, String reference) {
        return "{\"to_address\": " + to + ", \"from_address\": " + FROM + ", \"parcel\": " + parcel
                + ", \"reference\": " + reference + "}";
    }

    static CreateShipment decode(String json) {
        return Json.decode(Buffer.buffer(json), CreateShipment.class);
    }

    static Problem refused(String json) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> decode(json));
        assertThat(e).as("refused: " + json).isNotNull();
        return e.problem();
    }

    static List<String> names(Problem p) {
        return p.invalidParams().stream().map(Problem.InvalidParam::name).toList();
    }

    @ParameterizedTest(name = "{0} oz")
    @ValueSource(strings = {"0.004", "1e-3", "1e-19", "0.04", "0", "15.8751", "2400.001", "1e999999999"})
    @DisplayName("a weight below 0.1 oz, above 2400 oz or with more than three decimals is refused with 422 naming parcel.weight")
    void weightOutOfRange(String weight) {
        Problem p = refused(shipment(TO, "{\"weight\": " + weight + "}", "\"R\""));
        assertThat(p.status()).isEqualTo(422);
        assertThat(names(p)).containsOnly("parcel.weight");
    }

    @Test
    @DisplayName("dimensions follow the same rules as weight, each named")
    void dimensionsOutOfRange() {
        Problem p = refused(shipment(TO, "{\"weight\": 16, \"length\": 0.004, \"width\": 1000.5, \"height\": 1.0005}", "null"));
        assertThat(p.status()).isEqualTo(422);
        assertThat(names(p)).containsOnly("parcel.height", "parcel.length", "parcel.width");
    }

    @Test
    @DisplayName("15.875 oz and 10.125 in are kept digit for digit; trailing zeros and exponents are dropped")
    void precisionKept() {
        CreateShipment s = decode(shipment(TO, "{\"weight\": 15.875, \"length\": 10.125, \"width\": 8.50, \"height\": 1E+1}", "null"));
        assertThat(s.parcel().weight().toString()).isEqualTo("15.875");
        assertThat(s.parcel().length().toString()).isEqualTo("10.125");
        assertThat(s.parcel().width().toString()).isEqualTo("8.5");
        assertThat(s.parcel().height().toString()).isEqualTo("10");
        assertThat(s.toEasyPost().get("parcel")).hasToString("{length=10.125, width=8.5, height=10, weight=15.875}");
        assertThat(decode(shipment(TO, "{\"weight\": 0.1000}", "null")).parcel().weight().toString()).isEqualTo("0.1");
    }

    @Test
    @DisplayName("a ZIP code or phone number sent as a JSON number is refused with 400 naming the field, not turned into text")
    void numberForText() {
        Problem zip = refused(shipment(TO.replace("\"94104\"", "2134"), "{\"weight\": 16}", "null"));
        assertThat(zip.status()).isEqualTo(400);
        assertThat(names(zip)).containsExactly("to_address.zip");
        Problem phone = refused(shipment(TO.replace("}", ", \"phone\": 4155550100}"), "{\"weight\": 16}", "null"));
        assertThat(names(phone)).containsExactly("to_address.phone");
        Problem flag = refused(shipment(TO, "{\"weight\": 16}", "true"));
        assertThat(names(flag)).containsExactly("reference");
        Problem decimal = refused(shipment(TO.replace("\"CA\"", "1.5"), "{\"weight\": 16}", "null"));
        assertThat(names(decimal)).containsExactly("to_address.state");
    }

    @Test
    @DisplayName("a NUL character in a name or a reference is refused with 422 naming the field")
    void nul() {
        Problem p = refused(shipment(TO.replace("Ada Lovelace", "Ada\\u0000Lovelace"), "{\"weight\": 16}", "\"ORDER\\u0000\""));
        assertThat(p.status()).isEqualTo(422);
        assertThat(names(p)).containsExactly("reference", "to_address.name");
        assertThat(p.invalidParams().get(0).reason()).contains("NUL");
    }

    @Test
    @DisplayName("NUL in a key or value of options, nested or not, is refused naming where it is")
    void nulInOptions() {
        String plain = shipment(TO, "{\"weight\": 16}", "null");
        String body = plain.substring(0, plain.length() - 1)
                + ", \"options\": {\"payment\": {\"type\": \"x\\u0000\"}, \"a\\u0000\": 1}}";
        Problem p = refused(body);
        assertThat(names(p)).containsOnly("options", "options.payment.type");
    }

    @Test
    @DisplayName("an unpaired surrogate is refused; a real pair (an emoji) is kept")
    void surrogates() {
        assertThat(names(refused(shipment(TO.replace("Ada", "Ada\\ud800"), "{\"weight\": 16}", "null"))))
                .containsExactly("to_address.name");
        assertThat(names(refused(shipment(TO, "{\"weight\": 16}", "\"\\udc00x\"")))).containsExactly("reference");
        assertThat(decode(shipment(TO, "{\"weight\": 16}", "\"gift \\ud83c\\udf81\"")).reference()).isEqualTo("gift \ud83c\udf81");
    }

    @Test
    @DisplayName("query text with NUL or beyond its length is a 400 naming the parameter; blank is absent")
    void queryText() {
        ProblemException nul = catchThrowableOfType(ProblemException.class, () -> Params.text("q", "ab\0c", 100));
        assertThat(nul.problem().status()).isEqualTo(400);
        assertThat(names(nul.problem())).containsExactly("q");
        ProblemException longer = catchThrowableOfType(ProblemException.class, () -> Params.text("q", "x".repeat(101), 100));
        assertThat(names(longer.problem())).containsExactly("q");
        assertThat(Params.text("q", "  ", 100)).isNull();
        assertThat(Params.text("q", " Ada ", 100)).isEqualTo("Ada");
    }

    static String withItem(String quantity) {
        return shipment(TO, "{\"weight\": 16}", "\"R\"").replace("\"R\"}", "\"R\", \"customs_info\": {\"customs_items\": "
                + "[{\"description\": \"T-shirt\", \"quantity\": " + quantity + ", \"value\": \"40.00\", \"weight\": 16}]}}");
    }

    @ParameterizedTest(name = "quantity {0}")
    @ValueSource(strings = {"1e12", "10000000000000", "1.5", "1.9"})
    @DisplayName("a customs quantity out of range or not whole is a 400 naming the field, never cut to a whole number")
    void quantityOutOfRangeOrFractional(String quantity) {
        Problem p = refused(withItem(quantity));
        assertThat(p.status()).isEqualTo(400);
        assertThat(names(p)).containsExactly("customs_info.customs_items[0].quantity");
    }

    @Test
    @DisplayName("a weight of 1e400 is refused naming parcel.weight")
    void hugeWeightNamed() {
        Problem p = refused(shipment(TO, "{\"weight\": 1e400}", "\"R\""));
        assertThat(names(p)).contains("parcel.weight");
    }

    @Test
    @DisplayName("a member given twice is a 400 naming it (with its path), not the last one winning")
    void duplicateMembers() {
        Problem top = refused(shipment(TO, "{\"weight\": 16}", "\"R\"").replace("\"reference\": \"R\"",
                "\"reference\": \"R\", \"reference\": \"S\""));
        assertThat(top.status()).isEqualTo(400);
        assertThat(names(top)).containsExactly("reference");
        Problem nested = refused(shipment(TO, "{\"weight\": 16, \"weight\": 1}", "\"R\""));
        assertThat(names(nested)).containsExactly("parcel.weight");
        Problem inArray = refused(withItem("1").replace("\"value\": \"40.00\"", "\"value\": \"40.00\", \"value\": \"1.00\""));
        assertThat(names(inArray)).containsExactly("customs_info.customs_items[0].value");
    }

    @Test
    @DisplayName("a buy naming neither or both of rate_id and strategy names both fields")
    void buyChoiceNamesRealFields() {
        ProblemException none = catchThrowableOfType(ProblemException.class,
                () -> Json.decode(Buffer.buffer("{}"), dev.shipgate.shipments.ShipmentRequests.Buy.class));
        assertThat(names(none.problem())).containsExactly("rate_id", "strategy");
        ProblemException both = catchThrowableOfType(ProblemException.class, () -> Json.decode(
                Buffer.buffer("{\"rate_id\": \"rate_1\", \"strategy\": \"cheapest\"}"), dev.shipgate.shipments.ShipmentRequests.Buy.class));
        assertThat(names(both.problem())).containsExactly("rate_id", "strategy");
        ProblemException twice = catchThrowableOfType(ProblemException.class, () -> Json.decode(
                Buffer.buffer("{\"strategy\": \"cheapest\", \"strategy\": \"fastest\", \"dry_run\": true}"),
                dev.shipgate.shipments.ShipmentRequests.Buy.class));
        assertThat(twice.problem().status()).isEqualTo(400);
        assertThat(names(twice.problem())).containsExactly("strategy");
    }

    @Test
    @DisplayName("a country code that is no ISO 3166-1 country (ZZ, XX) is refused naming the field, for addresses and customs origin")
    void countryCodesChecked() {
        Problem to = refused(shipment(TO.replace("\"zip\": \"94104\"", "\"zip\": \"94104\", \"country\": \"ZZ\""),
                "{\"weight\": 16}", "\"R\""));
        assertThat(to.status()).isEqualTo(422);
        assertThat(names(to)).contains("to_address.country");
        Problem origin = refused(withItem("1").replace("\"weight\": 16}]", "\"weight\": 16, \"hs_tariff_number\": \"610910\", "
                + "\"origin_country\": \"XX\"}]"));
        assertThat(names(origin)).contains("customs_info.customs_items[0].origin_country");
        assertThat(decode(shipment(TO.replace("\"zip\": \"94104\"", "\"zip\": \"94104\", \"country\": \"US\""),
                "{\"weight\": 16}", "\"R\"")).toAddress().country()).isEqualTo("US");
    }

    @Test
    @DisplayName("shipment options are EasyPost's, with their types: an unknown one or a wrong value is a 422 naming options.<name>")
    void optionsChecked() {
        String base = shipment(TO, "{\"weight\": 16}", "\"R\"");
        Problem unknown = refused(base.replace("\"R\"}", "\"R\", \"options\": {\"foo\": 1, \"label_format\": \"gif\", \"saturday_delivery\": \"yes\"}}"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(names(unknown)).containsExactlyInAnyOrder("options.foo", "options.label_format", "options.saturday_delivery");
        CreateShipment fine = decode(base.replace("\"R\"}", "\"R\", \"options\": {\"label_format\": \"PDF\", \"print_custom_1\": \"ORD-1\", "
                + "\"saturday_delivery\": true}}"));
        assertThat(fine.options()).containsEntry("label_format", "PDF");
    }
}
