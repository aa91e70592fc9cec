package dev.shipgate.scanforms;

import dev.shipgate.config.BusinessDay;
import dev.shipgate.db.Retry;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.BoughtLabels;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.ProblemType;
import dev.shipgate.scanforms.ScanFormViews.CreateScanForm;
import dev.shipgate.scanforms.ScanFormViews.OpenCarrier;
import dev.shipgate.scanforms.ScanFormViews.OpenDay;
import dev.shipgate.scanforms.ScanFormViews.ScanFormPage;
import dev.shipgate.scanforms.ScanFormViews.ScanFormShipment;
import dev.shipgate.scanforms.ScanFormViews.ScanFormSummary;
import dev.shipgate.scanforms.ScanFormViews.ScanFormView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-of-day scan forms through EasyPost's ScanForm API (https://docs.easypost.com/docs/scan-forms): one
 * document listing a day's labels of one carrier and origin, which the carrier scans once at pickup.
 * EasyPost puts a shipment on at most one form; so does Shipgate, before asking: the form's shipments are
 * reserved in PostgreSQL (a key on the shipment) in one transaction, so of two overlapping requests only
 * one reaches EasyPost with a given shipment. A refusal releases the reservation and names the shipment
 * EasyPost refused; an unknown outcome keeps it ({@code unverified}) so the shipments are never put on a
 * second form.
 */
public final class ScanForms {

    private static final Logger LOG = LoggerFactory.getLogger(ScanForms.class);
    /** Forms asked for per page when searching for one whose answer was lost (EasyPost's largest page_size). */
    static final int READ_BACK_PAGE = 100;
    /** Pages searched at most: the newest 1,000 forms, far more than an account makes while one answer is lost. */
    static final int READ_BACK_PAGES = 10;
    /** A reservation older than this (seconds) with no outcome was left by a crash. */
    static final int SETTLE_AFTER_SECONDS = 120;
    /** At most this many unsettled forms are settled before a new one is made. */
    static final int SETTLE_AT_ONCE = 5;
    private static final Pattern EASYPOST_SHIPMENT = Pattern.compile("shp_[0-9a-zA-Z]+");

    private final Pool raw;
    private final EasyPostGateway gateway;
    private final BusinessDay days;

    /**
     * @param days the business's days: a scan form "of a day" holds the labels bought on that day where the
     *             business hands its parcels to the carrier, and "today" is that day too
     */
    public ScanForms(Pool raw, EasyPostGateway gateway, BusinessDay days) {
        this.raw = raw;
        this.gateway = gateway;
        this.days = days;
    }

    /** Today in the business's time zone: the end-of-day page's default day. */
    public LocalDate today() {
        return days.today();
    }

    private record Candidate(UUID id, String easypostId, String carrier, String trackingCode, boolean bought,
                             String refundStatus, UUID scanFormId) {
        static Candidate of(Row r) {
            return new Candidate(r.getUUID("id"), r.getString("easypost_id"), r.getString("carrier"),
                    r.getString("tracking_code"), r.getString("label_url") != null, r.getString("refund_status"),
                    r.getUUID("scan_form_id"));
        }
    }

    /**
     * Makes a form of the request's shipments. Fails with a 422 naming the field (no selection, unknown,
     * unbought or refunded shipment, two carriers, an empty day), a 409 naming a shipment already on a
     * form, EasyPost's refusal naming the shipment it refused, or a 5xx when EasyPost's outcome is unknown.
     */
    public Future<ScanFormView> create(CreateScanForm request) {
        boolean byIds = request.shipmentIds() != null;
        if (byIds == (request.date() != null)) {
            return Future.failedFuture(Problem.invalidField("shipment_ids",
                    "give either shipment_ids, or a date with a carrier").exception());
        }
        if (!byIds && request.carrier() == null) {
            return Future.failedFuture(Problem.invalidField("carrier", "is required with date").exception());
        }
        Future<List<Candidate>> chosen = settleUnknown().compose(settled -> byIds
                ? byIds(new ArrayList<>(new LinkedHashSet<>(request.shipmentIds()))) : ofDay(request));
        return chosen.compose(candidates -> {
            UUID formId = UUID.randomUUID();
            List<UUID> ids = candidates.stream().map(Candidate::id).toList();
            return reserve(formId, candidates.get(0).carrier(), ids, request)
                    .compose(v -> makeAtEasyPost(formId, candidates, byIds))
                    .compose(v -> find(formId));
        });
    }

