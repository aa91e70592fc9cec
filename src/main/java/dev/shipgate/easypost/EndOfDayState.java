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

    /** The newest {@code pageSize} forms, as {@code GET /v2/scan_forms} answers (scan_form/all.json). */
    JsonObject scanForms(int pageSize) {
        JsonArray page = new JsonArray();
        for (int i = formOrder.size() - 1; i >= 0 && page.size() < pageSize; i--) {
            page.add(scanForms.get(formOrder.get(i)));
        }
        return new JsonObject().put("scan_forms", page).put("has_more", formOrder.size() > pageSize);
    }

    JsonObject scanForm(String id) {
        return scanForms.get(id);
    }

    /**
     * Asks for a pickup: {@code address}, {@code min_datetime}, {@code max_datetime} and a {@code shipment}
     * (or a {@code batch} of {@code shipments}) are required; the rates offered are one per carrier of the
     * shipments' labels.
     */
    Outcome createPickup(JsonObject request) {
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
        JsonArray refs = request.getValue("shipment") instanceof JsonObject one ? new JsonArray().add(one)
                : request.getValue("batch") instanceof JsonObject batch ? batch.getJsonArray("shipments", new JsonArray())
                : new JsonArray();
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
