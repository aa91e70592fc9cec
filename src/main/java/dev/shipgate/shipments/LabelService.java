package dev.shipgate.shipments;

import dev.shipgate.db.Retry;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.ProblemException;
import dev.shipgate.spend.SpendLedger;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentViews.RateView;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.hibernate.reactive.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating shipments at EasyPost and buying and refunding their labels, keeping PostgreSQL in step, so
 * that a label is never bought twice and nothing EasyPost did goes unrecorded.
 * <ul>
 * <li>A creation is written down under its request's key before EasyPost is asked. When the answer is
 * lost, the shipment EasyPost made is looked up and recorded ({@link CreationLookup}); a retry of the
 * same request returns that one shipment instead of creating another.
 * <li>A purchase takes a lease on the shipment row ({@link PurchaseSql}) while it talks to EasyPost. A
 * clear refusal (4xx, 429) releases it; an unknown outcome (timeout, lost answer, 5xx) is read back from
 * EasyPost at once, and if EasyPost cannot be asked either, the lease is released with the shipment
 * marked unverified, so the next attempt reads it back before buying. A label EasyPost sold is recorded,
 * repeating the write while PostgreSQL is away.
 * </ul>
 * Shipments are read through {@link ShipmentReadSql}, the reader behind {@code GET /shipments/{id}}; the
 * entity writes go through Hibernate Reactive ({@link ShipmentStore}).
 */
public final class LabelService {

    private static final Logger LOG = LoggerFactory.getLogger(LabelService.class);
    /** The problem member marking a failed insurance EasyPost surely did not apply (so its fee is not owed). */
    private static final String NOT_APPLIED = "not_applied";

    private static final String POSTAGE_EXISTS = "SHIPMENT.POSTAGE.EXISTS";

    private final Pool raw;
    private final EasyPostGateway gateway;
    private final ShipmentReadSql reads;
    private final ShipmentStore store;
    private final CreationLookup lookup;
    private final SpendLedger ledger;
    private final int leaseSeconds;
    private final LabelFormat defaultFormat;

    /**
     * {@code ledger}: the spend reservations a purchase gives back or settles as its outcome becomes known;
     * {@code defaultFormat}: the label format of a purchase that names none ({@code LABEL_FORMAT}), recorded
     * with the purchase (EasyPost's other formats are converted on request, {@link LabelFiles}).
     */
    public LabelService(Vertx vertx, Stage.SessionFactory sessions, Pool raw, EasyPostGateway gateway, SpendLedger ledger,
                        int leaseSeconds, LabelFormat defaultFormat) {
        this.raw = raw;
        this.defaultFormat = defaultFormat;
        this.ledger = ledger;
        this.gateway = gateway;
        this.leaseSeconds = leaseSeconds;
        this.reads = new ShipmentReadSql(raw);
        this.store = new ShipmentStore(vertx, sessions);
        this.lookup = new CreationLookup(gateway, raw);
    }

    /** Creates a shipment for a request that no retry will name again. */
    public Future<ShipmentView> create(CreateShipment request) {
        return create(request, null);
    }

    /**
     * Creates the shipment once per {@code sourceKey} (an Idempotency-Key's request, a bulk item): when a
     * shipment with that key exists it is returned, and when an earlier attempt's answer was lost, the
     * shipment EasyPost made then is found and recorded instead of creating another. Fails with a problem:
     * EasyPost's refusal (422, 402), or a 5xx when the outcome is not known yet (the creation stays open
     * and is reconciled, see {@code GET /reconciliation}).
     */
    public Future<ShipmentView> create(CreateShipment request, String sourceKey) {
        return create(request, sourceKey, null);
    }

