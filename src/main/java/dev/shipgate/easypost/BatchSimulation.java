package dev.shipgate.easypost;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's Batch API in the shapes of the recorded exchanges ({@code batch/create}, {@code batch/label},
 * {@code batch/add_remove_shipment_with_list}): a batch of existing shipments, and one label document for all
 * of them made asynchronously, as EasyPost does: {@code POST .../label} answers {@code label_generating} at
 * once and the document's {@code label_url} appears later ({@link #GENERATION_MS} plus a little per label).
 * The PDF has one 4x6 in page per label, in the batch's order; ZPL and EPL2 documents are the labels' texts
 * one after another.
 */
final class BatchSimulation {

    /** How long a batch's label document takes to make, before the per-label part, in milliseconds. */
    static final long GENERATION_MS = 300;
    private volatile long generationMs = GENERATION_MS;
    private static final long PER_LABEL_MS = 10;

    private final Vertx vertx;
    private final SimulatorState state;
    private final EasyPostSimulator simulator;
    private final Map<String, JsonObject> batches = new ConcurrentHashMap<>();
    /** The document URL of each batch whose document is being made, by batch id. */
    private final Map<String, String> generating = new ConcurrentHashMap<>();

    BatchSimulation(Vertx vertx, SimulatorState state, EasyPostSimulator simulator) {
        this.vertx = vertx;
        this.state = state;
        this.simulator = simulator;
    }

    void mount(Router router) {
        router.post("/v2/batches").handler(this::create);
        router.get("/v2/batches/:id").handler(this::retrieve);
        router.post("/v2/batches/:id/add_shipments").handler(this::addShipments);
        router.post("/v2/batches/:id/label").handler(this::label);
    }

    private void create(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        JsonObject request = body == null ? new JsonObject() : body.getJsonObject("batch", body);
        JsonObject batch = new JsonObject().put("id", SimulatorState.id("batch")).put("object", "Batch")
                .put("mode", "test").put("state", "created").put("reference", request.getValue("reference"))
                .put("label_url", null).put("scan_form", null).put("pickup", null).put("shipments", new JsonArray())
                .put("created_at", SimulatorState.now());
        if (!add(ctx, batch, request.getJsonArray("shipments", new JsonArray()))) {
            return;
        }
        batches.put(batch.getString("id"), batch);
        simulator.reply(ctx, 200, view(batch));
    }

    private void addShipments(RoutingContext ctx) {
        JsonObject batch = batches.get(ctx.pathParam("id"));
        JsonObject body = ctx.body().asJsonObject();
        if (batch == null) {
            simulator.notFound(ctx);
        } else if (add(ctx, batch, body == null ? new JsonArray() : body.getJsonArray("shipments", new JsonArray()))) {
            simulator.reply(ctx, 200, view(batch));
        }
    }

    /** Adds shipments named by id; answers a 422 naming the first unknown one and adds none then. */
    private boolean add(RoutingContext ctx, JsonObject batch, JsonArray shipments) {
        List<String> ids = new ArrayList<>();
        for (Object o : shipments) {
            String id = o instanceof JsonObject j ? j.getString("id") : String.valueOf(o);
            if (state.shipment(id) == null) {
                simulator.error(ctx, 422, "BATCH.SHIPMENT.INVALID", "Shipment " + id + " does not exist.",
                        new JsonArray().add(new JsonObject().put("field", "shipments").put("message", id + " not found")));
                return false;
            }
            ids.add(id);
        }
        synchronized (batch) {
            JsonArray held = batch.getJsonArray("shipments");
            ids.stream().filter(id -> !held.contains(id)).forEach(held::add);
            batch.put("updated_at", SimulatorState.now());
        }
        return true;
    }

    private void retrieve(RoutingContext ctx) {
        JsonObject batch = batches.get(ctx.pathParam("id"));
        if (batch == null) {
            simulator.notFound(ctx);
        } else {
            simulator.reply(ctx, 200, view(batch));
        }
    }

    /** {@code POST /v2/batches/{id}/label {"file_format": "PDF"}}: every shipment must have postage. */
    private void label(RoutingContext ctx) {
        JsonObject batch = batches.get(ctx.pathParam("id"));
        JsonObject body = ctx.body().asJsonObject();
        String format = EasyPostSimulator.labelFormat(body == null ? null : body.getValue("file_format"));
        if (batch == null) {
            simulator.notFound(ctx);
            return;
        }
        if (format == null || "PNG".equals(format)) {
            simulator.error(ctx, 422, "BATCH.LABEL.FORMAT", "file_format must be one of PDF, ZPL, EPL2.",
                    new JsonArray().add(new JsonObject().put("field", "file_format").put("message", "is invalid")));
            return;
        }
        for (Object id : batch.getJsonArray("shipments")) {
            if (state.shipment((String) id).getValue("postage_label") == null) {
                simulator.error(ctx, 422, "BATCH.LABEL.UNAVAILABLE", "Shipment " + id + " has no postage.",
                        new JsonArray().add(new JsonObject().put("field", "shipments").put("message", id + " has no postage")));
                return;
            }
        }
        String url = simulator.filesBase() + "/files/batch_label/" + batch.getString("id") + "."
                + format.toLowerCase(java.util.Locale.ROOT);
        state.keepDocument(batch.getString("id"), new JsonObject().put("kind", "batch_label")
                .put("shipments", batch.getJsonArray("shipments").copy()));
        batch.put("state", "label_generating").put("label_url", null).put("updated_at", SimulatorState.now());
        generating.put(batch.getString("id"), url);
        long delay = generationMs + PER_LABEL_MS * batch.getJsonArray("shipments").size();
        vertx.setTimer(delay, t -> generated(batch, url));
        simulator.reply(ctx, 200, view(batch));
    }

