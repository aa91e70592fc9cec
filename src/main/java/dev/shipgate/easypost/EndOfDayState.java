package dev.shipgate.easypost;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated account's scan forms and pickups, in the JSON shapes of EasyPost's recorded exchanges
 * ({@code scan_form/create.json}, {@code pickup/create.json}, {@code buy.json}, {@code cancel.json}).
 * Holds which shipment is on which form, so a second form for the same shipment is refused as EasyPost
 * refuses it, and counts pickup purchases so tests can prove none was bought twice.
 */
final class EndOfDayState {

    /** A refusal in EasyPost's error shape: status, code, message, field errors. */
    record Refusal(int status, String code, String message, JsonArray errors) {
    }

    /** An answer or a refusal. */
    record Outcome(JsonObject body, Refusal refusal) {
        static Outcome ok(JsonObject body) {
            return new Outcome(body, null);
        }

        static Outcome refused(int status, String code, String message, String field, String fieldMessage) {
            JsonArray errors = new JsonArray();
            if (field != null) {
                errors.add(new JsonObject().put("field", field).put("message", fieldMessage));
            }
            return new Outcome(null, new Refusal(status, code, message, errors));
        }
    }

    private final SimulatorState shipments;
    private final Map<String, JsonObject> scanForms = new ConcurrentHashMap<>();
    /** Form ids in the order they were made, for listing newest first as EasyPost does. */
    private final List<String> formOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> formOfShipment = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> pickups = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pickupPurchases = new ConcurrentHashMap<>();

    EndOfDayState(SimulatorState shipments) {
        this.shipments = shipments;
    }

