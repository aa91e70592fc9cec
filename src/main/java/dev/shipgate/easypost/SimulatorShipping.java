package dev.shipgate.easypost;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The international and account side of the simulated EasyPost account, in the shapes of the recorded
 * exchanges (customs_info, customs_item, shipment/insure, carrier_account/all): customs declarations
 * with ids, the commercial invoice generated when a shipment with customs is bought (a one-page PDF the
 * simulator serves itself, so forms print offline), insurance and its fee, and the carrier accounts.
 */
final class SimulatorShipping {

    /** EasyPost's insurance fee: 0.5% of the insured amount (shipment/insure: 100.00 insured, 0.50 fee). */
    static final BigDecimal INSURANCE_RATE = new BigDecimal("0.005");
    /** Carriers of the simulated account, matching the carriers the simulator rates. */
    private static final String[][] ACCOUNTS = {
        {"USPS", "UspsAccount", "easypost"}, {"UPS", "UpsAccount", "carrier"}, {"FedEx", "FedexAccount", "carrier"},
    };

    private final Map<String, Buffer> forms = new ConcurrentHashMap<>();
    private final JsonArray accounts = new JsonArray();

    SimulatorShipping() {
        for (String[] a : ACCOUNTS) {
            accounts.add(new JsonObject().put("id", SimulatorState.id("ca")).put("object", "CarrierAccount")
                    .put("type", a[1]).put("readable", a[0]).put("description", a[0] + " Account").put("reference", null)
                    .put("billing_type", a[2]).put("clone", false).put("logo", null).put("credentials", new JsonObject())
                    .put("fields", new JsonObject().put("credentials", new JsonObject()))
                    .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now()));
        }
    }

    /** {@code GET /v2/carrier_accounts}: a JSON array, as EasyPost answers it. */
    JsonArray carrierAccounts() {
        return accounts.copy();
    }

    /** A CustomsInfo as EasyPost stores it: ids on the declaration and on each item; null for none. */
    static JsonObject customsInfo(Object requested) {
        if (!(requested instanceof JsonObject request)) {
            return null;
        }
        JsonArray items = new JsonArray();
        JsonArray requestedItems = request.getJsonArray("customs_items", new JsonArray());
        for (Object item : requestedItems) {
            if (item instanceof JsonObject i) {
                items.add(customsItem(i));
            }
        }
        return request.copy().put("id", SimulatorState.id("cstinfo")).put("object", "CustomsInfo").put("mode", "test")
                .put("declaration", null).put("customs_items", items)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now());
    }

    /** A CustomsItem as EasyPost stores it; {@code value} comes back as a decimal string. */
    static JsonObject customsItem(JsonObject request) {
        JsonObject item = request.copy().put("id", SimulatorState.id("cstitem")).put("object", "CustomsItem")
                .put("mode", "test").put("currency", request.getValue("currency"))
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now());
        Object value = request.getValue("value");
        if (value != null) {
            item.put("value", new BigDecimal(value.toString()).toPlainString());
        }
        return item;
    }

    /**
     * The forms EasyPost generates with the label of a shipment that has customs: a commercial invoice,
     * served by the simulator at {@code base/forms/{id}.pdf}. No forms for a domestic shipment.
     */
    JsonArray formsFor(JsonObject shipment, String base) {
        JsonArray out = new JsonArray();
        if (!(shipment.getValue("customs_info") instanceof JsonObject customs)) {
            return out;
        }
        String id = SimulatorState.id("form");
        forms.put(id, pdf("Commercial invoice", shipment.getString("id"), customs));
        out.add(new JsonObject().put("id", id).put("object", "Form").put("mode", "test").put("form_type", "commercial_invoice")
                .put("form_url", base + "/forms/" + id + ".pdf").put("submitted_electronically", null)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now()));
        return out;
    }

    /** The commercial invoice of {@code shipment} made again (after a restart), or null without customs. */
    Buffer formsPdf(JsonObject shipment) {
        return shipment.getValue("customs_info") instanceof JsonObject customs
                ? pdf("Commercial invoice", shipment.getString("id"), customs) : null;
    }

    /** A generated form's PDF, or null when the simulator made none of that id. */
    Buffer form(String id) {
        return forms.get(id);
    }

    /**
     * Insures a bought shipment for {@code amount} USD as EasyPost's {@code /insure} does: the amount on the
     * shipment and an InsuranceFee line; null when the amount is not a positive number.
     */
    static JsonObject insure(JsonObject shipment, Object amount) {
        BigDecimal insured;
        try {
            insured = amount == null ? null : new BigDecimal(amount.toString()).setScale(2, RoundingMode.HALF_UP);
        } catch (NumberFormatException e) {
            return null;
        }
        if (insured == null || insured.signum() <= 0) {
            return null;
        }
        JsonArray fees = shipment.getJsonArray("fees", new JsonArray());
        fees.add(new JsonObject().put("object", "Fee").put("type", "InsuranceFee")
                .put("amount", insured.multiply(INSURANCE_RATE).setScale(5, RoundingMode.HALF_UP).toPlainString())
                .put("charged", true).put("refunded", false));
        return shipment.put("insurance", insured.toPlainString()).put("fees", fees).put("updated_at", SimulatorState.now());
    }

    private static Buffer pdf(String title, String shipmentId, JsonObject customs) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(new PDRectangle(4 * 72, 6 * 72));
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 12);
                text.newLineAtOffset(18, 6 * 72 - 30);
                text.showText(title);
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 8);
                text.newLineAtOffset(0, -16);
                text.showText("Shipment " + shipmentId);
                text.newLineAtOffset(0, -12);
                text.showText("Contents: " + ascii(customs.getString("contents_type", "")));
                for (Object o : customs.getJsonArray("customs_items", new JsonArray())) {
                    JsonObject item = (JsonObject) o;
                    text.newLineAtOffset(0, -12);
                    text.showText(ascii(item.getValue("quantity") + " x " + item.getString("description", "")
                            + "  " + item.getValue("value") + " USD  " + item.getValue("weight") + " oz  HS "
                            + item.getValue("hs_tariff_number") + "  " + item.getValue("origin_country")));
                }
                text.endText();
            }
            doc.save(out);
            return Buffer.buffer(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard 14 fonts encode WinAnsi only: anything else is shown as '?'. */
    private static String ascii(String s) {
        String limited = s.length() > 70 ? s.substring(0, 70) : s;
        return limited.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
