package dev.shipgate.easypost;

import dev.shipgate.config.EasyPostConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for EasyPost's v2 API on loopback, over HTTPS with a certificate it generates, so a
 * newcomer can create, buy, track and refund without an account, and tests and benchmarks can drive
 * the real client through every failure: latency, 5xx, 429 and hanging calls, at random or scripted,
 * and answers written the awkward ways real servers and proxies write them: headers before the body,
 * bodies in small pieces, bodies cut off, bodies lost after the call took effect.
 */
public final class EasyPostSimulator {

    public static final String API_KEY = "EZTK_simulator_key";

    private final SimulatorState state = new SimulatorState();
    private final BatchSimulation batches;
    private final SimulatorShipping shipping = new SimulatorShipping();
    private final EndOfDayState endOfDay = new EndOfDayState(state);
    private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Vertx vertx;
    private final Tls.SelfSigned tls = Tls.selfSigned();
    private volatile EasyPostConfig.Simulator knobs;
    private HttpServer server;

    /** A scripted answer: a status code, {@link #HANG} for a call that never answers, or an {@code APPLY_THEN_*} fault. */
    public static final int HANG = -1;
    /** The call takes effect (a label is bought) but the answer is lost: a 500 comes back instead. */
    public static final int APPLY_THEN_FAIL = -2;
    /** The call takes effect, then the answer is a 200 with an empty body. */
    public static final int APPLY_THEN_EMPTY = -3;
    /** The call takes effect, then the answer promises its full length but stops halfway and the connection closes. */
    public static final int APPLY_THEN_CUT = -4;
    /** The call takes effect, then no answer at all: the client waits until its read timeout. */
    public static final int APPLY_THEN_SILENCE = -5;
    /** The call takes effect, then the answer is a 200 HTML page, as a proxy in the way might send. */
    public static final int APPLY_THEN_HTML = -6;
    /** Pause between an answer's headers and its body when {@code splitWrites} is on, in milliseconds. */
    static final long SPLIT_PAUSE_MS = 5;
    /** Size of the pieces a trickled body is sent in, in bytes. */
    static final int TRICKLE_PIECE_BYTES = 256;
    private static final String LOSE_ANSWER = "simulator.lose-answer";
    private static final Logger LOG = LoggerFactory.getLogger(EasyPostSimulator.class);
    /** Changes arriving within this many milliseconds share one write of the state file. */
    private static final long SAVE_DELAY_MS = 20;
    private static final long SAVE_RETRY_MS = 1_000;
    private static final String JSON = "application/json; charset=utf-8";

    /** Calls that change an object, per "refund:", "insure:" or "cancel:" and its EasyPost id, answered or not. */
    private final java.util.Map<String, AtomicInteger> shipmentCalls = new java.util.concurrent.ConcurrentHashMap<>();

    public EasyPostSimulator(Vertx vertx, EasyPostConfig.Simulator knobs) {
        this(vertx, knobs, java.util.Optional.empty());
    }

    /**
     * A simulator whose account survives restarts when {@code stateFile} is given: the state is loaded from
     * it at start and written back (to a temporary file, then renamed over it, so a crash leaves the old or
     * the new file, never half of one) shortly after every call that changes it. Without it, memory only.
     */
    public EasyPostSimulator(Vertx vertx, EasyPostConfig.Simulator knobs, Optional<Path> stateFile) {
        this.vertx = vertx;
        this.knobs = knobs;
        this.batches = new BatchSimulation(vertx, state, this);
        this.stateFile = stateFile;
    }

    private final Optional<Path> stateFile;
    private final AtomicBoolean savePending = new AtomicBoolean();
    /** Whether the last write failed: a failing disk is logged once, not on every change. */
    private boolean saveFailing;
    /** Set by {@link #stop()} after its last write: timers still pending then write nothing more. */
    private boolean stopped;

