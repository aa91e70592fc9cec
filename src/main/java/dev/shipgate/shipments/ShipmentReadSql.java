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
    /** The three statements, for one shipment ({@code = $1}) or many ({@code = ANY($1)}). */
    record Statements(String shipments, String rates, String latestEvents, String customs, String forms) {

        static Statements matching(String condition) {
            return new Statements("SELECT s.id, s.easypost_id, s.status, s.carrier, s.service, s.rate, s.currency, "
                    + "s.tracking_code, s.label_url, s.reference, s.refund_status, s.created_at, s.updated_at, "
                    + "s.insured_amount, s.insurance_fee, s.return_of, "
                    + "(SELECT r.id FROM shipments r WHERE r.return_of = s.id) return_shipment_id, "
                    + ADDRESS.formatted("f") + ", " + ADDRESS.formatted("t") + ", "
                    + "p.id p_id, p.length, p.width, p.height, p.weight, p.predefined_package "
                    + "FROM shipments s JOIN addresses f ON f.id = s.from_address_id "
                    + "JOIN addresses t ON t.id = s.to_address_id LEFT JOIN parcels p ON p.id = s.parcel_id "
                    + "WHERE s.id " + condition,
                    "SELECT id, shipment_id, easypost_id, carrier, service, rate, currency, delivery_days FROM rates "
                    + "WHERE shipment_id " + condition + " ORDER BY shipment_id, rate, carrier, service",
                    "SELECT DISTINCT ON (shipment_id) shipment_id, status, description, occurred_at, city, state, zip, "
                    + "country FROM shipment_events WHERE shipment_id " + condition
                    + " ORDER BY shipment_id, occurred_at DESC, id DESC",
                    "SELECT c.shipment_id, c.contents_type, c.contents_explanation, c.non_delivery_option, c.restriction_type, "
                    + "c.restriction_comments, c.eel_pfc, c.customs_signer, c.customs_certify, i.description, i.quantity, "
                    + "i.value, i.weight, i.hs_tariff_number, i.origin_country, i.code FROM customs_infos c "
                    + "JOIN customs_items i ON i.shipment_id = c.shipment_id WHERE c.shipment_id " + condition
                    + " ORDER BY c.shipment_id, i.position",
                    "SELECT shipment_id, form_type, form_url, created_at FROM shipment_forms WHERE shipment_id " + condition
                    + " ORDER BY shipment_id, created_at, form_type");
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
            Future<RowSet<Row>> customs = conn.preparedQuery(sql.customs()).execute(args);
            Future<RowSet<Row>> forms = conn.preparedQuery(sql.forms()).execute(args);
            return Future.all(List.of(shipments, rates, events, customs, forms)).map(all -> views(shipments.result(),
                    rates.result(), events.result(), customs(customs.result()), forms(forms.result())));
        });
    }

    private static Map<UUID, CustomsView> customs(RowSet<Row> rows) {
        Map<UUID, CustomsView> customs = new HashMap<>();
        for (Row r : rows) {
            CustomsView c = customs.computeIfAbsent(r.getUUID("shipment_id"), k -> new CustomsView(r.getString("contents_type"),
                    r.getString("contents_explanation"), r.getString("non_delivery_option"), r.getString("restriction_type"),
                    r.getString("restriction_comments"), r.getString("eel_pfc"), r.getString("customs_signer"),
                    r.getBoolean("customs_certify"), new ArrayList<>()));
            c.customsItems().add(new CustomsItemView(r.getString("description"), r.getInteger("quantity"),
                    r.getBigDecimal("value"), ShipmentRequests.ParcelInput.plain(r.getBigDecimal("weight")), r.getString("hs_tariff_number"),
                    r.getString("origin_country"), r.getString("code")));
        }
        return customs;
    }

    private static Map<UUID, List<FormView>> forms(RowSet<Row> rows) {
        Map<UUID, List<FormView>> forms = new HashMap<>();
        for (Row r : rows) {
            forms.computeIfAbsent(r.getUUID("shipment_id"), k -> new ArrayList<>()).add(new FormView(r.getString("form_type"),
                    r.getString("form_url"), r.getOffsetDateTime("created_at")));
        }
        return forms;
    }

    private static List<ShipmentView> views(RowSet<Row> shipments, RowSet<Row> rates, RowSet<Row> events,
                                            Map<UUID, CustomsView> customs, Map<UUID, List<FormView>> forms) {
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
                    s.getString("service"), s.getBigDecimal("rate"), s.getString("currency"), s.getString("tracking_code"),
                    s.getString("label_url"), s.getString("reference"), s.getString("refund_status"), address(s, "f_"),
                    address(s, "t_"), parcel, ratesOf.getOrDefault(id, List.of()), latest.get(id),
                    s.getOffsetDateTime("created_at"), s.getOffsetDateTime("updated_at"), customs.get(id),
                    forms.getOrDefault(id, List.of()), s.getBigDecimal("insured_amount"), s.getBigDecimal("insurance_fee"),
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
