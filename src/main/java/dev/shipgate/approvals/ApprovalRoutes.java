package dev.shipgate.approvals;

import dev.shipgate.audit.AuditLog;
import dev.shipgate.auth.Principal;
import dev.shipgate.auth.Scope;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Handlers;
import dev.shipgate.shipments.Checkout;
import dev.shipgate.spend.Approvals;
import dev.shipgate.spend.Spender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Purchases waiting for a person. A token reads its own approvals with {@code read}; an admin reads all
 * and decides. Approving buys the approved rate through the normal leased, idempotent purchase path, as
 * the token that asked (its {@code max_label_cost} and {@code daily_spend} still apply); the decision is a
 * conditional update, so approving twice, even at the same moment, buys one label.
 */
public final class ApprovalRoutes {

    private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected", "failed", "superseded");

    private final Approvals approvals;
    private final Checkout checkout;

    public ApprovalRoutes(Approvals approvals, Checkout checkout) {
        this.approvals = approvals;
        this.checkout = checkout;
    }

    /** Mounts the approval routes on the protected router; the route table gives each its scope. */
    public void mount(Router router) {
        router.get("/approvals").handler(Handlers.json(this::list));
        router.get("/approvals/:id").handler(Handlers.json(this::get));
        router.post("/approvals/:id/approve").handler(Handlers.json(this::approve));
        router.post("/approvals/:id/reject").handler(Handlers.json(this::reject));
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("status", "limit"));
        String status = Params.text("status", ctx.queryParams().get("status"), 16);
        if (status != null && !STATUSES.contains(status)) {
            throw Problem.invalidParam("status", "must be one of pending, approved, rejected, failed, superseded").exception();
        }
        int limit = Params.integer("limit", ctx.queryParams().get("limit"), 100, 1, 500);
        Principal who = Principal.of(ctx);
        return approvals.list(status, who.has(Scope.ADMIN), who.tokenId(), limit)
                .map(list -> new JsonObject().put("approvals",
                        new JsonArray(list.stream().map(Approvals.View::toJson).toList())));
    }

    private Future<JsonObject> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, java.util.List.of());
        UUID id = id(ctx);
        Principal who = Principal.of(ctx);
        return approvals.get(id).map(view -> {
            if (view == null || !(who.has(Scope.ADMIN) || java.util.Objects.equals(view.requestedByTokenId(), who.tokenId()))) {
                throw Problem.of(ProblemType.NOT_FOUND, "no approval " + id).exception();
            }
            return approved(view);
        });
    }

    /**
     * 200 with the approval and its label; a refusal of the purchase (a limit, the token revoked, EasyPost's
     * 4xx) marks it failed and answers that problem with {@code approval_id}; a 503 before anything was
     * bought (EasyPost busy or unavailable) makes it pending again; an unknown outcome leaves it approved,
     * its label recorded when the reconciler reads the shipment back. Deciding an approval decided already: the approval as it is when
     * it was approved, 409 {@code approval-decided} otherwise. An approval whose shipment was bought directly
     * (closed as {@code superseded} in the statement that recorded that label) answers 409
     * {@code already-bought}, never 200 with another purchase's label.
     */
    private Future<JsonObject> approve(RoutingContext ctx) {
        UUID id = id(ctx);
        Principal admin = Principal.of(ctx);
        return approvals.get(id).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no approval " + id).exception());
            }
            audited(ctx, view);
            return approvals.decide(id, "approved", admin.name()).compose(won -> {
                if (!won) {
                    return approvals.get(id).compose(ApprovalRoutes::asDecided);
                }
                return approvals.requesterLimits(view.requestedByTokenId()).compose(limits -> {
                    if (limits == null) {
                        return Future.failedFuture(Problem.of(ProblemType.TOKEN_REVOKED,
                                "the token '" + view.requestedBy() + "' that asked for this label is revoked").exception());
                    }
                    Spender payer = new Spender(view.requestedByTokenId(), view.requestedBy(), limits,
                            Spender.client(ctx), ctx.get("X-Request-Id"));
                    return checkout.buyApproved(view, payer);
                }).recover(failure -> {
                    if (failure instanceof ProblemException p && p.problem().status() < 500) {
                        return approvals.failed(id, p.problem()).transform(marked ->
                                Future.failedFuture(p.problem().with("approval_id", id.toString()).exception()));
                    }
                    if (failure instanceof ProblemException p && notAttempted(p.problem())) {
                        return approvals.reopen(id).transform(reopened -> Future.failedFuture(failure));
                    }
                    return Future.failedFuture(failure);
                }).compose(bought -> approvals.get(id)).compose(ApprovalRoutes::asDecided);
            });
        }).map(ApprovalRoutes::approved);
    }

    private Future<JsonObject> reject(RoutingContext ctx) {
        UUID id = id(ctx);
        Principal admin = Principal.of(ctx);
        return approvals.decide(id, "rejected", admin.name()).compose(won -> approvals.get(id).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no approval " + id).exception());
            }
            audited(ctx, view);
            if (won || view.status().equals("rejected")) {
                return Future.succeededFuture(view);
            }
            return Future.failedFuture(decided(view));
        })).map(ApprovalRoutes::approved);
    }

    /** The answer of every approval route that names one approval. */
    private static JsonObject approved(Approvals.View view) {
        return new JsonObject().put("approval", view.toJson());
    }

    /** The approval's shipment and what approving it may spend (postage plus any insurance fee) go on the decision's audit row. */
    private static void audited(RoutingContext ctx, Approvals.View view) {
        AuditLog.shipment(ctx, view.shipmentId());
        AuditLog.amount(ctx, view.cost(), view.rate().getString("currency"));
    }

    /** A 503 that says nothing was bought (busy, rate limited, breaker open, database away): approve again later. */
    private static boolean notAttempted(Problem problem) {
        return problem.status() == 503 && problem.kind() != ProblemType.LABEL_NOT_RECORDED_YET
                && problem.kind() != ProblemType.SHIPMENT_NOT_STORED_YET;
    }

    private static Future<Approvals.View> asDecided(Approvals.View view) {
        return view.status().equals("approved") ? Future.succeededFuture(view) : Future.failedFuture(decided(view));
    }

    private static ProblemException decided(Approvals.View view) {
        if (view.status().equals("superseded")) {
            return Problem.of(ProblemType.ALREADY_BOUGHT, "approval " + view.id() + " is superseded: shipment "
                            + view.shipmentId() + " was bought directly while the approval waited")
                    .with("approval_id", view.id().toString()).with("approval_status", view.status())
                    .with("label_url", view.labelUrl()).with("tracking_code", view.trackingCode()).exception();
        }
        return Problem.of(ProblemType.APPROVAL_DECIDED, "approval " + view.id() + " is " + view.status() + " already")
                .with("approval_status", view.status()).exception();
    }

    private static UUID id(RoutingContext ctx) {
        return Params.uuid("id", ctx.pathParam("id"), "an approval id");
    }

}