    private void generated(JsonObject batch, String url) {
        batch.put("state", "label_generated").put("label_url", url).put("updated_at", SimulatorState.now());
        generating.remove(batch.getString("id"));
        simulator.stateChanged();
    }

    /** The batches, and the document URL of each still generating, for the simulator's state file. */
    JsonObject snapshot() {
        JsonArray all = new JsonArray();
        batches.values().forEach(b -> {
            synchronized (b) {
                all.add(b.copy());
            }
        });
        return new JsonObject().put("batches", all).put("generating", new JsonObject(new java.util.HashMap<>(generating)));
    }

    /**
     * Takes back what {@link #snapshot} wrote, before any call is served. A document still being made when
     * the simulator stopped is finished after the usual delay, as if its making went on meanwhile.
     */
    void restore(JsonObject snapshot) {
        for (Object o : snapshot.getJsonArray("batches", new JsonArray())) {
            JsonObject batch = (JsonObject) o;
            batches.put(batch.getString("id"), batch);
        }
        snapshot.getJsonObject("generating", new JsonObject()).forEach(e -> {
            JsonObject batch = batches.get(e.getKey());
            if (batch != null) {
                generating.put(e.getKey(), (String) e.getValue());
                vertx.setTimer(generationMs, t -> generated(batch, (String) e.getValue()));
            }
        });
    }

    /** The ids of the shipments in batch {@code id}, oldest first; null when there is no such batch. */
    List<String> shipmentIds(String id) {
        JsonObject batch = batches.get(id);
        if (batch == null) {
            return null;
        }
        synchronized (batch) {
            return batch.getJsonArray("shipments").stream().map(String::valueOf).toList();
        }
    }

    /** Test knob: how long the next documents take to make, before the per-label part, in milliseconds. */
    void generationMs(long ms) {
        generationMs = ms;
    }

    /** A batch's document; after a restart (the batch itself is gone) made again from what the state file kept. */
    void file(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        String id = dot < 0 ? null : file.substring(0, dot);
        JsonObject batch = id == null ? null : batches.get(id);
        JsonObject kept = id == null ? null : state.document(id);
        if (batch == null && kept != null) {
            batch = new JsonObject().put("shipments", kept.getJsonArray("shipments")).put("label_url", "kept");
        }
        String format = dot < 0 ? null : EasyPostSimulator.labelFormat(file.substring(dot + 1));
        if (batch == null || format == null || batch.getString("label_url") == null) {
            ctx.fail(404); // a problem on Shipgate's router (Responses writes it, HEAD too); the default 404 on the simulator's own server
            return;
        }
        List<LabelDocuments.Content> labels = new ArrayList<>();
        for (Object member : batch.getJsonArray("shipments")) {
            labels.add(LabelDocuments.Content.of(state.shipment((String) member)));
        }
        simulator.document(ctx, SimulatorState.mediaType(format), () -> {
            if ("PDF".equals(format)) {
                return Buffer.buffer(LabelDocuments.pdf(labels));
            }
            StringBuilder text = new StringBuilder();
            labels.forEach(c -> text.append("ZPL".equals(format) ? LabelDocuments.zpl(c) : LabelDocuments.epl2(c)));
            return Buffer.buffer(text.toString());
        });
    }

    /** The batch as EasyPost shows it: each shipment with its batch status and tracking code, and the counts. */
    private JsonObject view(JsonObject batch) {
        JsonArray shipments = new JsonArray();
        int purchased = 0;
        for (Object id : batch.getJsonArray("shipments")) {
            JsonObject s = state.shipment((String) id);
            boolean bought = s.getValue("postage_label") != null;
            purchased += bought ? 1 : 0;
            shipments.add(new JsonObject().put("id", id).put("reference", s.getValue("reference"))
                    .put("batch_status", bought ? "postage_purchased" : "created").put("batch_message", null)
                    .put("tracking_code", s.getValue("tracking_code")));
        }
        int total = shipments.size();
        return batch.copy().put("shipments", shipments).put("num_shipments", total)
                .put("status", new JsonObject().put("created", total - purchased).put("queued_for_purchase", 0)
                        .put("postage_purchased", purchased).put("postage_purchase_failed", 0).put("creation_failed", 0));
    }
}
