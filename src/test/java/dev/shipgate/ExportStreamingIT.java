package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.shipments.ShipmentExportProbe;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Exports larger than every buffer between the service and a client (about 14 MB of CSV: the client's
 * receive window is pinned small, the service's send buffer grows to 4 MB at most here), so a client
 * that stops reading really stalls the stream.
 */
@DisplayName("CSV exports stream: a client that stops reading or goes away holds nothing, and only two run at once")
class ExportStreamingIT extends SharedAppTest {

    static final int ROWS = 30_000;
    /** An export in progress: a raw-pool connection inside a transaction whose statement is the export's. */
    static final String EXPORTS_IN_PROGRESS = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shipgate-raw'"
            + " AND state <> 'idle' AND query LIKE '%JOIN addresses t ON t.id = s.to_address_id%'";

    @BeforeAll
    static void seed() {
        TestDatabase.truncate();
        TestDatabase.execute("INSERT INTO addresses (id, name, street1, city, state, zip) VALUES "
                + "('00000000-0000-0000-0000-00000000000f', 'Warehouse', '1 Dock Rd', 'Oakland', 'CA', '94607'), "
                + "('00000000-0000-0000-0000-00000000000e', 'Ada Lovelace', '417 Montgomery St', 'San Francisco', 'CA', '94104')");
        TestDatabase.execute("INSERT INTO shipments (id, easypost_id, status, carrier, service, rate, tracking_code, reference, "
                + "recipient_name, from_address_id, to_address_id, created_at, updated_at) "
                + "SELECT gen_random_uuid(), 'shp_big_' || n, 'pre_transit', 'USPS', 'Priority', 7.50, 'BIG' || n, 'BIG-' || n, "
                + "'Recipient number ' || n, '00000000-0000-0000-0000-00000000000f', '00000000-0000-0000-0000-00000000000e', "
                + "timestamptz '2026-03-10 12:00Z' - n * interval '1 second', timestamptz '2026-03-10 12:00Z' "
                + "FROM generate_series(1, " + ROWS + ") n");
    }

    /** Asks for the export on a plain socket with a small receive window, and reads nothing yet. */
    static Socket openExport() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", TestApp.shared().config().httpPort()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /shipments/export.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApp.TOKEN
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    static String readSome(Socket socket, int bytes) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[bytes];
        int read = 0;
        while (read < bytes) {
            int n = in.read(buffer, read, bytes - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return new String(buffer, 0, read, StandardCharsets.UTF_8);
    }

    /** Reads the rest of a chunked response, up to its last (empty) chunk. */
    static String readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(60_000);
        InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            all.write(buffer, 0, n);
            byte[] sofar = all.toByteArray();
            if (sofar.length >= 5 && new String(sofar, sofar.length - 5, 5, StandardCharsets.US_ASCII).equals("0\r\n\r\n")) {
                break;
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    static long inProgress() {
        return TestDatabase.count(EXPORTS_IN_PROGRESS);
    }

    @Test
    @DisplayName("a client that disconnects mid-export closes the cursor and gives the database connection back")
    void disconnectReleases() throws Exception {
        Await.until("no export left over from another test", Duration.ofSeconds(30), () -> inProgress() == 0);
        try (Socket socket = openExport()) {
            String head = readSome(socket, 100_000);
            assertThat(head).startsWith("HTTP/1.1 200").contains("attachment; filename=").contains("BIG-1,");
            Await.until("the export to hold its cursor while the client stalls", Duration.ofSeconds(10), () -> inProgress() == 1);
            Thread.sleep(500);
            assertThat(inProgress()).as("a stalled client keeps the stream paused, not finished").isEqualTo(1);
        }
        Await.until("the export's connection to be released after the client left", Duration.ofSeconds(10), () -> inProgress() == 0);
        assertThat(TestDatabase.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shipgate-raw'"
                + " AND state LIKE 'idle in transaction%'")).as("no transaction left open").isZero();
        HttpResponse<Buffer> whole = api.get("/shipments/export.csv");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.bodyAsString().split("\r\n")).hasSize(ROWS + 1);
    }

    @Test
    @DisplayName("the export is one snapshot: a shipment created while it streams is not in the file, though its page is read after")
    void snapshot() throws Exception {
        Await.until("no export left over from another test", Duration.ofSeconds(30), () -> inProgress() == 0);
        try (Socket socket = openExport()) {
            String head = readSome(socket, 100_000);
            assertThat(head).startsWith("HTTP/1.1 200").contains("BIG-1,");
            // Older than every row: it would be on the export's last page, read long after this insert commits.
            TestDatabase.execute("INSERT INTO shipments (id, easypost_id, status, carrier, service, reference, from_address_id, "
                    + "to_address_id, created_at, updated_at) VALUES (gen_random_uuid(), 'shp_mid_export', 'pre_transit', 'USPS', "
                    + "'Priority', 'MID-EXPORT', '00000000-0000-0000-0000-00000000000f', '00000000-0000-0000-0000-00000000000e', "
                    + "timestamptz '2020-01-01 00:00Z', now())");
            assertThat(api.get("/shipments?created_from=2020-01-01&created_to=2020-01-01").bodyAsJsonObject()
                    .getJsonArray("shipments")).as("the list sees it at once").hasSize(1);
            String rest = readToEnd(socket);
            assertThat(rest).as("the export ran to its last row").contains(",BIG-" + ROWS + ",");
            assertThat(head + rest).doesNotContain("MID-EXPORT");
        } finally {
            TestDatabase.execute("DELETE FROM shipments WHERE easypost_id = 'shp_mid_export'");
        }
    }

    @Test
    @DisplayName("an export page is cut straight off the list's index: no sort of the shipments, unfiltered or by status, carrier or days")
    void pagesNeedNoSort() throws Exception {
        var u = TestDatabase.url();
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password()); Statement s = c.createStatement()) {
            s.execute("ANALYZE shipments");
            s.execute("ANALYZE addresses");
            int[] masks = {0, ShipmentExportProbe.STATUS, ShipmentExportProbe.CARRIER,
                ShipmentExportProbe.FROM | ShipmentExportProbe.BEFORE, ShipmentExportProbe.STATUS | ShipmentExportProbe.FROM};
            for (int mask : masks) {
                for (int page : new int[] {mask, mask | ShipmentExportProbe.CURSOR}) {
                    String sql = ShipmentExportProbe.page(page).replace("#{rows}", "1000").replace("#{status}", "'pre_transit'")
                            .replace("#{carriers}", "ARRAY['USPS']").replace("#{created_from}", "timestamptz '2026-03-01Z'")
                            .replace("#{created_before}", "timestamptz '2026-03-11Z'")
                            .replace("#{cursor_at}", "timestamptz '2026-03-10 06:00Z'")
                            .replace("#{cursor_id}", "'00000000-0000-0000-0000-000000000000'::uuid");
                    List<String> plan = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                        while (rs.next()) {
                            plan.add(rs.getString(1));
                        }
                    }
                    String text = String.join("\n", plan);
                    System.out.println("export page, conditions " + Integer.toBinaryString(page) + ":\n" + text);
                    // The page is cut (Limit) straight off the list's index: no sort of the matching shipments. A
                    // sort above the join, of the page's own rows at most, would be bounded; none is expected either.
                    assertThat(text).as("plan of conditions %s", Integer.toBinaryString(page))
                            .doesNotContain("Seq Scan on shipments")
                            .containsPattern("Limit[^\\n]*\\n\\s*->\\s+Index Scan using shipments_(status_|carrier_)?created_idx on shipments");
                }
            }
        }
    }

    @Test
    @DisplayName("two exports run at once; a third gets 429 with Retry-After, and a freed slot is taken again")
    void boundedConcurrency() throws Exception {
        Await.until("no export left over from another test", Duration.ofSeconds(30), () -> inProgress() == 0);
        List<Socket> stalled = new ArrayList<>();
        try {
            stalled.add(openExport());
            stalled.add(openExport());
            Await.until("two stalled exports to hold a connection each", Duration.ofSeconds(10), () -> inProgress() == 2);
            HttpResponse<Buffer> refused = api.get("/shipments/export.csv");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
            assertThat(refused.getHeader("retry-after")).isEqualTo("5");
            assertThat(refused.bodyAsJsonObject().getString("title")).isEqualTo("Too many exports");
            assertThat(api.get("/shipments?limit=5").statusCode()).as("the API goes on answering").isEqualTo(200);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        Await.until("both stalled exports to be released", Duration.ofSeconds(10), () -> inProgress() == 0);
        assertThat(api.get("/analytics/export.csv?from=2026-03-01&to=2026-03-10").statusCode()).isEqualTo(200);
    }
}