    /**
     * As {@link #create(CreateShipment, String)}; with {@code returnOf}, {@code request} is the return as
     * stored (from the original's recipient back to its sender) and EasyPost is sent the original's
     * addresses with {@code is_return: true}, which it swaps itself (https://docs.easypost.com/docs/returns).
     */
    Future<ShipmentView> create(CreateShipment request, String sourceKey, UUID returnOf) {
        String key = sourceKey != null ? sourceKey : "request:" + UUID.randomUUID();
        JsonObject sent = new JsonObject(Json.encode(request));
        return raw.preparedQuery(CreationSql.OPEN).execute(Tuple.of(key, sent)).compose(rows -> {
            Row open = rows.iterator().next();
            UUID stored = open.getUUID("shipment_id");
            if (stored != null) {
                return reads.find(stored);
            }
            OffsetDateTime since = open.getOffsetDateTime("created_at");
            boolean earlierUnknown = open.getInteger("attempts") > 1 && !open.getBoolean("was_refused");
            Future<com.easypost.model.Shipment> made = earlierUnknown
                    ? adopt(key, request, since).compose(found -> found != null ? Future.succeededFuture(found)
                            : createAtEasyPost(key, request, since, returnOf != null))
                    : createAtEasyPost(key, request, since, returnOf != null);
            return made.compose(created -> record(key, request, created, returnOf));
        });
    }

