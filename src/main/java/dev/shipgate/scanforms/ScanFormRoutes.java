package dev.shipgate.scanforms;

import java.util.List;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Params;
import dev.shipgate.scanforms.ScanFormViews.CreateScanForm;
import dev.shipgate.scanforms.ScanFormViews.OpenDay;
import dev.shipgate.scanforms.ScanFormViews.ScanFormPage;
import dev.shipgate.scanforms.ScanFormViews.ScanFormView;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.LocalDate;

/**
 * End of day: {@code POST /scan-forms} (idempotent under {@code Idempotency-Key}), the list, one form with
 * its document URL and shipments, and what is left to manifest on a day.
 */
public final class ScanFormRoutes {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final ScanForms forms;
    private final Idempotency idempotency;
    private final dev.shipgate.carriers.CarrierAccounts carriers;

    /** {@code carriers}: a form's {@code carrier} must be a connected one (compared ignoring case, as buy's {@code carriers}). */
    public ScanFormRoutes(ScanForms forms, Idempotency idempotency, dev.shipgate.carriers.CarrierAccounts carriers) {
        this.forms = forms;
        this.idempotency = idempotency;
        this.carriers = carriers;
    }

    public void mount(Router router, BodyHandler body) {
        router.get("/scan-forms").handler(Handlers.json(this::list));
        router.get("/scan-forms/open").handler(Handlers.json(this::open));
        router.post("/scan-forms").handler(body).handler(idempotency.guard(201, this::create));
        router.get("/scan-forms/:id").handler(Handlers.json(this::get));
    }

    /**
     * A {@code carrier} not connected to the EasyPost account is a 422 {@code carrier-not-connected} naming
     * {@code carrier} and listing the connected ones; a connected one matches in any case ({@code usps}).
     */
    private Future<ScanFormView> create(RoutingContext ctx) {
        CreateScanForm request = Json.decode(ctx.body().buffer(), CreateScanForm.class);
        return carriers.requireConnected("carrier", request.carrier() == null ? null : java.util.List.of(request.carrier()))
                .compose(ok -> forms.create(request));
    }

    private Future<ScanFormView> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return forms.find(Params.uuid("id", ctx.pathParam("id"), "a scan form id"));
    }

    private Future<ScanFormPage> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("limit", "cursor"));
        int limit = Params.integer("limit", ctx.queryParams().get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = Params.text("cursor", ctx.queryParams().get("cursor"), 200);
        return forms.page(limit, cursor == null ? null : PageCursor.decode(cursor));
    }

    /** {@code ?date=YYYY-MM-DD}, a day of the business's time zone; its today when absent. */
    private Future<OpenDay> open(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("date"));
        LocalDate day = Params.date("date", ctx.queryParams().get("date"));
        return forms.open(day == null ? forms.today() : day);
    }
}
