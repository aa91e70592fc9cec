package dev.shipgate.pickups;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.BoughtLabels;
import dev.shipgate.pickups.PickupViews.BuyPickup;
import dev.shipgate.pickups.PickupViews.CreatePickup;
import dev.shipgate.pickups.PickupViews.PickupPage;
import dev.shipgate.pickups.PickupViews.PickupRateView;
import dev.shipgate.pickups.PickupViews.PickupSummary;
import dev.shipgate.pickups.PickupViews.PickupView;
import dev.shipgate.spend.SpendLedger;
import dev.shipgate.spend.Spender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carrier pickups through EasyPost's Pickup API (https://docs.easypost.com/docs/pickups): a pickup is
 * asked for (EasyPost answers its rates), then bought, which schedules it and may cost money, and may be
 * cancelled. Everything a client can get wrong is refused before EasyPost is called. Buying follows the
 * label purchase's rules: a lease on the row while EasyPost is asked, a clear refusal releases it, an
 * unknown outcome is read back from EasyPost at once (or the pickup marked unverified so the next attempt
 * reads it back before buying), so a pickup is never bought twice. Its price is money the calling token
 * spends, so it counts against the token's {@code daily_spend} as a label does: reserved atomically
 * under the lease before EasyPost is asked ({@link SpendLedger#reserve}, keyed by the pickup's id), given
 * back on a clear refusal, settled once bought, kept while the outcome is unknown and carried on by the
 * next attempt. ({@code max_label_cost} and {@code approval_above} are about labels and do not apply.)
 */
public final class Pickups {

    /**
     * The longest window accepted. EasyPost's recorded exchanges and docs give no number; carriers schedule
     * pickups at most about a week ahead, so a longer window is refused here rather than by the carrier.
     */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** How far in the past {@code min_datetime} may be (clock skew between client and server). */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(Pickups.class);

    private final Pool raw;
    private final EasyPostGateway gateway;
    private final SpendLedger ledger;
    private final int leaseSeconds;

    /** Pickups stored in {@code raw}, bought through {@code gateway}, paid from {@code ledger}; leases last {@code leaseSeconds}. */
    public Pickups(Pool raw, EasyPostGateway gateway, SpendLedger ledger, int leaseSeconds) {
        this.raw = raw;
        this.gateway = gateway;
        this.ledger = ledger;
        this.leaseSeconds = leaseSeconds;
    }

    /**
     * Checks the request, asks EasyPost for the pickup and stores it with its rates. A 422 naming the field
     * for a window in the past, reversed or longer than {@link #MAX_WINDOW}, or unknown or unbought
     * shipments (each one named); a 409 {@code label-refunded} naming each shipment whose label is void;
     * nothing is stored unless EasyPost made the pickup.
     */
    public Future<PickupView> create(CreatePickup request) {
        OffsetDateTime min = request.minDatetime().withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime max = request.maxDatetime().withOffsetSameInstant(ZoneOffset.UTC);
        if (min.isBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(PAST_TOLERANCE))) {
            return Future.failedFuture(Problem.invalidField("min_datetime", "must not be in the past").exception());
        }
        if (max.isBefore(min)) {
            return Future.failedFuture(Problem.invalidField("max_datetime", "must not be before min_datetime").exception());
        }
        if (Duration.between(min, max).compareTo(MAX_WINDOW) > 0) {
            return Future.failedFuture(Problem.invalidField("max_datetime",
                    "the window may be at most " + MAX_WINDOW.toDays() + " days").exception());
        }
        boolean many = request.shipmentIds() != null;
        if (many == (request.shipmentId() != null)) {
            return Future.failedFuture(Problem.invalidField("shipment_ids", "give either shipment_id or shipment_ids").exception());
        }
        List<UUID> ids = many ? request.shipmentIds().stream().distinct().toList() : List.of(request.shipmentId());
        return raw.preparedQuery(PickupSql.SHIPMENTS).execute(Tuple.of(ids.toArray(UUID[]::new))).compose(rows -> {
            Map<UUID, Row> found = new LinkedHashMap<>();
            rows.forEach(r -> found.put(r.getUUID("id"), r));
            List<Map<String, Object>> refs = new ArrayList<>();
            List<Problem.InvalidParam> invalid = new ArrayList<>();
            List<BoughtLabels.Named> named = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String field = many ? "shipment_ids[" + i + "]" : "shipment_id";
                Row r = found.get(ids.get(i));
                if (r == null) {
                    invalid.add(new Problem.InvalidParam(field, "no shipment " + ids.get(i)));
                } else if (r.getString("label_url") == null) {
                    invalid.add(new Problem.InvalidParam(field,
                            "shipment " + ids.get(i) + " has no label yet; only bought shipments are picked up"));
                } else {
                    named.add(new BoughtLabels.Named(field, ids.get(i), r.getString("refund_status")));
                    refs.add(Map.of("id", r.getString("easypost_id")));
                }
            }
            if (!invalid.isEmpty()) {
                throw Problem.invalid(422, invalid.stream().map(p -> p.name() + ": " + p.reason())
                        .collect(java.util.stream.Collectors.joining("; ")), invalid).exception();
            }
            Problem refunded = BoughtLabels.refused(named, "picked up");
            if (refunded != null) {
                throw refunded.exception();
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("address", request.address().toEasyPost());
            params.put("min_datetime", min.toInstant().toString());
            params.put("max_datetime", max.toInstant().toString());
            if (request.instructions() != null) {
                params.put("instructions", request.instructions());
            }
            if (request.reference() != null) {
                params.put("reference", request.reference());
            }
            Future<Void> target;
            if (refs.size() == 1) {
                params.put("shipment", refs.get(0));
                target = Future.succeededFuture();
            } else {
                target = gateway.call("create batch", Repeat.IF_NOT_APPLIED,
                                c -> c.batch.create(Map.<String, Object>of("shipments", refs)))
                        .map(batch -> {
                            params.put("batch", Map.of("id", batch.getId()));
                            return null;
                        });
            }
            return target.compose(v -> gateway.call("create pickup", Repeat.IF_NOT_APPLIED, c -> c.pickup.create(params)))
                    .compose(made -> store(made, request, min, max, ids));
        });
    }

    private Future<PickupView> store(com.easypost.model.Pickup made, CreatePickup request, OffsetDateTime min,
                                     OffsetDateTime max, List<UUID> shipments) {
        UUID id = UUID.randomUUID();
        JsonObject address = new JsonObject(request.address().toEasyPost());
        return raw.withTransaction(conn -> {
            Future<?> done = conn.preparedQuery(PickupSql.INSERT).execute(Tuple.of(id, made.getId(),
                    made.getStatus() == null ? "unknown" : made.getStatus(), address, min, max)
                    .addValue(request.instructions()).addValue(request.reference()));
            List<Tuple> rates = new ArrayList<>();
            if (made.getPickupRates() != null) {
                made.getPickupRates().forEach(r -> rates.add(Tuple.of(UUID.randomUUID(), id, r.getId(), r.getCarrier(),
                        r.getService(), amount(r.getRate())).addValue(r.getCurrency() == null ? "USD" : r.getCurrency())));
            }
            List<Tuple> members = shipments.stream().map(s -> Tuple.of(id, s)).toList();
            if (!rates.isEmpty()) {
                done = done.compose(v -> conn.preparedQuery(PickupSql.INSERT_RATE).executeBatch(rates));
            }
            return done.compose(v -> conn.preparedQuery(PickupSql.INSERT_SHIPMENT).executeBatch(members));
        }).compose(v -> find(id)).onFailure(e -> LOG.warn("EasyPost pickup {} was made but not stored: {}", made.getId(),
                e.toString()));
    }

    /**
     * Buys (schedules) the pickup at the rate named by carrier and service. A 422 naming {@code carrier}
     * when the pickup offers no rate of that carrier, {@code service} when none of that service; a 409 when it is scheduled or cancelled already, or another request
     * is buying it right now; a 403 {@code daily-spend-limit} (or {@code token-revoked}) when {@code payer}'s
     * day cannot take its price, before EasyPost is asked.
     */
    public Future<PickupView> buy(UUID id, BuyPickup request, Spender payer) {
        return find(id).compose(view -> {
            if (!"unknown".equals(view.status())) {
                return Future.failedFuture(notOpen(view));
            }
            PickupRateView rate = view.rates().stream()
                    .filter(r -> r.carrier().equalsIgnoreCase(request.carrier()) && r.service().equalsIgnoreCase(request.service()))
                    .findFirst().orElse(null);
            if (rate == null) {
                String offered = String.join(", ", view.rates().stream().map(r -> r.carrier() + " " + r.service()).toList());
                boolean carrierOffered = view.rates().stream().anyMatch(r -> r.carrier().equalsIgnoreCase(request.carrier()));
                return Future.failedFuture(Problem.invalidField(carrierOffered ? "service" : "carrier",
                        "this pickup offers " + (offered.isEmpty() ? "no rates" : offered)).exception());
            }
            return raw.preparedQuery(PickupSql.CLAIM).execute(Tuple.of(id, leaseSeconds)).compose(rows -> {
                if (rows.size() == 1) {
                    boolean reconcile = rows.iterator().next().getBoolean("reconcile");
                    return reserve(view, rate, payer, reconcile)
                            .recover(refused -> raw.preparedQuery(PickupSql.RELEASE).execute(Tuple.of(id, false))
                                    .transform(released -> Future.<Void>failedFuture(refused)))
                            .compose(v -> leased(view, rate, reconcile))
                            .compose(v -> find(id));
                }
                return find(id).compose(now -> !"unknown".equals(now.status()) ? Future.failedFuture(notOpen(now))
                        : raw.preparedQuery(PickupSql.LEASE).execute(Tuple.of(id)).compose(lease -> Future.failedFuture(
                                dev.shipgate.shipments.Leases.inProgress("pickup " + id, lease.size() == 0 ? null
                                        : lease.iterator().next().getOffsetDateTime("purchase_started_at"), leaseSeconds).exception())));
            });
        });
    }

    /**
     * Reserves the pickup's price on the payer's day, under the lease. An attempt after an unknown outcome
     * carries the reservation the earlier one still holds instead of counting the pickup twice. The
     * environment token has no ledger.
     */
    private Future<Void> reserve(PickupView view, PickupRateView rate, Spender payer, boolean reconcile) {
        if (payer.tokenId() == null) {
            return Future.succeededFuture();
        }
        Future<Boolean> carried = reconcile ? ledger.holds(view.id()) : Future.succeededFuture(false);
        return carried.compose(held -> held ? Future.succeededFuture()
                : ledger.reserve(payer.tokenId(), view.id(), rate.rate()).mapEmpty());
    }

    private Future<Void> leased(PickupView view, PickupRateView rate, boolean reconcile) {
        Future<com.easypost.model.Pickup> attempt = reconcile
                ? readBack(view.easypostId()).compose(now -> scheduled(now) ? Future.succeededFuture(now) : buyOnce(view, rate))
                : buyOnce(view, rate);
        return attempt.recover(failure -> resolve(view, failure)).compose(bought -> raw.preparedQuery(PickupSql.BOUGHT)
                .execute(Tuple.of(view.id(), bought.getStatus(), bought.getConfirmation(), rate.carrier(), rate.service(),
                        rate.rate()).addValue(rate.currency()))
                .<Void>mapEmpty()
                .onSuccess(v -> ledger.settle(view.id())));
    }

    /**
     * After a failed buy: a clear refusal releases the lease; otherwise the pickup is read back and taken
     * as bought if EasyPost scheduled it, else released (marked unverified when the read failed too).
     */
    private Future<com.easypost.model.Pickup> resolve(PickupView view, Throwable failure) {
        boolean refusedAsBought = failure instanceof ProblemException p && p.problem().kind() == ProblemType.REJECTED_BY_EASYPOST
                && String.valueOf(p.problem().extensions().getJsonObject("easypost", new JsonObject()).getString("code"))
                        .startsWith("PICKUP.ALREADY");
        if (EasyPostGateway.notFound(failure)) {
            return unknownAtEasyPost(view, failure);
        }
        if (!EasyPostGateway.ambiguous(failure) && !refusedAsBought) {
            return raw.preparedQuery(PickupSql.RELEASE).execute(Tuple.of(view.id(), false))
                    .transform(released -> ledger.releaseShipment(view.id()))
                    .transform(given -> Future.failedFuture(failure));
        }
        return readBack(view.easypostId()).transform(read -> {
            if (read.failed() && EasyPostGateway.notFound(read.cause())) {
                return unknownAtEasyPost(view, read.cause());
            }
            if (read.succeeded() && scheduled(read.result())) {
                return Future.succeededFuture(read.result());
            }
            String sql = read.succeeded() ? PickupSql.RELEASE : PickupSql.UNVERIFIED;
            Tuple args = read.succeeded() ? Tuple.of(view.id(), true) : Tuple.of(view.id());
            // Read back and not scheduled: nothing was spent. Unreadable: the reservation stays for the next attempt.
            Future<Void> spend = read.succeeded() ? ledger.releaseShipment(view.id()) : Future.succeededFuture();
            return raw.preparedQuery(sql).execute(args).transform(released -> spend)
                    .transform(given -> Future.failedFuture(failure));
        });
    }

    /**
     * EasyPost answered 404 for the pickup: it does not exist in this account (a simulator restarted without
     * it, another account's key), so nothing is scheduled and nothing can be bought or cancelled on it. The
     * pickup is settled as {@code gone} (lease and unverified mark cleared; the dashboard stops offering Buy and
     * Cancel), and the answer is a 409 {@code unknown-at-easypost} saying so instead of a 502 on every retry.
     */
    private <T> Future<T> unknownAtEasyPost(PickupView view, Throwable failure) {
        LOG.warn("EasyPost has no pickup {} (pickup {}): settled as gone", view.easypostId(), view.id());
        return raw.preparedQuery(PickupSql.GONE).execute(Tuple.of(view.id()))
                .transform(settled -> Future.failedFuture(Problem.of(ProblemType.UNKNOWN_AT_EASYPOST,
                                "EasyPost has no pickup " + view.easypostId() + " in this account, so nothing is scheduled "
                                        + "and it cannot be bought or cancelled; it is now marked gone. Create the pickup again")
                        .with("pickup_id", view.id().toString()).with("easypost_id", view.easypostId())
                        .with("pickup_status", "gone").exception(failure)));
    }

    private Future<com.easypost.model.Pickup> buyOnce(PickupView view, PickupRateView rate) {
        return gateway.call("buy pickup", Repeat.IF_NOT_APPLIED, c -> c.pickup.buy(view.easypostId(),
                Map.<String, Object>of("carrier", rate.carrier(), "service", rate.service())));
    }

    private Future<com.easypost.model.Pickup> readBack(String easypostId) {
        return gateway.call("retrieve pickup", Repeat.SAFE, c -> c.pickup.retrieve(easypostId));
    }

    private static boolean scheduled(com.easypost.model.Pickup pickup) {
        return "scheduled".equals(pickup.getStatus());
    }

    /**
     * Cancels the pickup at EasyPost; cancelling a cancelled (or {@code gone}) pickup answers it unchanged.
     * EasyPost's 404 (it has no such pickup) settles it as {@code gone} with a 409 {@code unknown-at-easypost},
     * as a purchase does, never a 502 on every retry.
     */
    public Future<PickupView> cancel(UUID id) {
        return find(id).compose(view -> {
            if ("canceled".equals(view.status()) || "gone".equals(view.status())) {
                return Future.succeededFuture(view);
            }
            return raw.preparedQuery(PickupSql.CLAIM_CANCEL).execute(Tuple.of(id, leaseSeconds)).compose(rows -> {
                Row claim = rows.iterator().next();
                if (!claim.getBoolean("claimed")) {
                    String status = claim.getString("status");
                    return "canceled".equals(status) || "gone".equals(status) ? find(id)
                            : Future.failedFuture(dev.shipgate.shipments.Leases.cancelInProgress(id, claim.getOffsetDateTime("cancel_started_at"), leaseSeconds).exception());
                }
                return gateway.call("cancel pickup", Repeat.SAFE, c -> c.pickup.cancel(view.easypostId()))
                        .recover(failure -> raw.preparedQuery(PickupSql.RELEASE_CANCEL).execute(Tuple.of(id))
                                .transform(released -> EasyPostGateway.notFound(failure) ? unknownAtEasyPost(view, failure)
                                        : Future.failedFuture(failure)))
                        .compose(canceled -> raw.preparedQuery(PickupSql.CANCELED).execute(Tuple.of(id,
                                canceled.getStatus() == null ? "canceled" : canceled.getStatus())))
                        .compose(v -> find(id));
            });
        });
    }

    /** One pickup with its rates and shipments; a 404 when there is none. */
    public Future<PickupView> find(UUID id) {
        return raw.preparedQuery(PickupSql.PICKUP).execute(Tuple.of(id)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no pickup " + id).exception());
            }
            Row p = rows.iterator().next();
            return raw.preparedQuery(PickupSql.RATES).execute(Tuple.of(id)).compose(rateRows -> {
                List<PickupRateView> rates = new ArrayList<>();
                rateRows.forEach(r -> rates.add(new PickupRateView(r.getUUID("id"), r.getString("easypost_id"),
                        r.getString("carrier"), r.getString("service"), r.getBigDecimal("rate"), r.getString("currency"))));
                return raw.preparedQuery(PickupSql.PICKUP_SHIPMENTS).execute(Tuple.of(id)).map(shipmentRows -> {
                    List<UUID> shipments = new ArrayList<>();
                    shipmentRows.forEach(r -> shipments.add(r.getUUID("shipment_id")));
                    return new PickupView(p.getUUID("id"), p.getString("easypost_id"), p.getString("status"),
                            ((JsonObject) p.getValue("address")).getMap(), p.getOffsetDateTime("min_datetime"),
                            p.getOffsetDateTime("max_datetime"), p.getString("instructions"), p.getString("reference"),
                            p.getString("confirmation"), p.getString("carrier"), p.getString("service"),
                            p.getBigDecimal("rate"), p.getString("currency"), rates, shipments,
                            p.getOffsetDateTime("created_at"), p.getOffsetDateTime("updated_at"));
                });
            });
        });
    }

    /** Pickups newest first, {@code limit} at a time after {@code cursor} (null for the first page). */
    public Future<PickupPage> page(int limit, PageCursor cursor) {
        Future<RowSet<Row>> rows = cursor == null
                ? raw.preparedQuery(PickupSql.FIRST_PAGE).execute(Tuple.of(limit + 1))
                : raw.preparedQuery(PickupSql.NEXT_PAGE).execute(Tuple.of(limit + 1, cursor.createdAt(), cursor.id()));
        return rows.map(set -> {
            List<PickupSummary> all = new ArrayList<>();
            set.forEach(r -> all.add(new PickupSummary(r.getUUID("id"), r.getString("easypost_id"), r.getString("status"),
                    r.getOffsetDateTime("min_datetime"), r.getOffsetDateTime("max_datetime"),
                    r.getString("confirmation"), r.getString("carrier"), r.getString("service"),
                    r.getBigDecimal("rate"), r.getOffsetDateTime("created_at"))));
            PageCursor.Slice<PickupSummary> slice = PageCursor.slice(all, limit, s -> new PageCursor(s.createdAt(), s.id()));
            return new PickupPage(slice.items(), slice.hasMore(), slice.nextCursor());
        });
    }

    private static BigDecimal amount(Float rate) {
        return (rate == null ? BigDecimal.ZERO : new BigDecimal(Float.toString(rate))).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    private static ProblemException notOpen(PickupView view) {
        return Problem.of(ProblemType.PICKUP_NOT_OPEN, "pickup " + view.id() + " is " + view.status() + " already")
                .with("pickup_status", view.status()).with("confirmation", view.confirmation()).exception();
    }

}
