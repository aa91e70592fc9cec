package dev.shipgate.shipments;

import dev.shipgate.http.Json;
import dev.shipgate.shipments.ShipmentViews.AddressView;
import dev.shipgate.shipments.ShipmentViews.EventView;
import dev.shipgate.shipments.ShipmentViews.ParcelView;
import dev.shipgate.shipments.ShipmentViews.RateView;
import dev.shipgate.shipments.ShipmentViews.ShipmentPage;
import dev.shipgate.shipments.ShipmentViews.ShipmentSummary;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.impl.RowImpl;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.desc.ColumnDescriptor;
import io.vertx.sqlclient.impl.RowDesc;
import java.math.BigDecimal;
import java.sql.JDBCType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU the service spends on every answer: mapping list rows (as the PostgreSQL client hands them
 * over) to records and JSON, and encoding one full shipment (addresses, parcel, eight rates, event).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class JsonBenchmark {

    private static final String[] COLUMNS = {"id", "easypost_id", "status", "carrier", "service", "rate", "currency",
        "tracking_code", "reference", "recipient_name", "refund_status", "created_at", "updated_at"};

    private List<Row> rows;
    private ShipmentView shipment;

    @Setup
    public void setUp() {
        RowDesc desc = new RowDesc(java.util.Arrays.stream(COLUMNS).map(JsonBenchmark::column)
                .toArray(ColumnDescriptor[]::new)) {
        };
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 20, 14, 3, 9, 0, ZoneOffset.UTC);
        rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RowImpl row = new RowImpl(desc);
            row.addValue(UUID.randomUUID());
            row.addValue("shp_" + "0123456789abcdef0123456789abcdef".substring(i % 8));
            row.addValue("in_transit");
            row.addValue("USPS");
            row.addValue("GroundAdvantage");
            row.addValue(new BigDecimal("7.58"));
            row.addValue("USD");
            row.addValue("9400100000000000" + (100000 + i));
            row.addValue("ORDER-" + (10000 + i));
            row.addValue("Recipient Number " + i);
            row.addValue(null);
            row.addValue(at.minusMinutes(i));
            row.addValue(at);
            rows.add(row);
        }
        AddressView from = new AddressView(UUID.randomUUID(), "adr_from", "Warehouse 3", "Shipgate Demo Co",
                "417 Montgomery Street", "Floor 5", "San Francisco", "CA", "94104", "US", "4153334445",
                "ops@example.com", false, true);
        AddressView to = new AddressView(UUID.randomUUID(), "adr_to", "Dr. Steve Brule", null, "179 N Harbor Dr",
                null, "Redondo Beach", "CA", "90277", "US", "8573875756", null, true, true);
        List<RateView> rates = new ArrayList<>();
        String[][] offered = {{"USPS", "GroundAdvantage", "5.77", "5"}, {"USPS", "Priority", "9.29", "3"},
            {"USPS", "Express", "28.95", "1"}, {"UPS", "Ground", "10.53", "5"}, {"UPS", "2ndDayAir", "21.49", "2"},
            {"UPS", "NextDayAir", "43.51", "1"}, {"FedEx", "FEDEX_GROUND", "10.38", "5"}, {"FedEx", "FEDEX_2_DAY", "20.49", "2"}};
        for (String[] r : offered) {
            rates.add(new RateView(UUID.randomUUID(), "rate_" + r[1], r[0], r[1], new BigDecimal(r[2]), "USD",
                    Integer.parseInt(r[3])));
        }
        shipment = new ShipmentView(UUID.randomUUID(), "shp_0123456789", "in_transit", "USPS", "GroundAdvantage",
                new BigDecimal("5.77"), "USD", "9400100000000000123456", "https://easypost-files.example/label.png",
                "ORDER-1001", null, from, to, new ParcelView(UUID.randomUUID(), new BigDecimal("10"), new BigDecimal("8"),
                new BigDecimal("4"), new BigDecimal("15.4"), null), rates,
                new EventView("in_transit", "Arrived at USPS Regional Facility", at, "RENO", "NV", "89501", "US"), at, at,
                null, List.of(), null, null, null, null);
    }

    private static ColumnDescriptor column(String name) {
        return new ColumnDescriptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isArray() {
                return false;
            }

            @Override
            public String typeName() {
                return "text";
            }

            @Override
            public JDBCType jdbcType() {
                return JDBCType.OTHER;
            }
        };
    }

    /** A list page: 50 rows mapped by the list's own row mapper, then encoded as the API answers. */
    @Benchmark
    public Buffer rowsToJson50() {
        List<ShipmentSummary> page = new ArrayList<>(rows.size());
        for (Row row : rows) {
            page.add(ShipmentListSql.ROW.map(row));
        }
        return Json.encode(new ShipmentPage(page, true, "cursor", "UTC"));
    }

    /** One shipment as GET /shipments/{id} answers it. */
    @Benchmark
    public Buffer encodeShipment() {
        return Json.encode(shipment);
    }
}
