package dev.shipgate.shipments;

import dev.shipgate.shipments.ShipmentViews.AddressView;
import dev.shipgate.shipments.ShipmentViews.CustomsItemView;
import dev.shipgate.shipments.ShipmentViews.CustomsView;
import dev.shipgate.shipments.ShipmentViews.FormView;
import dev.shipgate.shipments.ShipmentViews.EventView;
import dev.shipgate.shipments.ShipmentViews.ParcelView;
import dev.shipgate.shipments.ShipmentViews.RateView;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Whole shipments (addresses, parcel, rates, latest event) by id on the raw path: three statements sent
 * together on one connection, so the client pipelines them into a single round trip, and rows mapped
 * straight to the API's records. GET /shipments/{id} is the hottest read; under load the entity path
 * spent a third of the service's CPU in Hibernate for the same three queries (benchmarks/RESULTS.md).
 * Writes stay on the entity path.
 */
public final class ShipmentReadSql {

    private static final String ADDRESS = "%1$s.id %1$s_id, %1$s.easypost_id %1$s_easypost_id, %1$s.name %1$s_name, "
            + "%1$s.company %1$s_company, %1$s.street1 %1$s_street1, %1$s.street2 %1$s_street2, %1$s.city %1$s_city, "
            + "%1$s.state %1$s_state, %1$s.zip %1$s_zip, %1$s.country %1$s_country, %1$s.phone %1$s_phone, "
            + "%1$s.email %1$s_email, %1$s.residential %1$s_residential, %1$s.verified %1$s_verified";
    /*
     * Customs and forms ride in the shipment's own statement as JSON (numbers and times as text, so they
     * come back digit for digit): two more statements per read would cost every purchase, which reads
     * the shipment, two more round trips (PurchaseRoundTripsIT counts them).
     */
    private static final String CUSTOMS = "(SELECT json_build_object('contents_type', c.contents_type, "
            + "'contents_explanation', c.contents_explanation, 'non_delivery_option', c.non_delivery_option, "
            + "'restriction_type', c.restriction_type, 'restriction_comments', c.restriction_comments, 'eel_pfc', c.eel_pfc, "
            + "'customs_signer', c.customs_signer, 'customs_certify', c.customs_certify, 'customs_items', "
            + "(SELECT json_agg(json_build_object('description', i.description, 'quantity', i.quantity, 'value', i.value::text, "
            + "'weight', i.weight::text, 'hs_tariff_number', i.hs_tariff_number, 'origin_country', i.origin_country, "
            + "'code', i.code) ORDER BY i.position) FROM customs_items i WHERE i.shipment_id = c.shipment_id)) "
            + "FROM customs_infos c WHERE c.shipment_id = s.id) customs";
    private static final String FORMS = "(SELECT json_agg(json_build_object('form_type', f.form_type, 'form_url', f.form_url, "
            + "'created_at', to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) ORDER BY f.created_at, f.form_type) FROM shipment_forms f "
            + "WHERE f.shipment_id = s.id) forms";
    /** The three statements, for one shipment ({@code = $1}) or many ({@code = ANY($1)}). */
    record Statements(String shipments, String rates, String latestEvents) {

        static Statements matching(String condition) {
            return new Statements("SELECT s.id, s.easypost_id, s.status, s.carrier, s.service, s.rate, s.currency, "
                    + "s.tracking_code, s.label_url, s.reference, s.refund_status, s.created_at, s.updated_at, "
                    + "s.insured_amount, s.insurance_fee, s.return_of, "
                    + "(SELECT r.id FROM shipments r WHERE r.return_of = s.id) return_shipment_id, "
                    + CUSTOMS + ", " + FORMS + ", "
                    + ADDRESS.formatted("f") + ", " + ADDRESS.formatted("t") + ", "
                    + "p.id p_id, p.length, p.width, p.height, p.weight, p.predefined_package "
                    + "FROM shipments s JOIN addresses f ON f.id = s.from_address_id "
                    + "JOIN addresses t ON t.id = s.to_address_id LEFT JOIN parcels p ON p.id = s.parcel_id "
                    + "WHERE s.id " + condition,
                    "SELECT id, shipment_id, easypost_id, carrier, service, rate, currency, delivery_days FROM rates "
                    + "WHERE shipment_id " + condition + " ORDER BY shipment_id, rate, carrier, service",
                    "SELECT DISTINCT ON (shipment_id) shipment_id, status, description, occurred_at, city, state, zip, "
                    + "country FROM shipment_events WHERE shipment_id " + condition
                    + " ORDER BY shipment_id, occurred_at DESC, id DESC");
        }
    }

    /*
     * One id gets statements of its own: with "= ANY($1)" PostgreSQL cannot know the array holds one id,
     * keeps re-planning each execution (a millisecond of planning for three index probes) and under load
     * spent three times pgbench's CPU per request.
     */
    private static final Statements ONE = Statements.matching("= $1");
    private static final Statements MANY = Statements.matching("= ANY($1)");

    private final Pool pool;

    public ShipmentReadSql(Pool pool) {
        this.pool = pool;
    }