    private Future<List<Candidate>> byIds(List<UUID> ids) {
        return raw.preparedQuery(ScanFormSql.CANDIDATES_BY_ID).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Candidate> found = new LinkedHashMap<>();
            rows.forEach(r -> found.put(r.getUUID("id"), Candidate.of(r)));
            List<Candidate> out = new ArrayList<>();
            List<Problem.InvalidParam> invalid = new ArrayList<>();
            List<BoughtLabels.Named> named = new ArrayList<>();
            ProblemException taken = null;
            for (int i = 0; i < ids.size(); i++) {
                Candidate c = found.get(ids.get(i));
                String field = "shipment_ids[" + i + "]";
                if (c == null) {
                    invalid.add(new Problem.InvalidParam(field, "no shipment " + ids.get(i)));
                    continue;
                }
                if (!c.bought()) {
                    invalid.add(new Problem.InvalidParam(field, "shipment " + c.id() + " has no label yet"));
                    continue;
                }
                named.add(new BoughtLabels.Named(field, c.id(), c.refundStatus()));
                if (c.scanFormId() != null && taken == null) {
                    taken = onForm(field, c.id(), c.scanFormId());
                }
                if (!out.isEmpty() && !String.valueOf(c.carrier()).equals(out.get(0).carrier())) {
                    invalid.add(new Problem.InvalidParam(field, "shipment " + c.id() + " is a " + c.carrier()
                            + " shipment; a form covers one carrier (" + out.get(0).carrier() + ")"));
                    continue;
                }
                out.add(c);
            }
            if (!invalid.isEmpty()) {
                throw Problem.invalid(422, invalid.stream().map(p -> p.name() + ": " + p.reason())
                        .collect(java.util.stream.Collectors.joining("; ")), invalid).exception();
            }
            Problem refunded = BoughtLabels.refused(named, "put on a scan form");
            if (refunded != null) {
                throw refunded.exception();
            }
            if (taken != null) {
                throw taken;
            }
            return out;
        });
    }

    private Future<List<Candidate>> ofDay(CreateScanForm request) {
        OffsetDateTime from = days.startOf(request.date());
        var origin = request.fromAddress();
        Tuple args = Tuple.tuple().addString(request.carrier()).addOffsetDateTime(from)
                .addOffsetDateTime(days.startOf(request.date().plusDays(1))).addString(origin == null ? null : origin.street1())
                .addString(origin == null ? null : origin.zip()).addString(origin == null ? null : origin.countryOrDefault())
                .addInteger(ScanFormViews.MAX_SHIPMENTS + 1);
        return raw.preparedQuery(ScanFormSql.CANDIDATES_OF_DAY).execute(args).map(rows -> {
            List<Candidate> out = new ArrayList<>();
            rows.forEach(r -> out.add(Candidate.of(r)));
            if (out.isEmpty()) {
                throw Problem.invalidField("date", "no bought " + request.carrier() + " shipments of " + request.date()
                        + (origin == null ? "" : " from that address") + " are left to put on a form").exception();
            }
            if (out.size() > ScanFormViews.MAX_SHIPMENTS) {
                throw Problem.invalidField("date",
                        "more than " + ScanFormViews.MAX_SHIPMENTS + " shipments; send shipment_ids in parts").exception();
            }
            return out;
        });
    }

    /** Holds the shipments for form {@code formId} in one transaction; a 409 naming a shipment another form holds. */
    private Future<Void> reserve(UUID formId, String carrier, List<UUID> ids, CreateScanForm request) {
        UUID[] array = ids.toArray(UUID[]::new);
        return raw.withTransaction(conn -> conn.preparedQuery(ScanFormSql.INSERT_FORM).execute(Tuple.of(formId, carrier))
                        .compose(v -> conn.preparedQuery(ScanFormSql.RESERVE).execute(Tuple.of(array, formId))))
                .<Void>mapEmpty()
                .recover(failure -> {
                    if (!"23505".equals(Retry.sqlState(failure))) {
                        return Future.failedFuture(failure);
                    }
                    return raw.preparedQuery(ScanFormSql.TAKEN).execute(Tuple.of((Object) array)).compose(rows -> {
                        if (rows.size() == 0) {
                            return Future.failedFuture(failure);
                        }
                        Row taken = rows.iterator().next();
                        UUID shipment = taken.getUUID("shipment_id");
                        String field = request.shipmentIds() != null
                                ? "shipment_ids[" + request.shipmentIds().indexOf(shipment) + "]" : "date";
                        return Future.failedFuture(onForm(field, shipment, taken.getUUID("scan_form_id")));
                    });
                });
    }

    private Future<Void> makeAtEasyPost(UUID formId, List<Candidate> candidates, boolean byIds) {
        List<Map<String, Object>> refs = candidates.stream().<Map<String, Object>>map(c -> Map.of("id", c.easypostId())).toList();
        return gateway.call("create scan form", Repeat.IF_NOT_APPLIED,
                        c -> c.scanForm.create(Map.<String, Object>of("shipments", refs)))
                .compose(form -> raw.preparedQuery(ScanFormSql.CREATED).execute(Tuple.of(formId, form.getId(), form.getFormUrl(),
                        form.getFormFileType(), form.getConfirmation(), form.getMessage())).<Void>mapEmpty())
                .recover(failure -> {
                    if (EasyPostGateway.ambiguous(failure)) {
                        Set<String> codes = new HashSet<>();
                        candidates.forEach(c -> codes.add(c.trackingCode()));
                        return readBack(formId, codes, failure);
                    }
                    return raw.preparedQuery(ScanFormSql.DROP).execute(Tuple.of(formId))
                            .transform(dropped -> Future.failedFuture(namingShipment(failure, candidates, byIds)));
                });
    }

    /**
     * Settles forms whose outcome at EasyPost is unknown (an answer lost and not read back, or a reservation a
     * crash left) before a new form is made, so their shipments are neither held for ever nor put on a second
     * form: each is read back and recorded, or released when EasyPost shows none. Fails, making nothing, when
     * EasyPost cannot be asked.
     */
    private Future<Void> settleUnknown() {
        return raw.preparedQuery(ScanFormSql.UNSETTLED).execute(Tuple.of(SETTLE_AFTER_SECONDS, SETTLE_AT_ONCE)).compose(rows -> {
            Future<Void> done = Future.succeededFuture();
            for (Row r : rows) {
                UUID formId = r.getUUID("id");
                Set<String> codes = new HashSet<>(List.of(r.getArrayOfStrings("tracking_codes")));
                done = done.compose(v -> readBack(formId, codes, null));
            }
            return done;
        });
    }

    /**
     * EasyPost's answer was lost ({@code failure}, or null when settling a form left unknown earlier): its
     * newest forms are read back and the one holding exactly these tracking codes is recorded. When EasyPost shows none, the reservation goes (EasyPost did not make it);
     * when it cannot be asked either, the form stays {@code unverified} and its shipments stay held.
     */
    private Future<Void> readBack(UUID formId, Set<String> codes, Throwable failure) {
        return find(codes, null, 0).transform(read -> {
                    if (read.failed()) {
                        Throwable cause = failure != null ? failure : read.cause();
                        LOG.warn("scan form {}: EasyPost's outcome is unknown and could not be read back; its {} shipments "
                                + "stay held: {}", formId, codes.size(), cause.toString());
                        return raw.preparedQuery(ScanFormSql.UNVERIFIED).execute(Tuple.of(formId))
                                .transform(marked -> Future.failedFuture(cause));
                    }
                    if (read.result() != null) {
                        var form = read.result();
                        return raw.preparedQuery(ScanFormSql.CREATED).execute(Tuple.of(formId, form.getId(), form.getFormUrl(),
                                form.getFormFileType(), form.getConfirmation(), form.getMessage())).mapEmpty();
                    }
                    return raw.preparedQuery(ScanFormSql.DROP).execute(Tuple.of(formId))
                            .transform(dropped -> failure == null ? Future.<Void>succeededFuture() : Future.failedFuture(failure));
                });
    }

    /**
     * EasyPost's form holding exactly {@code codes}, or null when none of its newest
     * {@code READ_BACK_PAGES x READ_BACK_PAGE} forms does: pages newest first, each after the last form of
     * the one before ({@code before_id}), while EasyPost says {@code has_more}. Fails when EasyPost cannot
     * be asked.
     */
    private Future<com.easypost.model.ScanForm> find(Set<String> codes, String beforeId, int pagesRead) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("page_size", READ_BACK_PAGE);
        if (beforeId != null) {
            params.put("before_id", beforeId);
        }
        return gateway.call("list scan forms", Repeat.SAFE, c -> c.scanForm.all(params)).compose(page -> {
            List<com.easypost.model.ScanForm> forms = page.getScanForms() == null ? List.of() : page.getScanForms();
            var made = forms.stream()
                    .filter(f -> f.getTrackingCodes() != null && new HashSet<>(f.getTrackingCodes()).equals(codes))
                    .findFirst();
            if (made.isPresent()) {
                return Future.succeededFuture(made.get());
            }
            if (!Boolean.TRUE.equals(page.getHasMore()) || forms.isEmpty() || pagesRead + 1 >= READ_BACK_PAGES) {
                if (Boolean.TRUE.equals(page.getHasMore()) && !forms.isEmpty()) {
                    LOG.warn("scan form read-back stopped after the newest {} forms without finding tracking codes {}",
                            READ_BACK_PAGES * READ_BACK_PAGE, codes);
                }
                return Future.succeededFuture(null);
            }
            return find(codes, forms.get(forms.size() - 1).getId(), pagesRead + 1);
        });
    }

    /**
     * EasyPost's refusal with the shipment it names (its {@code shp_} id in the message or field errors)
     * translated to Shipgate's id and the request's field.
     */
    static Throwable namingShipment(Throwable failure, List<Candidate> candidates, boolean byIds) {
        if (!(failure instanceof ProblemException mapped) || mapped.problem().kind() != ProblemType.REJECTED_BY_EASYPOST) {
            return failure;
        }
        Problem problem = mapped.problem();
        JsonObject upstream = problem.extensions().getJsonObject("easypost", new JsonObject());
        StringBuilder text = new StringBuilder(String.valueOf(upstream.getString("message")));
        upstream.getJsonArray("errors", new JsonArray()).forEach(e -> text.append(' ').append(e));
        Matcher m = EASYPOST_SHIPMENT.matcher(text);
        while (m.find()) {
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                if (m.group().equals(c.easypostId())) {
                    String field = byIds ? "shipment_ids[" + i + "]" : "date";
                    String reason = "EasyPost refused shipment " + c.id() + ": " + upstream.getString("message");
                    return new Problem(problem.kind(), problem.status(), reason,
                            List.of(new Problem.InvalidParam(field, reason)),
                            problem.extensions().copy().put("shipment_id", c.id().toString())).exception(failure);
                }
            }
        }
        return failure;
    }

    /** One form with its shipments; a 404 when there is none. */
    public Future<ScanFormView> find(UUID id) {
        return raw.preparedQuery(ScanFormSql.FORM).execute(Tuple.of(id)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no scan form " + id).exception());
            }
            Row f = rows.iterator().next();
            return raw.preparedQuery(ScanFormSql.FORM_SHIPMENTS).execute(Tuple.of(id)).map(shipments -> {
                List<ScanFormShipment> list = new ArrayList<>();
                shipments.forEach(s -> list.add(new ScanFormShipment(s.getUUID("id"), s.getString("easypost_id"),
                        s.getString("tracking_code"), s.getString("reference"), s.getString("recipient_name"),
                        s.getString("service"))));
                return new ScanFormView(f.getUUID("id"), f.getString("easypost_id"), f.getString("status"),
                        f.getString("carrier"), f.getString("form_url"), f.getString("form_file_type"),
                        f.getString("confirmation"), f.getString("message"), f.getOffsetDateTime("created_at"),
                        f.getOffsetDateTime("updated_at"), list);
            });
        });
    }

    /** Forms newest first, {@code limit} at a time after {@code cursor} (null for the first page). */
    public Future<ScanFormPage> page(int limit, PageCursor cursor) {
        Future<RowSet<Row>> rows = cursor == null
                ? raw.preparedQuery(ScanFormSql.FIRST_PAGE).execute(Tuple.of(limit + 1))
                : raw.preparedQuery(ScanFormSql.NEXT_PAGE).execute(Tuple.of(limit + 1, cursor.createdAt(), cursor.id()));
        return rows.map(set -> {
            List<ScanFormSummary> all = new ArrayList<>();
            set.forEach(r -> all.add(new ScanFormSummary(r.getUUID("id"), r.getString("easypost_id"), r.getString("status"),
                    r.getString("carrier"), r.getString("form_url"), r.getLong("shipment_count"),
                    r.getOffsetDateTime("created_at"))));
            PageCursor.Slice<ScanFormSummary> slice = PageCursor.slice(all, limit, s -> new PageCursor(s.createdAt(), s.id()));
            return new ScanFormPage(slice.items(), slice.hasMore(), slice.nextCursor());
        });
    }

    /** Bought shipments of business day {@code day} ({@code BUSINESS_TIMEZONE}) not yet on a form, per carrier. */
    public Future<OpenDay> open(LocalDate day) {
        return raw.preparedQuery(ScanFormSql.OPEN_TODAY).execute(Tuple.of(days.startOf(day), days.startOf(day.plusDays(1)))).map(rows -> {
            List<OpenCarrier> carriers = new ArrayList<>();
            rows.forEach(r -> carriers.add(new OpenCarrier(r.getString("carrier"), r.getLong("shipments"),
                    List.of(r.getArrayOfUUIDs("ids")))));
            return new OpenDay(day, carriers);
        });
    }

    private static ProblemException onForm(String field, UUID shipment, UUID form) {
        String reason = "shipment " + shipment + " is already on scan form " + form;
        return new Problem(ProblemType.ALREADY_ON_SCAN_FORM, ProblemType.ALREADY_ON_SCAN_FORM.status(), reason,
                List.of(new Problem.InvalidParam(field, reason)),
                new JsonObject().put("shipment_id", shipment.toString()).put("scan_form_id", form.toString())).exception();
    }
}
