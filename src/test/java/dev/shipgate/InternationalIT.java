package dev.shipgate;

import static dev.shipgate.Fixtures.assertField;
import static dev.shipgate.Fixtures.created;
import static dev.shipgate.Fixtures.newShipment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("International shipments, insurance, returns and carrier accounts through EasyPost")
class InternationalIT extends SharedAppTest {

    static EasyPostSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = TestApp.shared().gateway().simulator().orElseThrow();
    }

    /** San Francisco to London, 32 oz, two lines of goods worth 60 USD. */
    static JsonObject international(String reference) {
        JsonObject body = newShipment(reference);
        body.put("to_address", new JsonObject().put("name", "Grace Hopper").put("street1", "10 Downing St")
                .put("city", "London").put("zip", "SW1A 2AA").put("country", "GB"));
        body.getJsonObject("parcel").put("weight", 32);
        body.put("customs_info", new JsonObject().put("contents_type", "merchandise").put("non_delivery_option", "return")
                .put("eel_pfc", "NOEEI 30.37(a)").put("customs_signer", "Steve Brule").put("customs_certify", true)
                .put("customs_items", new JsonArray()
                        .add(item("T-shirt", 2, "40.00", 11, "6109.10.0012"))
                        .add(item("Cap", 1, "20", 5.5, "650500"))));
        return body;
    }

    static JsonObject item(String description, int quantity, String value, double weight, String hs) {
        return new JsonObject().put("description", description).put("quantity", quantity).put("value", value)
                .put("weight", weight).put("hs_tariff_number", hs).put("origin_country", "US");
    }

    static long count(String sql) {
        return TestDatabase.count(sql);
    }

    @Test
    @DisplayName("a US to Germany shipment is offered international services only (no GroundAdvantage or FEDEX_GROUND); a domestic one none of them")
    void internationalServicesOnly() {
        JsonObject toBerlin = international("INTL-SERVICES");
        toBerlin.put("to_address", new JsonObject().put("name", "Ada Lovelace").put("street1", "Unter den Linden 1")
                .put("city", "Berlin").put("zip", "10115").put("country", "DE"));
        HttpResponse<Buffer> made = api.post("/shipments", toBerlin);
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        java.util.List<String> services = made.bodyAsJsonObject().getJsonArray("rates").stream()
                .map(r -> ((JsonObject) r).getString("service")).toList();
        assertThat(services).contains("FirstClassPackageInternationalService", "PriorityMailInternational", "INTERNATIONAL_PRIORITY")
                .doesNotContain("GroundAdvantage", "FEDEX_GROUND", "Ground", "Priority");
        java.util.List<String> domestic = api.post("/shipments", newShipment("DOMESTIC-SERVICES")).bodyAsJsonObject()
                .getJsonArray("rates").stream().map(r -> ((JsonObject) r).getString("service")).toList();
        assertThat(domestic).contains("GroundAdvantage").doesNotContain("PriorityMailInternational", "INTERNATIONAL_PRIORITY");
    }

    @Test
    @DisplayName("an international shipment with customs is created, bought, and shows its customs and the commercial invoice PDF")
    void customsBought() {
        HttpResponse<Buffer> made = api.post("/shipments", international("INTL-1"));
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        String id = made.bodyAsJsonObject().getString("id");
        JsonObject stored = api.get("/shipments/" + id).bodyAsJsonObject();
        JsonObject customs = stored.getJsonObject("customs_info");
        assertThat(customs.getString("contents_type")).isEqualTo("merchandise");
        assertThat(customs.getString("customs_signer")).isEqualTo("Steve Brule");
        assertThat(customs.getJsonArray("customs_items")).hasSize(2);
        assertThat(customs.getJsonArray("customs_items").getJsonObject(0).getString("hs_tariff_number")).isEqualTo("6109.10.0012");
        assertThat(customs.getJsonArray("customs_items").getJsonObject(1).getString("value")).isEqualTo("20.00");
        assertThat(stored.getJsonArray("forms")).isEmpty();

        HttpResponse<Buffer> bought = api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        JsonArray forms = api.get("/shipments/" + id).bodyAsJsonObject().getJsonArray("forms");
        assertThat(forms).hasSize(1);
        assertThat(forms.getJsonObject(0).getString("form_type")).isEqualTo("commercial_invoice");
        assertThat(bought.bodyAsJsonObject().getJsonArray("forms").getJsonObject(0).getString("form_url"))
                .isEqualTo(forms.getJsonObject(0).getString("form_url"));
        Vertx vertx = Vertx.vertx();
        try {
            WebClient files = WebClient.create(vertx, new WebClientOptions().setTrustAll(true).setVerifyHost(false));
            HttpResponse<Buffer> pdf = files.getAbs(forms.getJsonObject(0).getString("form_url")).send()
                    .toCompletionStage().toCompletableFuture().join();
            assertThat(pdf.statusCode()).isEqualTo(200);
            assertThat(pdf.getHeader("content-type")).isEqualTo("application/pdf");
            assertThat(pdf.body().getString(0, 5, StandardCharsets.ISO_8859_1.name())).isEqualTo("%PDF-");
        } finally {
            vertx.close();
        }
    }

    @Test
    @DisplayName("customs values that do not add up are refused with 422 naming each field, before EasyPost is called and with nothing stored")
    void customsDoNotAddUp() {
        long shipments = count("SELECT count(*) FROM shipments");
        long declarations = count("SELECT count(*) FROM customs_infos");
        int atEasyPost = simulator.shipmentCount();
        int calls = simulator.requests();

        JsonObject tooHeavy = international("INTL-HEAVY");
        tooHeavy.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(1).put("weight", 30);
        assertField(api.post("/shipments", tooHeavy), 422, "customs_info.customs_items[1].weight");

        JsonObject cheap = international("INTL-CHEAP");
        cheap.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(0).put("quantity", 500).put("value", "1.00");
        assertField(api.post("/shipments", cheap), 422, "customs_info.customs_items[0].value");

        JsonObject valuable = international("INTL-AES");
        valuable.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(0).put("value", "2600.00");
        assertField(api.post("/shipments", valuable), 422, "customs_info.eel_pfc");

        JsonObject badEnums = international("INTL-ENUM");
        badEnums.getJsonObject("customs_info").put("contents_type", "stuff").put("non_delivery_option", "burn");
        badEnums.getJsonObject("customs_info").getJsonArray("customs_items").getJsonObject(0)
                .put("hs_tariff_number", "61A9").put("origin_country", "USA");
        HttpResponse<Buffer> enums = api.post("/shipments", badEnums);
        assertField(enums, 422, "customs_info.contents_type");
        assertField(enums, 422, "customs_info.non_delivery_option");
        assertField(enums, 422, "customs_info.customs_items[0].hs_tariff_number");
        assertField(enums, 422, "customs_info.customs_items[0].origin_country");

        JsonObject undeclared = international("INTL-NONE");
        undeclared.remove("customs_info");
        assertField(api.post("/shipments", undeclared), 422, "customs_info");

        assertThat(simulator.shipmentCount()).isEqualTo(atEasyPost);
        assertThat(simulator.requests()).isEqualTo(calls);
        assertThat(count("SELECT count(*) FROM shipments")).isEqualTo(shipments);
        assertThat(count("SELECT count(*) FROM customs_infos")).isEqualTo(declarations);
    }

    @Test
    @DisplayName("an insured purchase stores the insured amount and fee, and analytics count insurance apart from postage")
    void insuredPurchase() {
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        JsonObject before = api.get("/analytics/" + day).bodyAsJsonObject();
        String id = created(api, "INSURED-1").getString("id");
        HttpResponse<Buffer> bought = api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("insurance", "100.00"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("insured_amount")).isEqualTo("100.00");
        JsonObject stored = api.get("/shipments/" + id).bodyAsJsonObject();
        assertThat(stored.getString("insured_amount")).isEqualTo("100.00");
        assertThat(stored.getString("insurance_fee")).isEqualTo("0.50");
        JsonObject after = api.get("/analytics/" + day).bodyAsJsonObject();
        assertThat(new java.math.BigDecimal(after.getString("insurance_spend"))
                .subtract(new java.math.BigDecimal(before.getString("insurance_spend")))).isEqualByComparingTo("0.50");
        assertThat(new java.math.BigDecimal(after.getString("spend")).subtract(new java.math.BigDecimal(before.getString("spend"))))
                .isEqualByComparingTo(stored.getString("rate"));

        String later = created(api, "INSURED-2").getString("id");
        assertThat(api.post("/shipments/" + later + "/insure", new JsonObject().put("amount", "50")).statusCode()).isEqualTo(409);
        api.post("/shipments/" + later + "/buy", new JsonObject().put("strategy", "cheapest"));
        HttpResponse<Buffer> insured = api.post("/shipments/" + later + "/insure", new JsonObject().put("amount", "50"));
        assertThat(insured.statusCode()).as(insured.bodyAsString()).isEqualTo(200);
        assertThat(api.get("/shipments/" + later).bodyAsJsonObject().getString("insurance_fee")).isEqualTo("0.25");
        JsonObject audited = api.get("/audit?operation=insure_shipment&limit=1").bodyAsJsonObject().getJsonArray("entries").getJsonObject(0);
        assertThat(audited.getString("amount")).as(audited.encode()).isEqualTo("0.25");
    }

    @Test
    @DisplayName("insuring a bought international shipment above its customs value is refused naming amount, as buy refuses insurance")
    void insureCappedAtCustomsValue() {
        HttpResponse<Buffer> made = api.post("/shipments", international("INTL-INSURE-CAP"));
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        String id = made.bodyAsJsonObject().getString("id");
        java.math.BigDecimal declared = made.bodyAsJsonObject().getJsonObject("customs_info").getJsonArray("customs_items").stream()
                .map(i -> new java.math.BigDecimal(((JsonObject) i).getString("value"))).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        String above = declared.add(java.math.BigDecimal.ONE).setScale(2).toPlainString();
        assertField(api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest").put("insurance", above)), 422, "insurance");
        assertThat(api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest")).statusCode()).isEqualTo(200);
        int calls = simulator.requests();
        assertField(api.post("/shipments/" + id + "/insure", new JsonObject().put("amount", above)), 422, "amount");
        assertThat(simulator.requests()).as("nothing sent to EasyPost").isEqualTo(calls);
        HttpResponse<Buffer> within = api.post("/shipments/" + id + "/insure", new JsonObject().put("amount", declared.toPlainString()));
        assertThat(within.statusCode()).as(within.bodyAsString()).isEqualTo(200);
    }

    @Test
    @DisplayName("a return is created with the addresses swapped, linked both ways, and bought like any shipment")
    void returnBought() {
        String id = created(api, "RETURN-1").getString("id");
        api.post("/shipments/" + id + "/buy", new JsonObject().put("strategy", "cheapest"));
        HttpResponse<Buffer> made = api.post("/shipments/" + id + "/return", new JsonObject());
        assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
        JsonObject ret = made.bodyAsJsonObject();
        assertThat(ret.getString("return_of")).isEqualTo(id);
        assertThat(ret.getJsonObject("from_address").getString("name")).isEqualTo("Ada Lovelace");
        assertThat(ret.getJsonObject("to_address").getString("name")).isEqualTo("Shipgate Warehouse");
        assertThat(api.get("/shipments/" + id).bodyAsJsonObject().getString("return_shipment_id")).isEqualTo(ret.getString("id"));
        HttpResponse<Buffer> bought = api.post("/shipments/" + ret.getString("id") + "/buy", new JsonObject().put("strategy", "cheapest"));
        assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(200);
        assertThat(bought.bodyAsJsonObject().getString("tracking_code")).isNotBlank();
        assertThat(api.post("/shipments/" + id + "/return", new JsonObject()).bodyAsJsonObject().getString("id"))
                .isEqualTo(ret.getString("id"));
    }

    @Test
    @DisplayName("a return of a shipment without a label is a 409 naming it, with nothing stored and nothing sent to EasyPost")
    void returnOfUnbought() {
        String id = created(api, "RETURN-EARLY").getString("id");
        long shipments = count("SELECT count(*) FROM shipments");
        int atEasyPost = simulator.shipmentCount();
        HttpResponse<Buffer> refused = api.post("/shipments/" + id + "/return", new JsonObject());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.bodyAsJsonObject().getString("shipment_id")).isEqualTo(id);
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains(id);
        assertThat(count("SELECT count(*) FROM shipments")).isEqualTo(shipments);
        assertThat(simulator.shipmentCount()).isEqualTo(atEasyPost);
    }

    @Test
    @DisplayName("carrier accounts lists the connected carriers, and refresh asks EasyPost again")
    void carrierAccounts() {
        JsonObject listing = api.get("/carrier-accounts").bodyAsJsonObject();
        assertThat(listing.getJsonArray("carriers").getList()).containsExactly("FedEx", "UPS", "USPS");
        assertThat(listing.getJsonArray("accounts").getJsonObject(0).getString("id")).startsWith("ca_");
        int calls = simulator.requests();
        api.get("/carrier-accounts");
        assertThat(simulator.requests()).isEqualTo(calls);
        assertThat(api.get("/carrier-accounts?refresh=true").statusCode()).isEqualTo(200);
        assertThat(simulator.requests()).isEqualTo(calls + 1);
    }

    @Test
    @DisplayName("a bulk upload or a purchase restricted to an unconnected carrier is refused up front, naming the connected carriers")
    void unconnectedCarrier() {
        long jobs = count("SELECT count(*) FROM bulk_jobs");
        String csv = "reference,to_street1,to_city,to_zip,from_street1,from_city,from_zip,weight\n"
                + "DHL-1,417 Montgomery St,San Francisco,94104,1 Dock Rd,Oakland,94607,12\n";
        HttpResponse<Buffer> refused = api.client().post("/shipments/bulk-create?buy=cheapest&carriers=DHL")
                .bearerTokenAuthentication(TestApp.TOKEN).putHeader("content-type", "text/csv")
                .sendBuffer(Buffer.buffer(csv)).toCompletionStage().toCompletableFuture().join();
        assertField(refused, 422, "carriers");
        assertThat(refused.bodyAsJsonObject().getJsonArray("connected_carriers").getList()).containsExactly("FedEx", "UPS", "USPS");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("DHL").contains("USPS");
        assertThat(count("SELECT count(*) FROM bulk_jobs")).isEqualTo(jobs);

        String id = created(api, "DHL-BUY").getString("id");
        HttpResponse<Buffer> buy = api.post("/shipments/" + id + "/buy",
                new JsonObject().put("strategy", "cheapest").put("carriers", new JsonArray().add("DHL")));
        assertField(buy, 422, "carriers");
        assertThat(simulator.purchases(api.get("/shipments/" + id).bodyAsJsonObject().getString("easypost_id"))).isZero();
    }

    @Test
    @DisplayName("a CSV row with customs columns becomes a shipment with its customs declaration")
    void csvCustoms() {
        String csv = "reference,to_name,to_street1,to_city,to_zip,to_country,from_street1,from_city,from_zip,weight,"
                + "customs_contents_type,customs_signer,customs_certify,customs_item1_description,customs_item1_quantity,"
                + "customs_item1_value,customs_item1_weight,customs_item1_hs_tariff_number,customs_item1_origin_country\n"
                + "CSV-INTL,Grace Hopper,10 Downing St,London,SW1A 2AA,GB,1 Dock Rd,Oakland,94607,20,"
                + "gift,Steve Brule,true,Scarf,1,25.50,8,6117.10,US\n";
        HttpResponse<Buffer> accepted = api.client().post("/shipments/bulk-create")
                .bearerTokenAuthentication(TestApp.TOKEN).putHeader("content-type", "text/csv")
                .sendBuffer(Buffer.buffer(csv)).toCompletionStage().toCompletableFuture().join();
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String job = accepted.bodyAsJsonObject().getString("id");
        JsonObject item = null;
        for (int i = 0; i < 100 && (item == null || item.getString("shipment_id") == null); i++) {
            item = api.get("/jobs/" + job).bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
            sleep();
        }
        JsonObject customs = api.get("/shipments/" + item.getString("shipment_id")).bodyAsJsonObject().getJsonObject("customs_info");
        assertThat(customs.getString("contents_type")).isEqualTo("gift");
        assertThat(customs.getJsonArray("customs_items").getJsonObject(0).getString("value")).isEqualTo("25.50");

        String bad = csv.replace("Scarf,1,25.50,8,", "Scarf,1,25.50,28,");
        assertField(api.client().post("/shipments/bulk-create").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("content-type", "text/csv").sendBuffer(Buffer.buffer(bad)).toCompletionStage().toCompletableFuture()
                .join(), 422, "line 2: customs_item1_weight");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
