package dev.shipgate.shipments;

import dev.shipgate.audit.AuditLog;
import dev.shipgate.auth.Limits;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.ShipmentRequests.Buy;
import dev.shipgate.shipments.ShipmentViews.RateView;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import dev.shipgate.spend.Approvals;
import dev.shipgate.spend.SpendLedger;
import dev.shipgate.spend.SpendPolicy;
import dev.shipgate.spend.SpendPolicy.Decision;
import dev.shipgate.spend.Spender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * A label purchase as a token may make it: the token's limits decide first (refused, waits for an admin's
 * approval, or allowed; a dry run only reports that), then the audit row and the spend reservation are
 * written before EasyPost is asked, then {@link LabelService} buys under its lease. Every purchase (API,
 * approval, bulk item) comes through here, so none escapes its limits or its audit row.
 */
public final class Checkout {

    /** What a buy request came to: HTTP status and body (a shipment, a pending approval, a dry run's verdict). */
    public record Outcome(int status, Object body) {
    }

    private final LabelService labels;
    private final SpendLedger ledger;
    private final Approvals approvals;
    private final AuditLog audit;

    public Checkout(LabelService labels, SpendLedger ledger, Approvals approvals, AuditLog audit) {
        this.labels = labels;
        this.ledger = ledger;
        this.approvals = approvals;
        this.audit = audit;
    }

    /**
     * {@code POST /shipments/{id}/buy}: 200 with the shipment and its label; 202 with a pending approval
     * when the rate is above the token's {@code approval_above}; 200 with the verdict for a dry run. Fails
     * with 403 problems naming the limit ({@code label-cost-limit}, {@code daily-spend-limit}) and the
     * purchase path's own problems (404, 409, EasyPost's). {@code audited} runs once this purchase has
     * written its own audit row (or, for a dry run, needs none), so the request's generic row is left out.
     */
    public Future<Outcome> buy(UUID id, Buy request, Spender who, Runnable audited) {
        return labels.find(id).compose(view -> {
            if (view.labelUrl() != null) {
                return Future.failedFuture(LabelService.alreadyBought(id, view.labelUrl(), view.trackingCode()));
            }
            RateView chosen = RateChoice.choose(view.rates(), request);
            BigDecimal cost = SpendPolicy.cost(chosen.rate(), request.insurance());
            audited.run();
            if (request.isDryRunRequested()) {
                return ledger.spentToday(who.tokenId())
                        .map(spent -> new Outcome(200, dryRun(chosen, request.insurance(), who.limits(), spent)));
            }
            Decision decision = SpendPolicy.decide(who.limits(), cost, false);
            LabelFormat format = LabelFormat.parse("label_format", request.labelFormat());
            switch (decision.verdict()) {
                case REFUSED:
                    audit.record(entry(UUID.randomUUID(), who, view.id(), null, null, chosen, cost, decision.problem()));
                    return Future.failedFuture(decision.problem().exception());
                case APPROVAL_REQUIRED:
                    return approvals.request(view.id(), who, chosen.easypostId(), chosen.carrier(), chosen.service(),
                                    chosen.rate(), chosen.currency(), format == null ? null : format.lowerName(),
                                    request.insurance())
                            .map(approval -> {
                                audit.record(new AuditLog.Entry(UUID.randomUUID(), who.tokenId(), who.tokenName(),
                                        who.client(), "request_approval", view.id(), null, approval.id(), null, cost,
                                        chosen.currency(), 202, null, who.requestId()));
                                return new Outcome(202, new JsonObject().put("approval", approval.toJson()));
                            });
                default:
                    return pay(view, chosen, format, request.insurance(), who, false, null, null)
                            .map(bought -> new Outcome(200, bought));
            }
        });
    }