    /** One shipment, or null when there is none. */
    public Future<ShipmentView> find(UUID id) {
        return find(ONE, Tuple.of(id)).map(found -> found.isEmpty() ? null : found.get(0));
    }

    /** The shipments among {@code ids} that exist, in no particular order. */
    public Future<List<ShipmentView>> find(UUID[] ids) {
        return find(MANY, Tuple.of(ids));
    }

    private Future<List<ShipmentView>> find(Statements sql, Tuple args) {
        return pool.withConnection(conn -> {
            Future<RowSet<Row>> shipments = conn.preparedQuery(sql.shipments()).execute(args);
            Future<RowSet<Row>> rates = conn.preparedQuery(sql.rates()).execute(args);
            Future<RowSet<Row>> events = conn.preparedQuery(sql.latestEvents()).execute(args);
            return Future.all(shipments, rates, events).map(all -> views(shipments.result(), rates.result(), events.result()));
        });
    }

    private static CustomsView customs(Object json) {
        if (!(json instanceof JsonObject c)) {
            return null;
        }
        List<CustomsItemView> items = new ArrayList<>();
        for (Object o : c.getJsonArray("customs_items", new JsonArray())) {
            JsonObject i = (JsonObject) o;
            items.add(new CustomsItemView(i.getString("description"), i.getInteger("quantity"), new BigDecimal(i.getString("value")),
                    ShipmentRequests.ParcelInput.plain(new BigDecimal(i.getString("weight"))), i.getString("hs_tariff_number"),
                    i.getString("origin_country"), i.getString("code")));
        }
        return new CustomsView(c.getString("contents_type"), c.getString("contents_explanation"), c.getString("non_delivery_option"),
                c.getString("restriction_type"), c.getString("restriction_comments"), c.getString("eel_pfc"),
                c.getString("customs_signer"), c.getBoolean("customs_certify"), items);
    }

    private static List<FormView> forms(Object json) {
        List<FormView> forms = new ArrayList<>();
        if (json instanceof JsonArray all) {
            for (Object o : all) {
                JsonObject f = (JsonObject) o;
                forms.add(new FormView(f.getString("form_type"), f.getString("form_url"),
                        OffsetDateTime.parse(f.getString("created_at"))));
            }
        }
        return forms;
    }

    private static List<ShipmentView> views(RowSet<Row> shipments, RowSet<Row> rates, RowSet<Row> events) {
        Map<UUID, List<RateView>> ratesOf = new HashMap<>();
        for (Row r : rates) {
            ratesOf.computeIfAbsent(r.getUUID("shipment_id"), k -> new ArrayList<>()).add(new RateView(r.getUUID("id"),
                    r.getString("easypost_id"), r.getString("carrier"), r.getString("service"), r.getBigDecimal("rate"),
                    r.getString("currency"), r.getInteger("delivery_days")));
        }
        Map<UUID, EventView> latest = new HashMap<>();
        for (Row e : events) {
            latest.put(e.getUUID("shipment_id"), new EventView(e.getString("status"), e.getString("description"),
                    e.getOffsetDateTime("occurred_at"), e.getString("city"), e.getString("state"), e.getString("zip"),
                    e.getString("country")));
        }
        List<ShipmentView> views = new ArrayList<>(shipments.size());
        for (Row s : shipments) {
            UUID id = s.getUUID("id");
            UUID parcelId = s.getUUID("p_id");
            ParcelView parcel = parcelId == null ? null : new ParcelView(parcelId, s.getBigDecimal("length"),
                    s.getBigDecimal("width"), s.getBigDecimal("height"), s.getBigDecimal("weight"),
                    s.getString("predefined_package"));
            views.add(new ShipmentView(id, s.getString("easypost_id"), s.getString("status"), s.getString("carrier"),
                    s.getString("service"), s.getBigDecimal("rate"),
                    s.getBigDecimal("rate") == null ? null : s.getString("currency"), s.getString("tracking_code"),
                    s.getString("label_url"), s.getString("reference"), s.getString("refund_status"), address(s, "f_"),
                    address(s, "t_"), parcel, ratesOf.getOrDefault(id, List.of()), latest.get(id),
                    s.getOffsetDateTime("created_at"), s.getOffsetDateTime("updated_at"), customs(s.getValue("customs")),
                    forms(s.getValue("forms")), s.getBigDecimal("insured_amount"), s.getBigDecimal("insurance_fee"),
                    s.getUUID("return_of"), s.getUUID("return_shipment_id")));
        }
        return views;
    }

    private static AddressView address(Row s, String p) {
        return new AddressView(s.getUUID(p + "id"), s.getString(p + "easypost_id"), s.getString(p + "name"),
                s.getString(p + "company"), s.getString(p + "street1"), s.getString(p + "street2"), s.getString(p + "city"),
                s.getString(p + "state"), s.getString(p + "zip"), s.getString(p + "country"), s.getString(p + "phone"),
                s.getString(p + "email"), s.getBoolean(p + "residential"), s.getBoolean(p + "verified"));
    }
}
