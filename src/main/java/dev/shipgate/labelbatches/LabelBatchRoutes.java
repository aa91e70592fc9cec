package dev.shipgate.labelbatches;

import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.LabelFormat;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /label-batches} (one printable document for many labels; 202, then follow {@code GET
 * /label-batches/{id}} until {@code state} is {@code ready} with a {@code label_url}) and its reads.
 */
public final class LabelBatchRoutes {

    private final LabelBatches batches;
    private final Idempotency idempotency;

    public LabelBatchRoutes(LabelBatches batches, Idempotency idempotency) {
        this.batches = batches;
        this.idempotency = idempotency;
    }

    /**
     * Either {@code shipment_ids} (1 to {@value LabelBatches#MAX_SHIPMENTS}, in print order) or a
     * {@code bulk_job_id}; {@code format} pdf (default), zpl or epl2: the formats EasyPost makes batch
     * documents in.
     */
    record CreateBatch(@Size(min = 1, max = LabelBatches.MAX_SHIPMENTS) List<@NotNull UUID> shipmentIds,
                       UUID bulkJobId, String format) implements Json.Checked {

        @Override
        public List<Problem.InvalidParam> problems() {
            List<Problem.InvalidParam> problems = new java.util.ArrayList<>(
                    Json.exactlyOne("shipment_ids", shipmentIds != null, "bulk_job_id", bulkJobId != null, ""));
            problems.addAll(Json.noRepeats("shipment_ids", shipmentIds));
            return problems;
        }
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/label-batches").handler(body).handler(idempotency.guard(202, this::create));
        router.get("/label-batches").handler(Handlers.json(this::list));
        router.get("/label-batches/:id").handler(Handlers.json(this::get));
    }

    /** {@code ?limit=} (1 to 200, default 50) and {@code ?cursor=} (the previous page's next_cursor); nothing else. */
    private Future<LabelBatches.BatchPage> list(RoutingContext ctx) {
        Params.only(ctx, List.of("limit", "cursor"));
        int limit = Params.integer("limit", ctx.queryParams().get("limit"), 50, 1, 200);
        String cursor = Params.text("cursor", ctx.queryParams().get("cursor"), 200);
        return batches.page(limit, cursor == null ? null : dev.shipgate.http.PageCursor.decode(cursor));
    }

    private Future<LabelBatches.BatchView> create(RoutingContext ctx) {
        CreateBatch request = Json.decode(ctx.body().buffer(), CreateBatch.class);
        LabelFormat format = request.format() == null ? LabelFormat.PDF : LabelFormat.parse("format", request.format());
        if (format == LabelFormat.PNG) {
            throw Problem.invalid(422, "format: a batch document is pdf, zpl or epl2",
                    List.of(new Problem.InvalidParam("format", "must be one of pdf, zpl, epl2"))).exception();
        }
        return batches.create(request.shipmentIds(), request.bulkJobId(), format);
    }

    private Future<LabelBatches.BatchView> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return batches.find(Params.uuid("id", ctx.pathParam("id"), "a label batch id"));
    }
}
