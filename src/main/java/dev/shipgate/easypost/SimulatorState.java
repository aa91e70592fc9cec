package dev.shipgate.easypost;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the simulated EasyPost account holds: shipments with their rates, labels and refunds, in the
 * JSON shapes of the recorded real exchanges. Counts purchases per shipment so tests can prove that a
 * label was never bought twice.
 */
final class SimulatorState {

    private record Offer(String carrier, String service, double base, double perOz, int days) {
    }

    private static final Offer[] OFFERS = {
        new Offer("USPS", "GroundAdvantage", 4.85, 0.06, 5), new Offer("USPS", "Priority", 7.90, 0.09, 3),
        new Offer("USPS", "Express", 27.10, 0.12, 1), new Offer("UPS", "Ground", 9.45, 0.07, 5),
        new Offer("UPS", "2ndDayAir", 19.80, 0.11, 2), new Offer("UPS", "NextDayAir", 41.20, 0.15, 1),
        new Offer("FedEx", "FEDEX_GROUND", 9.30, 0.07, 5), new Offer("FedEx", "FEDEX_2_DAY", 18.95, 0.10, 2),
    };
    /**
     * What the carriers offer between two countries: their international services as EasyPost's carrier metadata
     * names them (USPS FirstClassPackageInternationalService, PriorityMailInternational, ExpressMailInternational;
     * UPS Expedited, UPSSaver; FedEx INTERNATIONAL_ECONOMY, INTERNATIONAL_PRIORITY), never a domestic-only one
     * such as GroundAdvantage or FEDEX_GROUND.
     */
    private static final Offer[] INTERNATIONAL_OFFERS = {
        new Offer("USPS", "FirstClassPackageInternationalService", 14.50, 0.45, 10),
        new Offer("USPS", "PriorityMailInternational", 42.70, 0.60, 8), new Offer("USPS", "ExpressMailInternational", 58.90, 0.70, 4),
        new Offer("UPS", "Expedited", 63.80, 0.80, 5), new Offer("UPS", "UPSSaver", 71.30, 0.90, 3),
        new Offer("FedEx", "INTERNATIONAL_ECONOMY", 61.20, 0.78, 5), new Offer("FedEx", "INTERNATIONAL_PRIORITY", 74.40, 0.95, 3),
    };