    /**
     * Buys the rate of an approval an admin just approved, as the token that asked for it, in the label
     * format and with the insurance the request asked for: its {@code max_label_cost} and
     * {@code daily_spend} still apply to postage plus insurance fee, its {@code approval_above} does not. A
     * label the shipment has already is the answer only when it is the approved rate's (a retry after an
     * unknown outcome); another label (bought directly meanwhile) is a 409 {@code already-bought}.
     */
    public Future<ShipmentView> buyApproved(Approvals.View approval, Spender payer) {
        return labels.find(approval.shipmentId()).compose(view -> {
            if (view.labelUrl() != null) {
                return boughtAsApproved(view, approval) ? Future.succeededFuture(view)
                        : Future.failedFuture(LabelService.alreadyBought(view.id(), view.labelUrl(), view.trackingCode()));
            }
            RateView chosen = view.rates().stream().filter(r -> approval.rateId().equals(r.easypostId())).findFirst()
                    .orElse(null);
            if (chosen == null) {
                return Future.failedFuture(Problem.invalidParam("rate_id", "the approved rate is no longer offered").exception());
            }
            BigDecimal cost = SpendPolicy.cost(chosen.rate(), approval.insurance());
            Decision decision = SpendPolicy.decide(payer.limits(), cost, true);
            if (decision.verdict() == SpendPolicy.Verdict.REFUSED) {
                audit.record(entry(UUID.randomUUID(), payer, view.id(), null, approval.id(), chosen, cost, decision.problem()));
                return Future.failedFuture(decision.problem().exception());
            }
            return pay(view, chosen, LabelFormat.parse("label_format", approval.labelFormat()), approval.insurance(), payer,
                    true, null, approval.id());
        });
    }

    /**
     * Makes sure a bulk item's shipment has a label, insured for the request's {@code insurance} (USD, null:
     * none), paid by the token that submitted the job: its limits apply to postage plus insurance fee, and a
     * label above its {@code approval_above} fails the item ({@code approval-required}) rather than leaving
     * thousands of approvals. A label it has already is the answer.
     */
    public Future<ShipmentView> ensureBought(ShipmentView shipment, Buy request, Spender payer, UUID job) {
        if (shipment.labelUrl() != null) {
            return Future.succeededFuture(shipment);
        }
        RateView chosen;
        try {
            chosen = RateChoice.choose(shipment.rates(), request);
        } catch (ProblemException e) {
            return Future.failedFuture(e);
        }
        BigDecimal cost = SpendPolicy.cost(chosen.rate(), request.insurance());
        Decision decision = SpendPolicy.decide(payer.limits(), cost, false);
        if (decision.verdict() == SpendPolicy.Verdict.APPROVAL_REQUIRED) {
            decision = new Decision(SpendPolicy.Verdict.REFUSED, Problem.of(ProblemType.APPROVAL_REQUIRED,
                    "the label costs " + SpendPolicy.usd(cost) + " USD, above the "
                            + SpendPolicy.usd(payer.limits().approvalAbove())
                            + " USD this token may spend without approval; buy it alone to ask for one")
                    .with("label_cost", SpendPolicy.usd(cost))
                    .with("limit", SpendPolicy.usd(payer.limits().approvalAbove())));
        }
        if (decision.verdict() == SpendPolicy.Verdict.REFUSED) {
            audit.record(entry(UUID.randomUUID(), payer, shipment.id(), job, null, chosen, cost, decision.problem()));
            return Future.failedFuture(decision.problem().exception());
        }
        return pay(shipment, chosen, LabelFormat.parse("label_format", request.labelFormat()), request.insurance(), payer,
                true, job, null);
    }

    /**
     * Insures a bought shipment for {@code amount} USD as token {@code who}: the label's postage plus the
     * insurance fee bound ({@link SpendPolicy#insuranceFee}) is held against its {@code max_label_cost} (403
     * {@code label-cost-limit}) and its {@code approval_above} (403 {@code approval-required}: buy the label
     * with insurance to ask for an approval), and the fee is reserved against its {@code daily_spend}
     * (403 {@code daily-spend-limit}) before EasyPost is asked. A refusal from EasyPost gives the fee back; an
     * unknown outcome is read back (insured: success; not insured: the fee back and a 502 to retry), and only
     * a read-back that fails too keeps the fee counted; success trues it up to the fee EasyPost charged.
     */
    public Future<ShipmentView> insure(ShipmentView view, BigDecimal amount, Spender who) {
        BigDecimal fee = SpendPolicy.insuranceFee(amount);
        BigDecimal cost = view.rate() == null ? fee : view.rate().add(fee);
        Limits perLabel = new Limits(who.limits().maxLabelCost(), null, who.limits().approvalAbove());
        Decision decision = SpendPolicy.decide(perLabel, cost, false);
        if (decision.verdict() == SpendPolicy.Verdict.APPROVAL_REQUIRED) {
            return Future.failedFuture(Problem.of(ProblemType.APPROVAL_REQUIRED, "the label and its insurance cost "
                            + SpendPolicy.usd(cost) + " USD, above the " + SpendPolicy.usd(who.limits().approvalAbove())
                            + " USD this token may spend without approval")
                    .with("label_cost", SpendPolicy.usd(cost)).with("limit", SpendPolicy.usd(who.limits().approvalAbove()))
                    .exception());
        }
        if (decision.verdict() == SpendPolicy.Verdict.REFUSED) {
            return Future.failedFuture(decision.problem().exception());
        }
        if (who.tokenId() == null) {
            return labels.insure(view, amount);
        }
        return ledger.reserve(who.tokenId(), UUID.randomUUID(), fee).compose(reservation -> labels.insure(view, amount)
                .compose(insured -> ledger.settleReservation(reservation, insured.insuranceFee()).map(insured))
                .recover(failure -> failure instanceof ProblemException p && p.problem().status() < 500
                        || LabelService.insuranceNotApplied(failure)
                        ? ledger.release(reservation).transform(released -> Future.failedFuture(failure))
                        : Future.failedFuture(failure)));
    }