    /**
     * Creates the return {@code request} of shipment {@code original} once, however many identical requests
     * arrive at once: the original is claimed first ({@link CreationSql#CLAIM_RETURN}); the request that claims
     * it creates the return under the key {@code return:<original>}, the others get the return once it is
     * stored, or 409 {@code return-in-progress} while it is being created. The claim goes when the creation
     * ends, whatever its outcome; one left by a crash is taken over after the purchase lease.
     */
    Future<ShipmentView> createReturn(UUID original, CreateShipment request) {
        return raw.preparedQuery(CreationSql.CLAIM_RETURN).execute(Tuple.of(original, leaseSeconds)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + original).exception());
            }
            Row claim = rows.iterator().next();
            if (!claim.getBoolean("claimed")) {
                UUID made = claim.getUUID("return_shipment_id");
                return made != null ? find(made) : Future.failedFuture(
                        Leases.returnInProgress(original, claim.getOffsetDateTime("return_started_at"), leaseSeconds).exception());
            }
            return create(request, "return:" + original, original).transform(done -> raw.preparedQuery(CreationSql.RELEASE_RETURN)
                    .execute(Tuple.of(original))
                    .transform(released -> done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause())));
        });
    }

    private Future<com.easypost.model.Shipment> createAtEasyPost(String key, CreateShipment request, OffsetDateTime since,
                                                                 boolean isReturn) {
        Map<String, Object> body = request.toEasyPost();
        if (isReturn) {
            Object to = body.get("to_address");
            body.put("to_address", body.get("from_address"));
            body.put("from_address", to);
            body.put("is_return", true);
        }
        return gateway.call("create shipment", Repeat.IF_NOT_APPLIED, c -> c.shipment.create(body))
                .recover(failure -> {
                    if (!EasyPostGateway.ambiguous(failure)) {
                        return raw.preparedQuery(CreationSql.REFUSED).execute(Tuple.of(key))
                                .transform(marked -> Future.failedFuture(failure));
                    }
                    return adopt(key, request, since).transform(found -> {
                        if (found.succeeded() && found.result() != null) {
                            return Future.succeededFuture(found.result());
                        }
                        if (found.succeeded()) {
                            return raw.preparedQuery(CreationSql.REFUSED).execute(Tuple.of(key))
                                    .transform(marked -> Future.failedFuture(failure));
                        }
                        return Future.failedFuture(failure);
                    });
                })
                .compose(created -> claim(key, created.getId()).compose(ours -> {
                    if (ours) {
                        return Future.succeededFuture(created);
                    }
                    // an identical creation whose answer was lost took ours before we stored it: its own
                    // shipment is out there unclaimed, take that one
                    LOG.info("EasyPost shipment {} was claimed by an identical creation; creation {} takes another", created.getId(), key);
                    return adopt(key, request, since).compose(other -> other != null ? Future.succeededFuture(other)
                            : Future.failedFuture(Problem.of(ProblemType.SHIPMENT_NOT_STORED_YET,
                                    "EasyPost created the shipment but it is not stored yet; it will be recorded. "
                                            + retryAdvice(key)).retryAfter(5).exception()));
                }));
    }

    /** Claims EasyPost shipment {@code easypostId} for creation {@code key}; false when another creation has it. */
    private Future<Boolean> claim(String key, String easypostId) {
        return raw.preparedQuery(CreationSql.CLAIM).execute(Tuple.of(easypostId, key)).map(rows -> rows.size() == 1);
    }

    /**
     * The shipment EasyPost made for this creation, claimed for it, if any (null when none): the first
     * candidate ({@link CreationLookup#find}) it can claim, the next when another creation claims one first.
     * Candidates nobody claims are listed as orphans (made by retries whose answers were lost) only once no
     * other identical creation is still open, since such a creation may yet claim one of them.
     */
    Future<com.easypost.model.Shipment> adopt(String key, CreateShipment request, OffsetDateTime since) {
        return lookup.find(request, since, key).compose(found -> claimFirst(key, found, 0).compose(claimed -> {
            if (claimed == null) {
                return Future.succeededFuture();
            }
            List<com.easypost.model.Shipment> rest = found.subList(found.indexOf(claimed) + 1, found.size());
            Future<?> adopted = raw.preparedQuery(CreationSql.ADOPTED).execute(Tuple.of(claimed.getId()));
            if (rest.isEmpty()) {
                return adopted.map(v -> claimed);
            }
            return adopted.compose(v -> raw.preparedQuery(CreationSql.OTHERS_OPEN).execute(Tuple.of(key, request.reference())))
                    .compose(open -> {
                        Future<?> listed = Future.succeededFuture();
                        if (open.size() > 0) {
                            return listed.map(v -> claimed);
                        }
                        for (com.easypost.model.Shipment extra : rest) {
                            listed = listed.compose(v -> raw.preparedQuery(CreationSql.ORPHAN).execute(Tuple.of(extra.getId(), key,
                                    extra.getReference(), "created again by a retried request whose answer was lost",
                                    CreationLookup.createdAt(extra).atOffset(java.time.ZoneOffset.UTC))).onSuccess(rows -> {
                                        if (rows.rowCount() > 0) {
                                            LOG.warn("EasyPost shipment {} duplicates {} (a retried creation whose answer was lost); listed for reconciliation",
                                                    extra.getId(), claimed.getId());
                                        }
                                    }));
                        }
                        return listed.map(v -> claimed);
                    });
        }));
    }

    private Future<com.easypost.model.Shipment> claimFirst(String key, List<com.easypost.model.Shipment> candidates, int i) {
        if (i >= candidates.size()) {
            return Future.succeededFuture();
        }
        return claim(key, candidates.get(i).getId())
                .compose(ours -> ours ? Future.succeededFuture(candidates.get(i)) : claimFirst(key, candidates, i + 1));
    }

    /** Stores what EasyPost created; when the key was stored meanwhile, answers that shipment. */
    Future<ShipmentView> record(String key, CreateShipment request, com.easypost.model.Shipment created) {
        return record(key, request, created, null);
    }

    private Future<ShipmentView> record(String key, CreateShipment request, com.easypost.model.Shipment created, UUID returnOf) {
        return store.created(request, created, key, returnOf).recover(failure -> {
            if ("23505".equals(Retry.sqlState(failure))) {
                return raw.preparedQuery(CreationSql.BY_SOURCE_KEY).execute(Tuple.of(key))
                        .compose(rows -> rows.size() == 1 ? reads.find(rows.iterator().next().getUUID("id"))
                                : Future.failedFuture(failure));
            }
            // The write may have failed because the shipment is stored already (another attempt of the same
            // creation, a reconciler pass, stored it first: its addresses' unique EasyPost ids then collide
            // whatever the driver's error looks like). That one is the answer, and the creation is settled.
            return raw.preparedQuery(CreationSql.STORED).execute(Tuple.of(created.getId(), key)).transform(stored -> {
                if (stored.succeeded() && stored.result().size() == 1) {
                    LOG.info("EasyPost shipment {} of creation {} was stored already; taking that one", created.getId(), key);
                    return reads.find(stored.result().iterator().next().getUUID("id"));
                }
                LOG.error("EasyPost shipment {} created but not stored yet (source {}); it will be reconciled: {}",
                        created.getId(), key, failure.toString());
                return Future.failedFuture(Problem.of(ProblemType.SHIPMENT_NOT_STORED_YET,
                        "EasyPost created the shipment but it could not be stored yet; it will be recorded. "
                                + retryAdvice(key)).retryAfter(5).exception());
            });
        });
    }

    /** What the caller of creation {@code key} should do to get its shipment: it depends on who asked. */
    static String retryAdvice(String key) {
        if (key.startsWith("bulk:")) {
            return "The bulk item is tried again on its own";
        }
        if (key.startsWith("key:")) {
            return "Retry with the same Idempotency-Key to get it";
        }
        if (key.startsWith("return:")) {
            return "Ask for the return again to get it";
        }
        return "It will be listed at GET /reconciliation until it is";
    }

    /** The shipment {@code id} as the API shows it, or a 404 problem. */
    Future<ShipmentView> find(UUID id) {
        return reads.find(id).compose(view -> view != null ? Future.succeededFuture(view)
                : Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception()));
    }

    /**
     * Buys {@code chosen} for {@code view} under the purchase lease. {@code reserve} (null when the payer
     * keeps no ledger) reserves the spend once the lease is ours, so only the lease holder ever holds a
     * reservation for the shipment; when an earlier attempt's outcome is unknown, its held reservation is
     * carried on instead of reserving again (one label, counted once). A refused reservation releases the
     * lease and fails with its problem. {@code boughtIsAnswer}: a label bought meanwhile is the answer
     * instead of a 409 (bulk items, approvals).
     */
    Future<ShipmentView> purchase(ShipmentView view, RateView chosen, boolean boughtIsAnswer, Supplier<Future<UUID>> reserve) {
        return purchase(view, chosen, null, null, boughtIsAnswer, reserve);
    }

    /**
     * As above, in {@code asked} (null: the configured default) and insuring the label for
     * {@code insurance} USD in the same EasyPost call (null: no insurance).
     */
    Future<ShipmentView> purchase(ShipmentView view, RateView chosen, LabelFormat asked, BigDecimal insurance, boolean boughtIsAnswer,
                                  Supplier<Future<UUID>> reserve) {
        UUID id = view.id();
        LabelFormat format = asked != null ? asked : defaultFormat;
        return raw.preparedQuery(PurchaseSql.CLAIM).execute(Tuple.of(id, leaseSeconds)).compose(rows -> {
            if (rows.size() == 1) {
                boolean reconcile = rows.iterator().next().getBoolean("reconcile");
                if (reserve == null) {
                    return leased(view, chosen, format, insurance, reconcile);
                }
                Future<Boolean> carried = reconcile ? ledger.holds(id) : Future.succeededFuture(false);
                return carried.compose(held -> held ? Future.succeededFuture() : reserve.get().<Void>mapEmpty())
                        .recover(refused -> raw.preparedQuery(PurchaseSql.RELEASE).execute(Tuple.of(id, false))
                                .transform(released -> Future.failedFuture(refused)))
                        .compose(v -> leased(view, chosen, format, insurance, reconcile).onSuccess(bought -> ledger.settle(id)));
            }
            return raw.preparedQuery(PurchaseSql.STATE).execute(Tuple.of(id)).compose(state -> {
                Row row = state.iterator().hasNext() ? state.iterator().next() : null;
                if (row != null && row.getString("label_url") != null) {
                    return boughtIsAnswer ? reads.find(id)
                            : Future.failedFuture(alreadyBought(id, row.getString("label_url"), row.getString("tracking_code")));
                }
                return Future.failedFuture(Leases.inProgress("a label for shipment " + id,
                        row == null ? null : row.getOffsetDateTime("purchase_started_at"), leaseSeconds).exception());
            });
        });
    }

    /** Buys under the lease: reads back first after an unknown outcome, resolves every failure, records the label. */
    private Future<ShipmentView> leased(ShipmentView view, RateView chosen, LabelFormat format, BigDecimal insurance,
                                        boolean reconcile) {
        Future<com.easypost.model.Shipment> attempt = reconcile
                ? readBack(view.easypostId()).compose(current -> current.getPostageLabel() != null
                        ? Future.succeededFuture(current) : buyOnce(view.easypostId(), chosen.easypostId(), format, insurance))
                : buyOnce(view.easypostId(), chosen.easypostId(), format, insurance);
        return attempt.recover(failure -> resolve(view, chosen, format, insurance, failure, true))
                .compose(bought -> store.purchased(view, bought, format)
                .recover(failure -> {
                    LOG.error("label of EasyPost shipment {} bought but not recorded yet: {}", view.easypostId(), failure.toString());
                    return raw.preparedQuery(PurchaseSql.UNVERIFIED).execute(Tuple.of(view.id())).transform(marked ->
                            Future.failedFuture(Problem.of(ProblemType.LABEL_NOT_RECORDED_YET,
                                    "EasyPost sold the label but it could not be recorded yet; retry to get it")
                                    .retryAfter(2).exception()));
                }));
    }

    /**
     * After a failed buy: when EasyPost may have sold the label, read the shipment back now and take the
     * label if it is there, or buy once more if EasyPost shows none (the lease is still ours). Otherwise
     * release the lease, marking the shipment unverified when even the read-back failed.
     */
    private Future<com.easypost.model.Shipment> resolve(ShipmentView view, RateView chosen, LabelFormat format,
                                                        BigDecimal insurance, Throwable failure, boolean mayBuyAgain) {
        if (EasyPostGateway.notFound(failure)) {
            return unknownAtEasyPost(view, failure);
        }
        if (!EasyPostGateway.ambiguous(failure) && !postageExists(failure)) {
            return giveBack(view.id()).compose(v -> raw.preparedQuery(PurchaseSql.RELEASE).execute(Tuple.of(view.id(), false)))
                    .transform(released -> Future.failedFuture(failure));
        }
        return readBack(view.easypostId()).transform(read -> {
            if (read.failed() && EasyPostGateway.notFound(read.cause())) {
                return unknownAtEasyPost(view, read.cause());
            }
            if (read.succeeded() && read.result().getPostageLabel() != null) {
                return Future.succeededFuture(read.result());
            }
            if (read.succeeded() && mayBuyAgain) {
                return buyOnce(view.easypostId(), chosen.easypostId(), format, insurance)
                        .recover(again -> resolve(view, chosen, format, insurance, again, false));
            }
            String sql = read.succeeded() ? PurchaseSql.RELEASE : PurchaseSql.UNVERIFIED;
            Tuple args = read.succeeded() ? Tuple.of(view.id(), true) : Tuple.of(view.id());
            Future<Void> spend = read.succeeded() ? giveBack(view.id()) : Future.succeededFuture();
            return spend.compose(v -> raw.preparedQuery(sql).execute(args))
                    .transform(released -> Future.failedFuture(failure));
        });
    }

    /**
     * Settles a purchase whose outcome EasyPost left unknown, without buying: under the lease, reads the
     * shipment back and records the label if EasyPost sold it, or clears the mark if it did not. Answers
     * whether a label was recorded; fails when EasyPost cannot be asked (the mark stays).
     */
    Future<Boolean> settle(UUID id) {
        return reads.find(id).compose(view -> {
            if (view == null || view.labelUrl() != null) {
                return Future.succeededFuture(false);
            }
            return raw.preparedQuery(PurchaseSql.CLAIM).execute(Tuple.of(id, leaseSeconds)).compose(rows -> rows.size() == 0
                    ? Future.succeededFuture(false)
                    : readBack(view.easypostId()).transform(read -> {
                        if (read.failed() && EasyPostGateway.notFound(read.cause())) {
                            return unknownAtEasyPost(view, read.cause()).map(false).otherwise(false);
                        }
                        if (read.failed()) {
                            return raw.preparedQuery(PurchaseSql.UNVERIFIED).execute(Tuple.of(id))
                                    .transform(marked -> Future.failedFuture(read.cause()));
                        }
                        if (read.result().getPostageLabel() != null) {
                            return store.purchased(view, read.result(), defaultFormat).onSuccess(v -> ledger.settle(id)).map(true);
                        }
                        return giveBack(id).compose(v -> raw.preparedQuery(PurchaseSql.RELEASE).execute(Tuple.of(id, true)))
                                .map(false);
                    }));
        });
    }

    /** Purchases left unsettled (unverified, or a lease older than the lease time), at most {@code limit}. */
    Future<List<UUID>> unsettled(int limit) {
        return raw.preparedQuery(PurchaseSql.UNSETTLED).execute(Tuple.of(leaseSeconds, limit)).map(rows -> {
            List<UUID> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getUUID("id")));
            return ids;
        });
    }

    /**
     * EasyPost answered 404 for the shipment: it does not exist in this account (a simulator restarted
     * without its state, another account's key), so nothing can have been bought on it. The purchase is
     * settled as not bought (held spend given back, lease and unverified mark cleared) and fails with a 409
     * saying so, instead of a 502 on every retry. The settling happens before the problem is answered.
     */
    private <T> Future<T> unknownAtEasyPost(ShipmentView view, Throwable failure) {
        LOG.warn("EasyPost has no shipment {} (shipment {}): its purchase is settled as not bought", view.easypostId(), view.id());
        return giveBack(view.id()).compose(v -> raw.preparedQuery(PurchaseSql.RELEASE).execute(Tuple.of(view.id(), true)))
                .transform(settled -> Future.failedFuture(Problem.of(ProblemType.UNKNOWN_AT_EASYPOST,
                                "EasyPost has no shipment " + view.easypostId() + " in this account, so no label was bought on it; "
                                        + "its reserved spend was given back. Create the shipment again to buy a label")
                        .with("shipment_id", view.id().toString()).with("easypost_id", view.easypostId())
                        .exception(failure)));
    }

    /**
     * EasyPost sold no label: the shipment's held spend goes back, before the lease is released (a crash in
     * between leaves a stale lease, which the reconciler settles again).
     */
    private Future<Void> giveBack(UUID id) {
        return ledger.releaseShipment(id);
    }

    /**
     * One purchase at EasyPost; a format other than EasyPost's default PNG goes as {@code options.label_format};
     * with {@code insurance} (USD), insured in the same call (EasyPost buy's {@code insurance}).
     */
    private Future<com.easypost.model.Shipment> buyOnce(String easypostId, String rateId, LabelFormat format, BigDecimal insurance) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("rate", Map.of("id", rateId));
        if (format != LabelFormat.PNG) {
            params.put("options", Map.of("label_format", format.name()));
        }
        if (insurance != null) {
            params.put("insurance", insurance.toPlainString());
        }
        return gateway.call("buy label", Repeat.IF_NOT_APPLIED, c -> c.shipment.buy(easypostId, params));
    }

    /**
     * Insures a bought shipment at EasyPost ({@code shipment.insure}) and records amount and fee. The insurance
     * is claimed in PostgreSQL first ({@link PurchaseSql#CLAIM_INSURANCE}), so of identical requests arriving at
     * once one asks EasyPost: the others get 409 {@code insurance-in-progress}, or the 409 {@code conflict}
     * "already insured" once it is recorded. A refusal, or an outcome read back as not applied, gives the claim
     * back; an outcome left unknown keeps it until the purchase lease passes.
     */
    Future<ShipmentView> insure(ShipmentView view, BigDecimal amount) {
        return raw.preparedQuery(PurchaseSql.CLAIM_INSURANCE).execute(Tuple.of(view.id(), leaseSeconds)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + view.id()).exception());
            }
            Row claim = rows.iterator().next();
            if (!claim.getBoolean("claimed")) {
                BigDecimal insured = claim.getBigDecimal("insured_amount");
                return Future.failedFuture(insured != null
                        ? Problem.of(ProblemType.CONFLICT, "shipment " + view.id() + " is already insured for "
                                + insured.toPlainString() + " USD").exception()
                        : Leases.insuranceInProgress(view.id(), claim.getOffsetDateTime("insure_started_at"), leaseSeconds).exception());
            }
            return gateway.call("insure shipment", Repeat.IF_NOT_APPLIED,
                            c -> c.shipment.insure(view.easypostId(), Map.<String, Object>of("amount", amount.toPlainString())))
                    .recover(failure -> EasyPostGateway.ambiguous(failure) ? insuredAfterAll(view, amount, failure)
                            : Future.failedFuture(failure))
                    .recover(failure -> !EasyPostGateway.ambiguous(failure) || insuranceNotApplied(failure)
                            ? raw.preparedQuery(PurchaseSql.RELEASE_INSURANCE).execute(Tuple.of(view.id()))
                                    .transform(released -> Future.failedFuture(failure))
                            : Future.failedFuture(failure))
                    .compose(insured -> store.insured(view, insured));
        });
    }

    /**
     * After an insure call whose outcome is unknown (answer lost, timeout, 5xx): reads the shipment back. Insured
     * for {@code amount}: that is the answer (the fee was charged). Not insured: a 502 marked
     * {@link #insuranceNotApplied} (nothing was charged, the fee's reservation can be given back, a retry is safe).
     * The read-back failing too leaves the outcome unknown: the original failure, the fee stays reserved.
     */
    private Future<com.easypost.model.Shipment> insuredAfterAll(ShipmentView view, BigDecimal amount, Throwable failure) {
        return readBack(view.easypostId()).transform(read -> {
            if (read.failed()) {
                return Future.failedFuture(failure);
            }
            BigDecimal insured = ShipmentStore.insured(read.result());
            if (insured != null && insured.compareTo(amount) == 0) {
                return Future.succeededFuture(read.result());
            }
            return Future.failedFuture(Problem.of(ProblemType.EASYPOST_ANSWER_LOST, "EasyPost's answer to the insurance "
                            + "was lost and the shipment shows no insurance for " + amount.toPlainString()
                            + " USD: nothing was charged; retry")
                    .with(NOT_APPLIED, true).retryAfter(2).exception());
        });
    }

    /** Whether {@code failure} is an insurance EasyPost surely did not apply, after a read-back. */
    static boolean insuranceNotApplied(Throwable failure) {
        return failure instanceof ProblemException p && p.problem().extensions().getBoolean(NOT_APPLIED, false);
    }

    private Future<com.easypost.model.Shipment> readBack(String easypostId) {
        return gateway.call("retrieve shipment", Repeat.SAFE, c -> c.shipment.retrieve(easypostId));
    }

    private static boolean postageExists(Throwable failure) {
        return EasyPostGateway.cause(failure) instanceof com.easypost.exception.APIException api
                && POSTAGE_EXISTS.equals(api.getCode());
    }

    /**
     * The tracking statuses a label may still be refunded in: none yet, {@code unknown} and {@code pre_transit}.
     * Once the carrier has scanned it, EasyPost refunds nothing (https://docs.easypost.com/docs/shipments/refunds:
     * only unused labels); the dashboard offers a refund by the same rule ({@code webroot/app/pages/detail.js}).
     */
    static final java.util.Set<String> REFUNDABLE_STATUSES = java.util.Set.of("unknown", "pre_transit");

    /**
     * Asks EasyPost to refund the label of shipment {@code id} and stores its refund status. Refused before
     * EasyPost is asked: 404 for no such shipment, 409 {@code no-label} without a label, 409 {@code label-scanned}
     * (with {@code shipment_status}) once the carrier has scanned it. A refund already asked for is answered as stored.
     * The refund is claimed in PostgreSQL first ({@link PurchaseSql#CLAIM_REFUND}), so of identical requests
     * arriving at once exactly one asks EasyPost; the others get 409 {@code refund-in-progress}
     * ({@link Leases#refundInProgress}) while it runs, and the stored status once it is done. A claim older than
     * the purchase lease was left by a crash and is taken over.
     */
    public Future<ShipmentView> refund(UUID id) {
        return reads.find(id).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception());
            }
            if (view.labelUrl() == null) {
                return Future.failedFuture(Problem.of(ProblemType.NO_LABEL, "shipment " + id + " has no label to refund").exception());
            }
            if (view.refundStatus() != null) {
                return Future.succeededFuture(view);
            }
            if (view.status() != null && !REFUNDABLE_STATUSES.contains(view.status())) {
                return Future.failedFuture(scanned(id, view.status() + ": the carrier has scanned its label", view.status()));
            }
            return raw.preparedQuery(PurchaseSql.CLAIM_REFUND).execute(Tuple.of(id, leaseSeconds)).compose(rows -> {
                if (rows.size() == 0) {
                    return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception());
                }
                Row claim = rows.iterator().next();
                if (claim.getBoolean("claimed")) {
                    return refundAtEasyPost(view);
                }
                if (claim.getString("refund_status") != null) {
                    return reads.find(id);
                }
                var firstScan = claim.getOffsetDateTime("first_scan_at");
                if (firstScan != null) {
                    return Future.failedFuture(scanned(id, "scanned by the carrier at "
                            + java.time.format.DateTimeFormatter.ISO_INSTANT.format(firstScan.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), view.status()));
                }
                return Future.failedFuture(Leases.refundInProgress(id, claim.getOffsetDateTime("refund_started_at"), leaseSeconds).exception());
            });
        });
    }

    /**
     * The one refund call for a claimed shipment. EasyPost failing gives the claim back (asking again is safe),
     * so a retry does not wait for the lease; a status EasyPost gave but PostgreSQL could not store keeps the
     * claim until the lease passes, and the request that takes it over asks EasyPost again for the same status.
     */
    private Future<ShipmentView> refundAtEasyPost(ShipmentView view) {
        return gateway.call("refund label", Repeat.SAFE, c -> c.shipment.refund(view.easypostId()))
                .recover(failure -> raw.preparedQuery(PurchaseSql.RELEASE_REFUND).execute(Tuple.of(view.id()))
                        .transform(released -> Future.failedFuture(failure)))
                .compose(refunded -> store.refunded(view, refunded.getRefundStatus()));
    }

    /** 409 {@code label-scanned}: EasyPost refunds only unused labels; {@code shipment_status} is the current status. */
    private static ProblemException scanned(UUID id, String why, String status) {
        return Problem.of(ProblemType.LABEL_SCANNED, "shipment " + id + " is " + why + ", and EasyPost refunds only unused labels")
                .with("shipment_status", status).exception();
    }

    static ProblemException alreadyBought(UUID id, String labelUrl, String trackingCode) {
        return Problem.of(ProblemType.ALREADY_BOUGHT, "shipment " + id + " already has a label")
                .with("label_url", labelUrl).with("tracking_code", trackingCode).exception();
    }
}