    /**
     * Makes a scan form of the shipments named by {@code refs} (objects with an {@code id}, as the client
     * sends them): each must exist, have postage, share one carrier, and be on no other form.
     */
    synchronized Outcome createScanForm(JsonArray refs, String documentBase) {
        if (refs == null || refs.isEmpty()) {
            return Outcome.refused(422, "PARAMETER.REQUIRED", "Missing required parameter.", "shipments", "cannot be blank");
        }
        List<JsonObject> members = new ArrayList<>();
        for (Object ref : refs) {
            String id = ref instanceof JsonObject o ? o.getString("id") : String.valueOf(ref);
            JsonObject shipment = id == null ? null : shipments.shipment(id);
            if (shipment == null) {
                return Outcome.refused(404, "NOT_FOUND", "The requested resource could not be found.", "shipments",
                        "Shipment " + id + " not found");
            }
            if (shipment.getValue("postage_label") == null) {
                return Outcome.refused(422, "SCAN_FORM.SHIPMENTS.INVALID",
                        "Shipment " + id + " has no postage label.", "shipments", id + " has no postage label");
            }
            if (formOfShipment.containsKey(id)) {
                return Outcome.refused(422, "SCAN_FORM.SHIPMENTS.INVALID",
                        "Shipment " + id + " already belongs to ScanForm " + formOfShipment.get(id) + ".", "shipments",
                        id + " already has a ScanForm");
            }
            members.add(shipment);
        }
        String carrier = carrier(members.get(0));
        for (JsonObject s : members) {
            if (!carrier.equals(carrier(s))) {
                return Outcome.refused(422, "SCAN_FORM.SHIPMENTS.INVALID",
                        "Shipment " + s.getString("id") + " is not a " + carrier + " shipment; a ScanForm covers one carrier.",
                        "shipments", s.getString("id") + " has another carrier");
            }
        }
        String id = SimulatorState.id("sf");
        JsonArray codes = new JsonArray();
        members.forEach(s -> codes.add(s.getString("tracking_code")));
        JsonObject form = new JsonObject().put("id", id).put("object", "ScanForm").put("status", "created")
                .put("message", null).put("address", members.get(0).getJsonObject("from_address"))
                .put("tracking_codes", codes).put("form_url", documentBase + "/files/scan_form/" + id + ".pdf")
                .put("form_file_type", null).put("batch_id", SimulatorState.id("batch")).put("confirmation", null)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now());
        scanForms.put(id, form);
        shipments.keepDocument(id, new JsonObject().put("kind", "scan_form").put("form", form.copy()));
        formOrder.add(id);
        members.forEach(s -> formOfShipment.put(s.getString("id"), id));
        return Outcome.ok(form);
    }

    /**
     * Up to {@code pageSize} forms, newest first, made before form {@code beforeId} (null: the newest), as
     * {@code GET /v2/scan_forms} answers (scan_form/all.json, get_next_page.json): {@code has_more} says
     * whether older forms follow; the next page is asked for with {@code before_id} of this page's last form.
     * Null when {@code beforeId} names no form.
     */
    JsonObject scanForms(int pageSize, String beforeId) {
        List<String> order = List.copyOf(formOrder);
        int start = order.size() - 1;
        if (beforeId != null) {
            int at = order.indexOf(beforeId);
            if (at < 0) {
                return null;
            }
            start = at - 1;
        }
        JsonArray page = new JsonArray();
        int i = start;
        for (; i >= 0 && page.size() < pageSize; i--) {
            page.add(scanForms.get(order.get(i)));
        }
        return new JsonObject().put("scan_forms", page).put("has_more", i >= 0);
    }

    /** A form made outside this simulator's shipments (another system on the account), holding one tracking code. */
    synchronized void foreignScanForm(String documentBase) {
        String id = SimulatorState.id("sf");
        JsonObject form = new JsonObject().put("id", id).put("object", "ScanForm").put("status", "created")
                .put("message", null).put("address", null)
                .put("tracking_codes", new JsonArray().add("EZ" + id.substring(3, Math.min(id.length(), 19))))
                .put("form_url", documentBase + "/files/scan_form/" + id + ".pdf")
                .put("form_file_type", null).put("batch_id", SimulatorState.id("batch")).put("confirmation", null)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now());
        scanForms.put(id, form);
        formOrder.add(id);
    }

    JsonObject scanForm(String id) {
        return scanForms.get(id);
    }

    /**
     * Asks for a pickup: {@code address}, {@code min_datetime}, {@code max_datetime} and either a
     * {@code shipment} or a {@code batch} are required; the rates offered are one per carrier of the
     * shipments' labels. As EasyPost takes it, {@code batch} names an existing Batch by {@code id} (made
     * first with the shipments, {@code POST /v2/batches}); a batch given inline as a list of shipments, or
     * one that does not exist, is refused. {@code batches} answers a batch's shipment ids (null: no such batch).
     */
    Outcome createPickup(JsonObject request, java.util.function.Function<String, List<String>> batches) {
        if (request == null) {
            return Outcome.refused(422, "PARAMETER.REQUIRED", "Missing required parameter.", "pickup", "cannot be blank");
        }
        if (!(request.getValue("address") instanceof JsonObject address)) {
            return Outcome.refused(422, "PARAMETER.REQUIRED", "Missing required parameter.", "address", "cannot be blank");
        }
        Instant min = time(request.getValue("min_datetime"));
        Instant max = time(request.getValue("max_datetime"));
        if (min == null || max == null) {
            String field = min == null ? "min_datetime" : "max_datetime";
            return Outcome.refused(422, "PARAMETER.INVALID", "Invalid parameter.", field, "is invalid");
        }
        if (max.isBefore(min)) {
            return Outcome.refused(422, "PICKUP.DATETIME.INVALID", "max_datetime must not be before min_datetime.",
                    "max_datetime", "is before min_datetime");
        }
        List<JsonObject> members = new ArrayList<>();
        JsonArray refs = new JsonArray();
        if (request.getValue("shipment") instanceof JsonObject one) {
            refs.add(one);
        } else if (request.getValue("batch") != null) {
            String batchId = request.getValue("batch") instanceof JsonObject batch ? batch.getString("id") : null;
            List<String> ids = batchId == null ? null : batches.apply(batchId);
            if (batchId == null) {
                return Outcome.refused(422, "PARAMETER.INVALID", "Invalid parameter.", "batch",
                        "must name an existing Batch by id");
            }
            if (ids == null) {
                return Outcome.refused(404, "NOT_FOUND", "The requested resource could not be found.", "batch",
                        "Batch " + batchId + " not found");
            }
            ids.forEach(id -> refs.add(new JsonObject().put("id", id)));
        }
        for (Object ref : refs) {
            JsonObject shipment = ref instanceof JsonObject o ? shipments.shipment(o.getString("id")) : null;
            if (shipment == null) {
                return Outcome.refused(404, "NOT_FOUND", "The requested resource could not be found.", "shipment", "not found");
            }
            members.add(shipment);
        }
        if (members.isEmpty()) {
            return Outcome.refused(422, "PARAMETER.REQUIRED", "Missing required parameter.", "shipment", "cannot be blank");
        }
        String id = SimulatorState.id("pickup");
        JsonArray rates = new JsonArray();
        members.stream().map(EndOfDayState::carrier).distinct().forEach(carrier -> rates.add(new JsonObject()
                .put("id", SimulatorState.id("pickuprate")).put("object", "PickupRate").put("mode", "test")
                .put("carrier", carrier).put("service", pickupService(carrier)).put("rate", pickupPrice(carrier))
                .put("currency", "USD").put("pickup_id", id)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now())));
        JsonObject pickup = new JsonObject().put("id", id).put("object", "Pickup").put("mode", "test")
                .put("status", "unknown").put("reference", request.getValue("reference"))
                .put("instructions", request.getValue("instructions"))
                .put("address", SimulatorState.address(address))
                .put("min_datetime", min.toString()).put("max_datetime", max.toString())
                .put("is_account_address", false).put("confirmation", null).put("messages", new JsonArray())
                .put("carrier_accounts", new JsonArray()).put("pickup_rates", rates)
                .put("created_at", SimulatorState.now()).put("updated_at", SimulatorState.now());
        pickups.put(id, pickup);
        return Outcome.ok(pickup);
    }

    JsonObject pickup(String id) {
        return pickups.get(id);
    }

    /** Schedules the pickup at the rate of {@code carrier} and {@code service}; refused once scheduled or cancelled. */
    synchronized Outcome buyPickup(String id, String carrier, String service) {
        JsonObject pickup = pickups.get(id);
        if (pickup == null) {
            return Outcome.refused(404, "NOT_FOUND", "The requested resource could not be found.", null, null);
        }
        if (!"unknown".equals(pickup.getString("status"))) {
            return Outcome.refused(422, "PICKUP.ALREADY_" + pickup.getString("status").toUpperCase(),
                    "This pickup is already " + pickup.getString("status") + ".", null, null);
        }
        boolean offered = pickup.getJsonArray("pickup_rates").stream().map(JsonObject.class::cast)
                .anyMatch(r -> r.getString("carrier").equalsIgnoreCase(String.valueOf(carrier))
                        && r.getString("service").equalsIgnoreCase(String.valueOf(service)));
        if (!offered) {
            return Outcome.refused(422, "PICKUP.RATE.INVALID", "No pickup rate for " + carrier + " " + service + ".",
                    "service", "is not offered for this pickup");
        }
        pickupPurchases.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        pickup.put("status", "scheduled").put("confirmation", "WTC" + (10_000_000 + (int) (Math.random() * 89_999_999)))
                .put("updated_at", SimulatorState.now());
        return Outcome.ok(pickup);
    }

    /** Cancels a pickup; cancelling a cancelled one answers it unchanged. */
    synchronized Outcome cancelPickup(String id) {
        JsonObject pickup = pickups.get(id);
        if (pickup == null) {
            return Outcome.refused(404, "NOT_FOUND", "The requested resource could not be found.", null, null);
        }
        pickup.put("status", "canceled").put("updated_at", SimulatorState.now());
        return Outcome.ok(pickup);
    }

    /** Forgets pickup {@code id}, as an account that never made it would (EasyPost then answers 404). */
    void forgetPickup(String id) {
        pickups.remove(id);
    }

    /**
     * The scan forms (oldest first, with which shipment is on which), pickups and pickup purchase counts,
     * for the simulator's state file, so a restarted simulator still refuses a second form for a shipment
     * and still knows the pickups Shipgate's database holds.
     */
    synchronized JsonObject snapshot() {
        JsonArray forms = new JsonArray();
        formOrder.forEach(id -> forms.add(scanForms.get(id).copy()));
        JsonArray allPickups = new JsonArray();
        pickups.values().forEach(p -> allPickups.add(p.copy()));
        JsonObject counts = new JsonObject();
        pickupPurchases.forEach((id, n) -> counts.put(id, n.get()));
        return new JsonObject().put("scan_forms", forms).put("form_of_shipment", new JsonObject(new java.util.HashMap<>(formOfShipment)))
                .put("pickups", allPickups).put("pickup_purchases", counts);
    }

    /** Takes back what {@link #snapshot} wrote (absent parts: none), before any call is served. */
    synchronized void restore(JsonObject snapshot) {
        for (Object o : snapshot.getJsonArray("scan_forms", new JsonArray())) {
            JsonObject form = (JsonObject) o;
            scanForms.put(form.getString("id"), form);
            formOrder.add(form.getString("id"));
        }
        snapshot.getJsonObject("form_of_shipment", new JsonObject()).forEach(e -> formOfShipment.put(e.getKey(), (String) e.getValue()));
        for (Object o : snapshot.getJsonArray("pickups", new JsonArray())) {
            JsonObject pickup = (JsonObject) o;
            pickups.put(pickup.getString("id"), pickup);
        }
        snapshot.getJsonObject("pickup_purchases", new JsonObject())
                .forEach(e -> pickupPurchases.put(e.getKey(), new AtomicInteger(((Number) e.getValue()).intValue())));
    }

    int pickupPurchases(String id) {
        AtomicInteger n = pickupPurchases.get(id);
        return n == null ? 0 : n.get();
    }

    private static String carrier(JsonObject shipment) {
        JsonObject rate = shipment.getJsonObject("selected_rate");
        return rate == null ? "USPS" : rate.getString("carrier");
    }

    private static String pickupService(String carrier) {
        return switch (carrier) {
            case "UPS" -> "Future-day Pickup";
            case "FedEx" -> "FDXG";
            default -> "NextDay";
        };
    }

    private static String pickupPrice(String carrier) {
        return switch (carrier) {
            case "UPS" -> "6.35";
            case "FedEx" -> "4.00";
            default -> "0.00";
        };
    }

    /** An ISO-8601 time, or a date (midnight UTC) as in the recorded request. */
    private static Instant time(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