    /**
     * The audit row, then the purchase, which reserves postage plus the insurance fee bound under its lease
     * (trued up to the recorded fee once the label is recorded). The row is written before EasyPost is
     * asked, so no label is bought without one; its outcome is filled in when the purchase ends.
     */
    private Future<ShipmentView> pay(ShipmentView view, RateView chosen, LabelFormat labelFormat, BigDecimal insurance, Spender who,
                                     boolean boughtIsAnswer, UUID job, UUID approval) {
        UUID auditId = UUID.randomUUID();
        BigDecimal cost = SpendPolicy.cost(chosen.rate(), insurance);
        Future<Void> written = audit.begin(new AuditLog.Entry(auditId, who.tokenId(), who.tokenName(), who.client(),
                "buy_label", view.id(), job, approval, null, cost, chosen.currency(), null, null, who.requestId()));
        return written
                .compose(v -> labels.purchase(view, chosen, labelFormat, insurance, boughtIsAnswer, who.tokenId() == null ? null
                        : () -> ledger.reserve(who.tokenId(), view.id(), cost)))
                .onComplete(ar -> {
                    if (written.succeeded()) {
                        Problem problem = ar.failed() && ar.cause() instanceof ProblemException p ? p.problem() : null;
                        audit.finish(auditId, ar.succeeded() ? 200 : problem != null ? problem.status() : 500,
                                problem == null ? null : problem.type());
                    }
                });
    }

    /** Whether the shipment's label is the approval's rate (same carrier, service and amount). */
    private static boolean boughtAsApproved(ShipmentView view, Approvals.View approval) {
        return java.util.Objects.equals(view.carrier(), approval.rate().getString("carrier"))
                && java.util.Objects.equals(view.service(), approval.rate().getString("service"))
                && view.rate() != null && view.rate().compareTo(approval.amount()) == 0;
    }

    private static AuditLog.Entry entry(UUID id, Spender who, UUID shipment, UUID job, UUID approval, RateView chosen,
                                        BigDecimal cost, Problem outcome) {
        return new AuditLog.Entry(id, who.tokenId(), who.tokenName(), who.client(), "buy_label", shipment, job, approval,
                null, cost, chosen.currency(), outcome.status(), outcome.type(), who.requestId());
    }

    private static JsonObject dryRun(RateView chosen, BigDecimal insurance, Limits limits, BigDecimal spentToday) {
        BigDecimal cost = SpendPolicy.cost(chosen.rate(), insurance);
        Decision decision = SpendPolicy.decide(limits, cost, false, spentToday);
        JsonObject verdict = new JsonObject()
                .put("dry_run", true)
                .put("rate", new JsonObject().put("id", chosen.id() == null ? null : chosen.id().toString())
                        .put("easypost_id", chosen.easypostId()).put("carrier", chosen.carrier())
                        .put("service", chosen.service()).put("rate", SpendPolicy.usd(chosen.rate()))
                        .put("currency", chosen.currency()))
                .put("insurance_fee", insurance == null ? null : SpendPolicy.usd(SpendPolicy.insuranceFee(insurance)))
                .put("cost", SpendPolicy.usd(cost))
                .put("verdict", decision.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .put("spent_today", SpendPolicy.usd(spentToday));
        if (decision.problem() != null) {
            verdict.put("limit", decision.problem().kind() == ProblemType.LABEL_COST_LIMIT ? "max_label_cost" : "daily_spend")
                    .put("problem", decision.problem().toJson());
        }
        return verdict;
    }
}
