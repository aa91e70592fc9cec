package dev.shipgate.bulk;

import dev.shipgate.http.Problem;
import dev.shipgate.http.StorableText;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV uploads for bulk jobs: one shipment per row, columns named by the header (any order). Row i of the
 * data is {@code shipments[i]} in error messages, as in a JSON upload. Rows become the same requests a
 * JSON upload binds to and pass the same validation ({@code Json.validate}): parcel limits and digits,
 * and text PostgreSQL can store unchanged (a NUL in {@code to_name} is a 422 naming
 * {@code shipments[i].to_address.name}), so a bad row refuses the upload before anything is stored.
 */
final class BulkCsv {

    static final List<String> COLUMNS = List.of("reference",
            "to_name", "to_company", "to_street1", "to_street2", "to_city", "to_state", "to_zip", "to_country", "to_phone", "to_email",
            "from_name", "from_company", "from_street1", "from_street2", "from_city", "from_state", "from_zip", "from_country",
            "from_phone", "from_email", "length", "width", "height", "weight");
    /** As for JSON numbers: longer digit strings are refused before they are parsed. */
    private static final int MAX_NUMBER_LENGTH = 100;
    private static final Set<String> REQUIRED = Set.of("to_street1", "to_city", "to_zip", "from_street1", "from_city",
            "from_zip", "weight");

    private BulkCsv() {
    }

    static List<CreateShipment> parse(String text) {
        if (text.indexOf('\0') >= 0) {
            throw unstorable(text);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> missing = REQUIRED.stream().filter(c -> !parser.getHeaderMap().containsKey(c)).sorted().toList();
            if (!missing.isEmpty()) {
                throw Problem.invalid(422, "the CSV header lacks required columns: " + String.join(", ", missing),
                        missing.stream().map(c -> new Problem.InvalidParam(c, "column is required")).toList()).exception();
            }
            List<CreateShipment> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (rows.size() == BulkRequests.MAX_ITEMS) {
                    throw Problem.invalidParam("shipments", "at most " + BulkRequests.MAX_ITEMS + " rows").exception();
                }
                rows.add(row(record, rows.size()));
            }
            return rows;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw Problem.of(400, "Malformed CSV", "the upload is not valid CSV: " + e.getMessage()).exception();
        }
    }

    /**
     * Names each cell holding text PostgreSQL would refuse (a NUL), by data row and field. Checked on the
     * raw cells: trimming would silently drop a NUL at either end of a cell.
     */
    private static RuntimeException unstorable(String text) {
        List<Problem.InvalidParam> found = new ArrayList<>();
        CSVFormat raw = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), raw)) {
            List<String> header = null;
            int row = 0;
            for (CSVRecord r : parser) {
                for (int c = 0; c < r.size(); c++) {
                    String reason = StorableText.problem(r.get(c));
                    if (reason != null) {
                        String column = header == null ? null : c < header.size() ? header.get(c).trim() : "column " + (c + 1);
                        String name = header == null ? "header" : "shipments[" + row + "]." + field(column);
                        found.add(new Problem.InvalidParam(name, reason));
                    }
                }
                if (header == null) {
                    header = r.toList();
                } else {
                    row++;
                }
            }
        } catch (IOException | RuntimeException e) {
            found.clear();
        }
        if (found.isEmpty()) {
            found.add(new Problem.InvalidParam("shipments", StorableText.problem("\0")));
        }
        String detail = String.join("; ", found.stream().map(p -> p.name() + " " + p.reason()).toList());
        return Problem.invalid(422, detail, found).exception();
    }

    /** The JSON path of a column, as a JSON upload would name the same field. */
    private static String field(String column) {
        if (column.startsWith("to_")) {
            return "to_address." + column.substring(3);
        }
        if (column.startsWith("from_")) {
            return "from_address." + column.substring(5);
        }
        return Set.of("length", "width", "height", "weight").contains(column) ? "parcel." + column : column;
    }

    private static CreateShipment row(CSVRecord r, int index) {
        return new CreateShipment(address(r, "to_"), address(r, "from_"),
                new ParcelInput(number(r, "length", index), number(r, "width", index), number(r, "height", index),
                        number(r, "weight", index), null),
                text(r, "reference"), null, null);
    }

    private static AddressInput address(CSVRecord r, String prefix) {
        return new AddressInput(text(r, prefix + "name"), text(r, prefix + "company"), text(r, prefix + "street1"),
                text(r, prefix + "street2"), text(r, prefix + "city"), text(r, prefix + "state"), text(r, prefix + "zip"),
                text(r, prefix + "country"), text(r, prefix + "phone"), text(r, prefix + "email"), null);
    }

    private static String text(CSVRecord r, String column) {
        if (!r.isMapped(column) || !r.isSet(column)) {
            return null;
        }
        String v = r.get(column);
        return v.isEmpty() ? null : v;
    }

    private static BigDecimal number(CSVRecord r, String column, int index) {
        String v = text(r, column);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_NUMBER_LENGTH) {
            throw Problem.invalidParam("shipments[" + index + "].parcel." + column,
                    "must be a number of at most " + MAX_NUMBER_LENGTH + " characters").exception();
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw Problem.invalidParam("shipments[" + index + "].parcel." + column, "must be a number").exception();
        }
    }
}