    private void load() {
        stateFile.filter(Files::isRegularFile).ifPresent(file -> {
            try {
                JsonObject saved = new JsonObject(Files.readString(file));
                state.restore(saved);
                endOfDay.restore(saved.getJsonObject("end_of_day", new JsonObject()));
                batches.restore(saved.getJsonObject("batches", new JsonObject()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("the simulator's state " + file + " cannot be read: " + e.getMessage(), e);
            }
        });
    }

    /** Something changed the account outside a call (a batch's document made): write it out soon. */
    void stateChanged() {
        changed();
    }

    /** A call may have changed the account: write it out soon (calls arriving meanwhile share one write). */
    private void changed() {
        saveAfter(SAVE_DELAY_MS);
    }

    private void saveAfter(long delayMs) {
        if (stateFile.isEmpty() || !savePending.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(delayMs, t -> vertx.executeBlocking(() -> {
            savePending.set(false);
            save();
            return null;
        }, true));
    }

    /** Writes the account to a temporary file and renames it over the old one, so a crash leaves one whole file. */
    private synchronized void save() {
        if (stopped) {
            return;
        }
        Path file = stateFile.orElseThrow();
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, state.snapshot().put("end_of_day", endOfDay.snapshot()).put("batches", batches.snapshot())
                    .encode());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (saveFailing) {
                saveFailing = false;
                LOG.info("the simulator's state is written to {} again", file);
            }
        } catch (IOException | RuntimeException e) {
            if (!saveFailing) {
                saveFailing = true;
                LOG.warn("the simulator's state could not be written to {}: {}; retrying every second", file, e.toString());
            }
            saveAfter(SAVE_RETRY_MS);
        }
    }

    public Future<EasyPostSimulator> start() {
        load();
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        mountFiles(router, "");
        router.route().handler(this::admit);
        batches.mount(router);
        router.get("/v2/shipments/:id/label").handler(this::convertLabel);
        router.post("/v2/shipments").handler(this::createShipment);
        router.get("/v2/shipments").handler(this::listShipments);
        router.get("/v2/shipments/:id").handler(this::retrieveShipment);
        router.post("/v2/shipments/:id/buy").handler(this::buy);
        router.post("/v2/shipments/:id/refund").handler(this::refund);
        router.post("/v2/shipments/:id/insure").handler(this::insure);
        router.post("/v2/customs_infos").handler(this::createCustomsInfo);
        router.post("/v2/customs_items").handler(this::createCustomsItem);
        router.get("/v2/carrier_accounts").handler(ctx -> send(ctx, 200, JSON, shipping.carrierAccounts().toBuffer(), false));
        router.post("/v2/addresses").handler(this::createAddress);
        router.post("/v2/trackers").handler(this::createTracker);
        router.get("/v2/trackers/:id").handler(this::retrieveTracker);
        router.post("/v2/scan_forms").handler(this::createScanForm);
        router.get("/v2/scan_forms").handler(this::listScanForms);
        router.get("/v2/scan_forms/:id").handler(this::retrieveScanForm);
        router.post("/v2/pickups").handler(this::createPickup);
        router.get("/v2/pickups/:id").handler(this::retrievePickup);
        router.post("/v2/pickups/:id/buy").handler(this::buyPickup);
        router.post("/v2/pickups/:id/cancel").handler(this::cancelPickup);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(tls.certificatePem()))
                        .setKeyValue(Buffer.buffer(tls.privateKeyPem())));
        return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
            server = s;
            Tls.trustAlso(List.of(tls.certificate()));
            return this;
        });
    }

    /**
     * Mounts the document downloads (labels, batch labels, scan forms, customs forms) under {@code prefix} of
     * {@code router}: the simulator's own server at its root, and Shipgate's HTTP server under a stable path, so
     * the links it stores survive restarts (the simulator's port changes) and open in a browser over plain
     * HTTP without the simulator's self-signed certificate. Public like EasyPost's file links, whose names are
     * random.
     */
    public void mountFiles(Router router, String prefix) {
        router.get(prefix + "/files/postage_label/:file").handler(this::labelFile);
        router.get(prefix + "/files/batch_label/:file").handler(batches::file);
        router.get(prefix + "/forms/:file").handler(this::form);
        router.get(prefix + "/files/scan_form/:file").handler(this::scanFormDocument);
    }

    /**
     * Where document links point from now on: {@code base} is Shipgate's own address plus the prefix it
     * mounted {@link #mountFiles} under. Without it the links point at the simulator itself.
     */
    public void serveFilesAt(String base) {
        this.filesBase = base;
    }

    /** Whether the account (and so every document made) survives a restart, in a state file. */
    public boolean keepsState() {
        return stateFile.isPresent();
    }

    /** The base of the document links the simulator hands out. */
    public String filesBase() {
        String base = filesBase;
        return base != null ? base : apiBase();
    }

    private volatile String filesBase;

    /** The simulator's certificate, for clients in other processes (EASYPOST_CA_FILE). */
    public String certificatePem() {
        return tls.certificatePem();
    }

    /** Base URL for the official client (it appends /v2 itself). */
    public String apiBase() {
        return "https://localhost:" + server.actualPort();
    }

    /**
     * Stops serving after one last write of the account (when it has a state file). Writes scheduled before and
     * firing after this are skipped, so the state file's folder holds nothing more once this returns and can be
     * removed or copied.
     */
    public Future<Void> stop() {
        synchronized (this) {
            if (stateFile.isPresent()) {
                save();
            }
            stopped = true;
        }
        return server == null ? Future.succeededFuture() : server.close();
    }

    public void knobs(EasyPostConfig.Simulator knobs) {
        this.knobs = knobs;
    }

    /** The next calls answer these statuses (or {@link #HANG}, or an {@code APPLY_THEN_*} fault), in order. */
    public void script(int... statuses) {
        for (int s : statuses) {
            scripted.add(s);
        }
    }

    /** How long batch label documents take to make from now on (plus a little per label), in milliseconds. */
    public void batchGenerationMs(long ms) {
        batches.generationMs(ms);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int requests() {
        return requests.get();
    }

    public void resetCounters() {
        maxInFlight.set(inFlight.get());
        requests.set(0);
    }

    public int purchases(String easypostShipmentId) {
        return state.purchases(easypostShipmentId);
    }

    /** How many refund calls shipment {@code easypostShipmentId} received (answered or not): tests prove one was made. */
    public int refundCalls(String easypostShipmentId) {
        AtomicInteger calls = shipmentCalls.get("refund:" + easypostShipmentId);
        return calls == null ? 0 : calls.get();
    }

    /** How many cancel calls pickup {@code easypostPickupId} received (answered or not). */
    public int pickupCancelCalls(String easypostPickupId) {
        AtomicInteger calls = shipmentCalls.get("cancel:" + easypostPickupId);
        return calls == null ? 0 : calls.get();
    }

    /** How many insure calls shipment {@code easypostShipmentId} received (answered or not). */
    public int insureCalls(String easypostShipmentId) {
        AtomicInteger calls = shipmentCalls.get("insure:" + easypostShipmentId);
        return calls == null ? 0 : calls.get();
    }

    public int totalPurchases() {
        return state.totalPurchases();
    }

    /**
     * Drops shipment {@code easypostShipmentId} from the account, as a simulator restarted without its
     * state would have: EasyPost answers 404 for it from now on.
     */
    /** Forgets pickup {@code easypostPickupId}, as a simulator restarted without its state would: EasyPost answers 404 for it. */
    public void forgetPickup(String easypostPickupId) {
        endOfDay.forgetPickup(easypostPickupId);
        changed();
    }

    public void forget(String easypostShipmentId) {
        state.forget(easypostShipmentId);
        changed();
    }

    /** Every shipment created so far, so tests can check that none was left behind unrecorded. */
    public Set<String> shipmentIds() {
        return state.shipmentIds();
    }

    /**
     * Makes {@code count} scan forms on the account as another system sharing it would (each listing one
     * tracking code of no shipment here), so tests can push a form beyond the newest page of the list.
     */
    public void scanFormsMadeElsewhere(int count) {
        for (int i = 0; i < count; i++) {
            endOfDay.foreignScanForm(apiBase());
        }
        changed();
    }

    /** How many times pickup {@code easypostPickupId} was bought (scheduled), so tests can prove it was once. */
    public int pickupPurchases(String easypostPickupId) {
        return endOfDay.pickupPurchases(easypostPickupId);
    }

    private void admit(RoutingContext ctx) {
        requests.incrementAndGet();
        if (ctx.request().method() != io.vertx.core.http.HttpMethod.GET) {
            ctx.addEndHandler(done -> changed());
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        if (!("Bearer " + API_KEY).equals(ctx.request().getHeader("Authorization"))) {
            error(ctx, 401, "APIKEY.INACTIVE", "The API key provided is invalid or inactive.", new JsonArray());
            return;
        }
        EasyPostConfig.Simulator k = knobs;
        Integer fault = scripted.poll();
        if (fault == null) {
            double roll = random.nextDouble();
            if (roll < k.timeoutRate()) {
                fault = HANG;
            } else if (roll < k.timeoutRate() + k.errorRate()) {
                fault = 500;
            } else if (roll < k.timeoutRate() + k.errorRate() + k.rateLimitRate()) {
                fault = 429;
            } else if (roll < k.timeoutRate() + k.errorRate() + k.rateLimitRate() + k.cutRate()) {
                fault = APPLY_THEN_CUT;
            }
        }
        Integer chosen = fault;
        boolean writes = ctx.request().method() != io.vertx.core.http.HttpMethod.GET;
        Runnable proceed = () -> {
            if (chosen == null || chosen <= APPLY_THEN_FAIL) {
                if (chosen != null) {
                    ctx.put(LOSE_ANSWER, chosen);
                }
                ctx.next();
                // The handlers change the account before they answer: saved even when the caller has hung up
                // (a reset connection never ends the response, so the end handler above does not run).
                if (writes) {
                    changed();
                }
            } else if (chosen == HANG) {
                return;
            } else if (chosen == 429) {
                error(ctx, 429, "RATE_LIMITED", "You have exceeded your rate limit.", new JsonArray());
            } else if (chosen == 401) {
                error(ctx, 401, "APIKEY.INACTIVE", "The API key provided is invalid or inactive.", new JsonArray());
            } else {
                error(ctx, chosen, "INTERNAL_SERVER_ERROR", "We're sorry, something went wrong.", new JsonArray());
            }
        };
        if (k.latencyMs() > 0) {
            vertx.setTimer(k.latencyMs(), id -> proceed.run());
        } else {
            proceed.run();
        }
    }

    private void createShipment(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        JsonObject shipment = body == null ? null : body.getJsonObject("shipment");
        if (shipment == null) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.",
                    new JsonArray().add(new JsonObject().put("field", "shipment").put("message", "cannot be blank")));
            return;
        }
        JsonArray missing = new JsonArray();
        for (String field : new String[] {"to_address", "from_address", "parcel"}) {
            if (!(shipment.getValue(field) instanceof JsonObject)) {
                missing.add(new JsonObject().put("field", field).put("message", "cannot be blank"));
            }
        }
        if (!missing.isEmpty()) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.", missing);
            return;
        }
        reply(ctx, 201, state.createShipment(shipment));
    }

    private void listShipments(RoutingContext ctx) {
        String start = ctx.request().getParam("start_datetime");
        int pageSize;
        java.time.Instant from;
        try {
            pageSize = Math.max(1, Math.min(100, Integer.parseInt(ctx.request().getParam("page_size", "20"))));
            from = start == null ? null : java.time.OffsetDateTime.parse(start).toInstant();
        } catch (RuntimeException e) {
            error(ctx, 422, "PARAMETER.INVALID", "Invalid parameter.",
                    new JsonArray().add(new JsonObject().put("field", "start_datetime").put("message", "is invalid")));
            return;
        }
        reply(ctx, 200, state.list(from, ctx.request().getParam("before_id"), pageSize));
    }

    /** How many shipments the simulated account holds, stored or not: tests compare it with the database. */
    public int shipmentCount() {
        return state.shipmentCount();
    }

    private void retrieveShipment(RoutingContext ctx) {
        JsonObject shipment = state.shipment(ctx.pathParam("id"));
        if (shipment == null) {
            notFound(ctx);
        } else {
            reply(ctx, 200, shipment);
        }
    }

    private void buy(RoutingContext ctx) {
        JsonObject shipment = state.shipment(ctx.pathParam("id"));
        if (shipment == null) {
            notFound(ctx);
            return;
        }
        JsonObject body = ctx.body().asJsonObject();
        String rateId = body == null || body.getJsonObject("rate") == null ? null : body.getJsonObject("rate").getString("id");
        JsonObject rate = shipment.getJsonArray("rates").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("id").equals(rateId)).findFirst().orElse(null);
        if (rate == null) {
            error(ctx, 422, "SHIPMENT.RATE.INVALID", "The rate is not a rate of this shipment.",
                    new JsonArray().add(new JsonObject().put("field", "rate").put("message", "is invalid")));
            return;
        }
        String format = labelFormat(body.getJsonObject("options", new JsonObject()).getValue("label_format", "PNG"));
        if (format == null) {
            error(ctx, 422, "SHIPMENT.OPTIONS.INVALID", "label_format must be one of PNG, PDF, ZPL, EPL2.",
                    new JsonArray().add(new JsonObject().put("field", "label_format").put("message", "is invalid")));
            return;
        }
        Object insurance = body.getValue("insurance");
        if (insurance != null && SimulatorShipping.insure(shipment.copy(), insurance) == null) {
            error(ctx, 422, "SHIPMENT.INSURANCE.INVALID", "The insurance amount is invalid.",
                    new JsonArray().add(new JsonObject().put("field", "insurance").put("message", "is invalid")));
            return;
        }
        JsonObject bought = state.buy(shipment, rate, format, filesBase());
        if (bought == null) {
            error(ctx, 422, "SHIPMENT.POSTAGE.EXISTS", "Postage already exists for this shipment.", new JsonArray());
            return;
        }
        bought.put("forms", shipping.formsFor(bought, filesBase()));
        bought.getJsonArray("forms").forEach(f -> state.keepDocument(((JsonObject) f).getString("id"),
                new JsonObject().put("kind", "form").put("shipment", bought.getString("id"))));
        if (insurance != null) {
            SimulatorShipping.insure(bought, insurance);
        }
        reply(ctx, 200, bought);
    }

    /** EasyPost's label formats, upper case; null for anything else. */
    static String labelFormat(Object raw) {
        String f = String.valueOf(raw).toUpperCase(java.util.Locale.ROOT);
        return Set.of("PNG", "PDF", "ZPL", "EPL2").contains(f) ? f : null;
    }

    /** {@code GET /v2/shipments/{id}/label?file_format=PDF}: adds the file in that format to the bought label. */
    private void convertLabel(RoutingContext ctx) {
        JsonObject shipment = state.shipment(ctx.pathParam("id"));
        String format = labelFormat(ctx.request().getParam("file_format"));
        if (shipment == null) {
            notFound(ctx);
        } else if (format == null) {
            error(ctx, 422, "PARAMETER.INVALID", "file_format must be one of PNG, PDF, ZPL, EPL2.",
                    new JsonArray().add(new JsonObject().put("field", "file_format").put("message", "is invalid")));
        } else if (shipment.getValue("postage_label") == null) {
            error(ctx, 422, "SHIPMENT.POSTAGE.MISSING", "This shipment has no postage label to convert.", new JsonArray());
        } else if (!state.convert(shipment, format, filesBase())) {
            error(ctx, 422, "SHIPMENT.POSTAGE_LABEL.CONVERSION", "Only PNG labels can be converted.", new JsonArray());
        } else {
            reply(ctx, 200, shipment);
        }
    }

    /** A bought label's file ({@code shp_....png|pdf|zpl|epl2}), public like EasyPost's file links. */
    private void labelFile(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        JsonObject shipment = dot < 0 ? null : state.shipment(file.substring(0, dot));
        String format = dot < 0 ? null : labelFormat(file.substring(dot + 1));
        if (shipment == null || format == null || shipment.getValue("postage_label") == null) {
            ctx.fail(404); // a problem on Shipgate's router (Responses writes it, HEAD too); the default 404 on the simulator's own server
            return;
        }
        LabelDocuments.Content content = LabelDocuments.Content.of(shipment);
        document(ctx, SimulatorState.mediaType(format), () -> switch (format) {
            case "PDF" -> Buffer.buffer(LabelDocuments.pdf(List.of(content)));
            case "ZPL" -> Buffer.buffer(LabelDocuments.zpl(content));
            case "EPL2" -> Buffer.buffer(LabelDocuments.epl2(content));
            default -> Buffer.buffer(LabelDocuments.png(content));
        });
    }

    /** Makes a document off the event loop (PDF and PNG rendering blocks) and serves it, or a bare 500. */
    void document(RoutingContext ctx, String mediaType, java.util.concurrent.Callable<Buffer> make) {
        vertx.executeBlocking(make, false).onComplete(made -> {
            if (made.failed()) {
                ctx.response().setStatusCode(500).end();
            } else {
                ctx.response().putHeader("content-type", mediaType).end(made.result());
            }
        });
    }

    private void refund(RoutingContext ctx) {
        shipmentCalls.computeIfAbsent("refund:" + ctx.pathParam("id"), k -> new AtomicInteger()).incrementAndGet();
        JsonObject shipment = state.shipment(ctx.pathParam("id"));
        if (shipment == null) {
            notFound(ctx);
        } else if (shipment.getValue("postage_label") == null) {
            error(ctx, 422, "SHIPMENT.REFUND.UNAVAILABLE", "This shipment has no label to refund.", new JsonArray());
        } else {
            if (shipment.getString("refund_status") == null) {
                shipment.put("refund_status", "submitted").put("updated_at", SimulatorState.now());
            }
            reply(ctx, 200, shipment);
        }
    }

    /** EasyPost insures only a bought shipment, once: {@code amount} in USD. */
    private void insure(RoutingContext ctx) {
        shipmentCalls.computeIfAbsent("insure:" + ctx.pathParam("id"), k -> new AtomicInteger()).incrementAndGet();
        JsonObject shipment = state.shipment(ctx.pathParam("id"));
        JsonObject body = ctx.body().asJsonObject();
        if (shipment == null) {
            notFound(ctx);
        } else if (shipment.getValue("postage_label") == null) {
            error(ctx, 422, "SHIPMENT.INSURANCE.UNAVAILABLE", "Insurance can only be added to a purchased shipment.", new JsonArray());
        } else if (shipment.getValue("insurance") != null) {
            error(ctx, 422, "SHIPMENT.INSURANCE.EXISTS", "This shipment is already insured.", new JsonArray());
        } else if (SimulatorShipping.insure(shipment, body == null ? null : body.getValue("amount")) == null) {
            error(ctx, 422, "SHIPMENT.INSURANCE.INVALID", "The insurance amount is invalid.",
                    new JsonArray().add(new JsonObject().put("field", "amount").put("message", "is invalid")));
        } else {
            reply(ctx, 200, shipment);
        }
    }

    private void createCustomsInfo(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        JsonObject info = SimulatorShipping.customsInfo(body == null ? null : body.getValue("customs_info"));
        if (info == null) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.",
                    new JsonArray().add(new JsonObject().put("field", "customs_info").put("message", "cannot be blank")));
            return;
        }
        reply(ctx, 200, info);
    }

    private void createCustomsItem(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        if (body == null || !(body.getValue("customs_item") instanceof JsonObject item)) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.",
                    new JsonArray().add(new JsonObject().put("field", "customs_item").put("message", "cannot be blank")));
            return;
        }
        reply(ctx, 200, SimulatorShipping.customsItem(item));
    }

    /** A generated form's PDF; public, as EasyPost's form URLs are. */
    private void form(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        String id = file.endsWith(".pdf") ? file.substring(0, file.length() - 4) : null;
        Buffer pdf = id == null ? null : shipping.form(id);
        JsonObject made = id == null || pdf != null ? null : state.document(id);
        JsonObject shipment = made == null ? null : state.shipment(made.getString("shipment"));
        if (shipment != null) {
            pdf = shipping.formsPdf(shipment);
        }
        if (pdf == null) {
            ctx.fail(404); // a problem on Shipgate's router (Responses writes it, HEAD too); the default 404 on the simulator's own server
        } else {
            ctx.response().putHeader("content-type", "application/pdf").end(pdf);
        }
    }

    private void createAddress(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        JsonObject address = body == null ? null : body.getJsonObject("address");
        if (address == null) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.",
                    new JsonArray().add(new JsonObject().put("field", "address").put("message", "cannot be blank")));
            return;
        }
        JsonObject created = SimulatorState.address(address);
        boolean deliverable = !String.valueOf(address.getString("street1")).toLowerCase().contains("unknown")
                && !"00001".equals(address.getString("zip"));
        JsonObject delivery = new JsonObject().put("success", deliverable).put("details", new JsonObject())
                .put("errors", deliverable ? new JsonArray() : new JsonArray().add(new JsonObject()
                        .put("code", "E.ADDRESS.NOT_FOUND").put("field", "address").put("suggestion", null)
                        .put("message", "Address not found")));
        created.put("verifications", new JsonObject().put("delivery", delivery));
        if (!deliverable && Boolean.TRUE.equals(body.getValue("verify_strict"))) {
            error(ctx, 422, "ADDRESS.VERIFY.FAILURE", "Unable to verify address.", delivery.getJsonArray("errors"));
            return;
        }
        reply(ctx, 201, created);
    }

    private void createTracker(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        JsonObject tracker = body == null ? null : body.getJsonObject("tracker");
        if (tracker == null || tracker.getString("tracking_code") == null) {
            error(ctx, 422, "PARAMETER.REQUIRED", "Missing required parameter.",
                    new JsonArray().add(new JsonObject().put("field", "tracking_code").put("message", "cannot be blank")));
            return;
        }
        reply(ctx, 200, state.standaloneTracker(tracker.getString("tracking_code"), tracker.getString("carrier", "USPS")));
    }

    private void retrieveTracker(RoutingContext ctx) {
        JsonObject tracker = state.standaloneTracker(ctx.pathParam("id"));
        if (tracker == null) {
            notFound(ctx);
        } else {
            reply(ctx, 200, tracker);
        }
    }

    private void createScanForm(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        answer(ctx, endOfDay.createScanForm(body == null ? null : body.getJsonArray("shipments"), filesBase()));
    }

    private void listScanForms(RoutingContext ctx) {
        int pageSize;
        try {
            pageSize = Math.max(1, Math.min(100, Integer.parseInt(ctx.request().getParam("page_size", "20"))));
        } catch (NumberFormatException e) {
            error(ctx, 422, "PARAMETER.INVALID", "Invalid parameter.",
                    new JsonArray().add(new JsonObject().put("field", "page_size").put("message", "is invalid")));
            return;
        }
        JsonObject page = endOfDay.scanForms(pageSize, ctx.request().getParam("before_id"));
        if (page == null) {
            error(ctx, 422, "PARAMETER.INVALID", "Invalid parameter.",
                    new JsonArray().add(new JsonObject().put("field", "before_id").put("message", "is invalid")));
            return;
        }
        reply(ctx, 200, page);
    }

    private void retrieveScanForm(RoutingContext ctx) {
        JsonObject form = endOfDay.scanForm(ctx.pathParam("id"));
        if (form == null) {
            notFound(ctx);
        } else {
            reply(ctx, 200, form);
        }
    }

    /**
     * The form's document, served without the API key as EasyPost serves its files, so a browser or a
     * printer can open {@code form_url} directly.
     */
    private void scanFormDocument(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        String id = file.endsWith(".pdf") ? file.substring(0, file.length() - 4) : null;
        JsonObject live = id == null ? null : endOfDay.scanForm(id);
        JsonObject kept = live != null || id == null ? null : state.document(id);
        JsonObject form = kept != null ? kept.getJsonObject("form") : live;
        if (form == null) {
            ctx.fail(404); // a problem on Shipgate's router (Responses writes it, HEAD too); the default 404 on the simulator's own server
            return;
        }
        vertx.executeBlocking(() -> ScanFormDocument.pdf(form), false).onComplete(made -> {
            if (made.failed()) {
                ctx.response().setStatusCode(500).end();
            } else {
                ctx.response().putHeader("content-type", "application/pdf").end(Buffer.buffer(made.result()));
            }
        });
    }

    private void createPickup(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        answer(ctx, endOfDay.createPickup(body == null ? null : body.getJsonObject("pickup"), batches::shipmentIds));
    }

    private void retrievePickup(RoutingContext ctx) {
        JsonObject pickup = endOfDay.pickup(ctx.pathParam("id"));
        if (pickup == null) {
            notFound(ctx);
        } else {
            reply(ctx, 200, pickup);
        }
    }

    private void buyPickup(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        answer(ctx, endOfDay.buyPickup(ctx.pathParam("id"), body == null ? null : body.getString("carrier"),
                body == null ? null : body.getString("service")));
    }

    private void cancelPickup(RoutingContext ctx) {
        shipmentCalls.computeIfAbsent("cancel:" + ctx.pathParam("id"), k -> new AtomicInteger()).incrementAndGet();
        answer(ctx, endOfDay.cancelPickup(ctx.pathParam("id")));
    }

    private void answer(RoutingContext ctx, EndOfDayState.Outcome outcome) {
        if (outcome.refusal() == null) {
            reply(ctx, 200, outcome.body());
        } else {
            error(ctx, outcome.refusal().status(), outcome.refusal().code(), outcome.refusal().message(),
                    outcome.refusal().errors());
        }
    }

    void notFound(RoutingContext ctx) {
        error(ctx, 404, "NOT_FOUND", "The requested resource could not be found.", new JsonArray());
    }

    void error(RoutingContext ctx, int status, String code, String message, JsonArray errors) {
        reply(ctx, status, new JsonObject().put("error",
                new JsonObject().put("code", code).put("message", message).put("errors", errors)));
    }

    /** Answers, unless a scripted {@code APPLY_THEN_*} fault loses the answer of a call that has taken effect. */
    void reply(RoutingContext ctx, int status, JsonObject body) {
        Integer lost = ctx.remove(LOSE_ANSWER);
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (lost == null) {
            send(ctx, status, JSON, body.toBuffer(), false);
        } else if (lost == APPLY_THEN_EMPTY) {
            send(ctx, 200, JSON, Buffer.buffer(), false);
        } else if (lost == APPLY_THEN_CUT) {
            send(ctx, status, JSON, body.toBuffer(), true);
        } else if (lost == APPLY_THEN_HTML) {
            send(ctx, 200, "text/html", Buffer.buffer("<html><body><h1>Service Temporarily Unavailable</h1></body></html>"),
                    false);
        } else if (lost != APPLY_THEN_SILENCE) {
            error(ctx, 500, "INTERNAL_SERVER_ERROR", "We're sorry, something went wrong.", new JsonArray());
        }
    }

    /**
     * Writes an answer with its full {@code Content-Length}: in one piece, or, with the knobs, headers first
     * and the body after {@link #SPLIT_PAUSE_MS} or trickled in {@link #TRICKLE_PIECE_BYTES}-byte pieces
     * {@code trickleMs} apart. A cut answer stops after half its body and closes the connection.
     */
    private void send(RoutingContext ctx, int status, String contentType, Buffer body, boolean cut) {
        if (ctx.request().method() != io.vertx.core.http.HttpMethod.GET) {
            // what the call changed is written out whether or not its caller is still there to read the answer
            // (the end handler of admit() has already run when the caller hung up before this answer)
            changed();
        }
        HttpServerResponse response = ctx.response().setStatusCode(status).putHeader("content-type", contentType)
                .putHeader("content-length", String.valueOf(body.length()));
        EasyPostConfig.Simulator k = knobs;
        Buffer sent = cut ? body.getBuffer(0, body.length() / 2) : body;
        long pause = k.trickleMs() > 0 ? k.trickleMs() : k.splitWrites() ? SPLIT_PAUSE_MS : 0;
        if (pause == 0) {
            finish(ctx, sent, cut);
            return;
        }
        response.writeHead();
        int piece = k.trickleMs() > 0 ? TRICKLE_PIECE_BYTES : Math.max(1, sent.length());
        writeLater(ctx, sent, 0, piece, pause, cut);
    }

    private void writeLater(RoutingContext ctx, Buffer body, int from, int piece, long pause, boolean cut) {
        vertx.setTimer(pause, id -> {
            if (ctx.response().closed()) {
                return;
            }
            int to = Math.min(body.length(), from + piece);
            if (to < body.length()) {
                ctx.response().write(body.getBuffer(from, to));
                writeLater(ctx, body, to, piece, pause, cut);
            } else {
                finish(ctx, body.getBuffer(from, to), cut);
            }
        });
    }

    private static void finish(RoutingContext ctx, Buffer last, boolean cut) {
        if (cut) {
            ctx.response().write(last).onComplete(written -> ctx.request().connection().close());
        } else {
            ctx.response().end(last);
        }
    }
}