    static {
        // One catalog of services: the simulator offers only what carriers.ServiceCatalog lets a filter name.
        for (Offer[] offers : new Offer[][] {OFFERS, INTERNATIONAL_OFFERS}) {
            for (Offer offer : offers) {
                if (!dev.shipgate.carriers.ServiceCatalog.sells(offer.carrier(), offer.service())) {
                    throw new IllegalStateException(offer.carrier() + " " + offer.service() + " is not in ServiceCatalog");
                }
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, JsonObject> shipments = new ConcurrentHashMap<>();
    /** Shipment ids in the order they were created, for listing newest first as EasyPost does. */
    private final List<String> creationOrder = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> purchases = new ConcurrentHashMap<>();
    /** Standalone trackers (POST /v2/trackers) by id, in the order they were made. */
    private final Map<String, JsonObject> trackers = new java.util.LinkedHashMap<>();
    /**
     * What each generated document (batch label, scan form, customs form) was made of, by its file id, so its
     * link still opens after a restart: the documents are made again from this on every download.
     */
    private final Map<String, JsonObject> documents = new ConcurrentHashMap<>();

    static String id(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }

    /** Midnight UTC {@code days} calendar days from today, as EasyPost writes a rate's delivery_date. */
    static String promisedDay(int days) {
        return Instant.now().truncatedTo(ChronoUnit.DAYS).plus(days, ChronoUnit.DAYS).toString();
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Whether the request's addresses are in different countries (a missing country is the US, as EasyPost takes it). */
    static boolean international(JsonObject request) {
        return !country(request.getJsonObject("to_address")).equals(country(request.getJsonObject("from_address")));
    }

    private static String country(JsonObject address) {
        Object c = address == null ? null : address.getValue("country");
        return c == null || c.toString().isBlank() ? "US" : c.toString().trim().toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * A shipment with its rates. With {@code is_return} the request names the original shipment's addresses
     * and EasyPost swaps them: the return goes from the original's recipient back to its sender.
     */
    JsonObject createShipment(JsonObject request) {
        String id = id("shp");
        boolean isReturn = Boolean.TRUE.equals(request.getValue("is_return"));
        JsonObject parcel = request.getJsonObject("parcel").copy().put("id", id("prcl")).put("object", "Parcel")
                .put("mode", "test").put("created_at", now()).put("updated_at", now());
        double weight = parcel.getValue("weight") instanceof Number n ? n.doubleValue() : 16;
        JsonArray rates = new JsonArray();
        for (Offer o : international(request) ? INTERNATIONAL_OFFERS : OFFERS) {
            String amount = BigDecimal.valueOf(o.base() + o.perOz() * weight).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
            rates.add(new JsonObject().put("id", id("rate")).put("object", "Rate").put("mode", "test")
                    .put("shipment_id", id).put("carrier", o.carrier()).put("service", o.service())
                    .put("rate", amount).put("currency", "USD").put("list_rate", amount).put("list_currency", "USD")
                    .put("retail_rate", amount).put("retail_currency", "USD").put("delivery_days", o.days())
                    .put("est_delivery_days", o.days()).put("delivery_date_guaranteed", false)
                    // as EasyPost's recorded rates: USPS gives no date, UPS and FedEx the promised day
                    .put("delivery_date", o.carrier().equals("USPS") ? null : promisedDay(o.days()))
                    .put("carrier_account_id", "ca_" + o.carrier().toLowerCase()).put("created_at", now())
                    .put("updated_at", now()));
        }
        JsonObject shipment = new JsonObject()
                .put("id", id).put("object", "Shipment").put("mode", "test").put("status", "unknown")
                .put("reference", request.getValue("reference"))
                .put("to_address", address(request.getJsonObject(isReturn ? "from_address" : "to_address")))
                .put("from_address", address(request.getJsonObject(isReturn ? "to_address" : "from_address")))
                .put("return_address", address(request.getJsonObject("from_address")))
                .put("buyer_address", address(request.getJsonObject("to_address")))
                .put("parcel", parcel).put("rates", rates).put("selected_rate", null).put("postage_label", null)
                .put("tracking_code", null).put("tracker", null).put("refund_status", null)
                .put("options", request.getJsonObject("options", new JsonObject()))
                .put("customs_info", SimulatorShipping.customsInfo(request.getValue("customs_info")))
                .put("messages", new JsonArray()).put("forms", new JsonArray()).put("insurance", null)
                .put("fees", new JsonArray()).put("is_return", isReturn)
                .put("created_at", now()).put("updated_at", now());
        shipments.put(id, shipment);
        creationOrder.add(id);
        return shipment;
    }

    static JsonObject address(JsonObject a) {
        return a.copy().put("id", id("adr")).put("object", "Address").put("mode", "test")
                .put("verifications", new JsonObject()).put("created_at", now()).put("updated_at", now());
    }

    /**
     * A page of shipments, newest first, as {@code GET /v2/shipments} answers: created at or after
     * {@code start} (when given), before the shipment {@code beforeId} (when given), at most {@code pageSize}.
     */
    JsonObject list(Instant start, String beforeId, int pageSize) {
        JsonArray page = new JsonArray();
        boolean started = beforeId == null;
        boolean more = false;
        for (int i = creationOrder.size() - 1; i >= 0; i--) {
            String id = creationOrder.get(i);
            if (!started) {
                started = id.equals(beforeId);
                continue;
            }
            JsonObject shipment = shipments.get(id);
            if (start != null && Instant.parse(shipment.getString("created_at")).isBefore(start)) {
                break;
            }
            if (page.size() == pageSize) {
                more = true;
                break;
            }
            page.add(shipment);
        }
        return new JsonObject().put("shipments", page).put("has_more", more);
    }

    /** How many shipments the account holds. */
    int shipmentCount() {
        return shipments.size();
    }

    /** Drops shipment {@code id}, as a restart without the state would. */
    void forget(String id) {
        shipments.remove(id);
        creationOrder.remove(id);
        purchases.remove(id);
    }

    JsonObject shipment(String id) {
        return shipments.get(id);
    }

    /**
     * Buys the rate, the label made in {@code format} (EasyPost's {@code label_format}: PNG, PDF, ZPL or EPL2)
     * and served under {@code fileBase}; null when the shipment already has postage (EasyPost answers 422 then).
     */
    synchronized JsonObject buy(JsonObject shipment, JsonObject rate, String format, String fileBase) {
        if (shipment.getValue("postage_label") != null) {
            return null;
        }
        purchases.computeIfAbsent(shipment.getString("id"), k -> new AtomicInteger()).incrementAndGet();
        String carrier = rate.getString("carrier");
        String tracking = "EZ" + (1_000_000_000L + RANDOM.nextInt(1_000_000_000)) + "0";
        shipment.put("selected_rate", rate)
                .put("tracking_code", tracking)
                .put("postage_label", postageLabel(shipment.getString("id"), format, fileBase))
                .put("tracker", tracker(tracking, carrier, shipment.getString("id"))
                        .put("est_delivery_date", promisedDay(rate.getInteger("delivery_days", 5))))
                .put("status", "pre_transit")
                .put("fees", new JsonArray().add(new JsonObject().put("object", "Fee").put("type", "PostageFee")
                        .put("amount", rate.getString("rate")).put("charged", true).put("refunded", false)))
                .put("updated_at", now());
        return shipment;
    }

    /** A {@code PostageLabel} in the shape of the recorded exchanges, its file in {@code format}. */
    private static JsonObject postageLabel(String shipmentId, String format, String fileBase) {
        String url = fileUrl(fileBase, shipmentId, format);
        JsonObject label = new JsonObject().put("id", id("pl")).put("object", "PostageLabel")
                .put("label_url", url).put("label_file_type", mediaType(format)).put("label_file", null)
                .put("label_pdf_url", null).put("label_zpl_url", null).put("label_epl2_url", null)
                .put("label_size", "4x6").put("label_resolution", 300).put("label_type", "default")
                .put("integrated_form", "none").put("date_advance", 0).put("label_date", now())
                .put("created_at", now()).put("updated_at", now());
        if (!"PNG".equals(format)) {
            label.put("label_" + format.toLowerCase(java.util.Locale.ROOT) + "_url", url);
        }
        return label;
    }

    /**
     * Adds the label file in {@code format} to a bought shipment, as EasyPost's label conversion does; false when
     * the label was not bought as a PNG (EasyPost converts only PNG labels).
     */
    synchronized boolean convert(JsonObject shipment, String format, String fileBase) {
        JsonObject label = shipment.getJsonObject("postage_label");
        if (!"image/png".equals(label.getString("label_file_type"))) {
            return !"PNG".equals(format) && label.getValue("label_" + format.toLowerCase(java.util.Locale.ROOT) + "_url") != null;
        }
        if (!"PNG".equals(format)) {
            label.put("label_" + format.toLowerCase(java.util.Locale.ROOT) + "_url",
                    fileUrl(fileBase, shipment.getString("id"), format)).put("updated_at", now());
        }
        return true;
    }

    static String fileUrl(String fileBase, String shipmentId, String format) {
        return fileBase + "/files/postage_label/" + shipmentId + "." + format.toLowerCase(java.util.Locale.ROOT);
    }

    static String mediaType(String format) {
        return switch (format) {
            case "PDF" -> "application/pdf";
            case "ZPL" -> "application/zpl";
            case "EPL2" -> "application/epl2";
            default -> "image/png";
        };
    }

    static JsonObject tracker(String trackingCode, String carrier, String shipmentId) {
        return new JsonObject().put("id", id("trk")).put("object", "Tracker").put("mode", "test")
                .put("tracking_code", trackingCode).put("status", "pre_transit").put("carrier", carrier)
                .put("shipment_id", shipmentId).put("public_url", "https://track.easypost.com/" + trackingCode)
                .put("tracking_details", new JsonArray().add(new JsonObject().put("object", "TrackingDetail")
                        .put("status", "pre_transit").put("message", "Pre-Shipment Info Sent to USPS")
                        .put("datetime", now()).put("source", carrier)
                        .put("tracking_location", new JsonObject().put("object", "TrackingLocation")
                                .put("city", "SAN FRANCISCO").put("state", "CA").put("zip", "94107").put("country", "US"))))
                .put("created_at", now()).put("updated_at", now());
    }

    /**
     * A standalone tracker for {@code trackingCode} at {@code carrier}: the one made before for the same code
     * and carrier when there is one (EasyPost answers an existing tracker rather than making a duplicate),
     * else a new one, kept on the account.
     */
    synchronized JsonObject standaloneTracker(String trackingCode, String carrier) {
        for (JsonObject t : trackers.values()) {
            if (trackingCode.equals(t.getString("tracking_code")) && carrier.equalsIgnoreCase(t.getString("carrier"))) {
                return t;
            }
        }
        JsonObject made = tracker(trackingCode, carrier, null);
        trackers.put(made.getString("id"), made);
        return made;
    }

    synchronized JsonObject standaloneTracker(String id) {
        return trackers.get(id);
    }

    int purchases(String shipmentId) {
        AtomicInteger n = purchases.get(shipmentId);
        return n == null ? 0 : n.get();
    }

    Set<String> shipmentIds() {
        return Set.copyOf(shipments.keySet());
    }

    /** Everything the account holds, as one JSON document (shipments with their rates, labels and trackers; purchase counts). */
    synchronized JsonObject snapshot() {
        JsonArray all = new JsonArray();
        for (String id : creationOrder) {
            JsonObject shipment = shipments.get(id);
            if (shipment != null) {
                all.add(shipment.copy());
            }
        }
        JsonObject counts = new JsonObject();
        purchases.forEach((id, n) -> counts.put(id, n.get()));
        JsonArray standalone = new JsonArray();
        trackers.values().forEach(t -> standalone.add(t.copy()));
        JsonObject kept = new JsonObject();
        documents.forEach((id, d) -> kept.put(id, d.copy()));
        return new JsonObject().put("version", 1).put("shipments", all).put("purchases", counts).put("trackers", standalone)
                .put("documents", kept);
    }

    /** Takes back what {@link #snapshot} wrote, before any call is served. */
    synchronized void restore(JsonObject snapshot) {
        for (Object o : snapshot.getJsonArray("shipments", new JsonArray())) {
            JsonObject shipment = (JsonObject) o;
            String id = shipment.getString("id");
            shipments.put(id, shipment);
            creationOrder.add(id);
        }
        snapshot.getJsonObject("purchases", new JsonObject())
                .forEach(e -> purchases.put(e.getKey(), new AtomicInteger(((Number) e.getValue()).intValue())));
        for (Object o : snapshot.getJsonArray("trackers", new JsonArray())) {
            JsonObject tracker = (JsonObject) o;
            trackers.put(tracker.getString("id"), tracker);
        }
        snapshot.getJsonObject("documents", new JsonObject()).forEach(e -> documents.put(e.getKey(), (JsonObject) e.getValue()));
    }

    /** Remembers what document {@code id} is made of (kept in the state file with the shipments). */
    void keepDocument(String id, JsonObject made) {
        documents.put(id, made);
    }

    /** What document {@code id} was made of, or null when the simulator never made it. */
    JsonObject document(String id) {
        return documents.get(id);
    }

    int totalPurchases() {
        return purchases.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
