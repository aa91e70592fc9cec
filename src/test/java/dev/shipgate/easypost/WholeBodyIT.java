package dev.shipgate.easypost;

import static dev.shipgate.easypost.RawTlsServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.easypost.model.Shipment;
import com.easypost.service.EasyPostClient;
import dev.shipgate.config.EasyPostConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading EasyPost's answers whole, whatever the server's write pattern")
class WholeBodyIT {

    static final String BODY = "{\"id\":\"shp_0123\",\"object\":\"Shipment\",\"rates\":[]}";
    static RawTlsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RawTlsServer();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    static HttpsURLConnection whole(String url, int readTimeoutMs) throws IOException {
        return whole(url, readTimeoutMs, WholeBodyStreamHandler.MAX_BODY_BYTES);
    }

    static HttpsURLConnection whole(String url, int readTimeoutMs, int maxBytes) throws IOException {
        @SuppressWarnings("deprecation")
        HttpsURLConnection connection = (HttpsURLConnection) new URL(null, url, new WholeBodyStreamHandler(maxBytes))
                .openConnection();
        connection.setReadTimeout(readTimeoutMs);
        return connection;
    }

    static String headers(int status, String extra) {
        return "HTTP/1.1 " + status + " X\r\nconnection: close\r\ncontent-type: application/json\r\n" + extra + "\r\n";
    }

    static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("after headers sent ahead of the body the JDK's connection has nothing available, the handler's has all of it")
    void splitBodyIsReadWhole() throws Exception {
        server.answer(out -> {
            send(out, headers(200, "content-length: " + BODY.length() + "\r\n"));
            Thread.sleep(50);
            send(out, BODY.substring(0, 10));
            Thread.sleep(20);
            send(out, BODY.substring(10));
        });
        HttpsURLConnection plain = (HttpsURLConnection) URI.create(server.url("/v2/shipments")).toURL().openConnection();
        assertThat(plain.getResponseCode()).isEqualTo(200);
        assertThat(plain.getInputStream().available()).as("what easypost-java 8.2.0 checks").isZero();
        plain.disconnect();

        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 2_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        InputStream in = connection.getInputStream();
        assertThat(in.available()).isEqualTo(BODY.length());
        assertThat(text(in)).isEqualTo(BODY);
    }

    @Test
    @DisplayName("a chunked body spread over several writes is read whole")
    void chunkedBodyIsReadWhole() throws Exception {
        server.answer(out -> {
            send(out, headers(200, "transfer-encoding: chunked\r\n"));
            Thread.sleep(20);
            send(out, Integer.toHexString(20) + "\r\n" + BODY.substring(0, 20) + "\r\n");
            Thread.sleep(20);
            String rest = BODY.substring(20);
            send(out, Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
        });
        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 2_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThat(text(connection.getInputStream())).isEqualTo(BODY);
    }

    @Test
    @DisplayName("a body shorter than its Content-Length fails with an IOException, never a short body")
    void shortBodyFails() throws Exception {
        server.answer(out -> {
            send(out, headers(200, "content-length: " + BODY.length() + "\r\n"));
            send(out, BODY.substring(0, 12));
        });
        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 2_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThatThrownBy(connection::getInputStream).isInstanceOf(WholeBodyConnection.IncompleteAnswer.class)
                .hasMessageContaining("12 of " + BODY.length());
    }

    @Test
    @DisplayName("a chunked body that breaks off fails with an IOException")
    void brokenChunkedBodyFails() throws Exception {
        server.answer(out -> send(out, headers(200, "transfer-encoding: chunked\r\n")
                + "40\r\n" + BODY.substring(0, 16)));
        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 2_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        assertThatThrownBy(connection::getInputStream).isInstanceOf(WholeBodyConnection.IncompleteAnswer.class);
    }

    @Test
    @DisplayName("an error body is read whole, and a broken one fails when the client asks what is available")
    void errorBodies() throws Exception {
        String error = "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\",\"errors\":[]}}";
        server.answer(out -> {
            send(out, headers(429, "content-length: " + error.length() + "\r\n"));
            Thread.sleep(30);
            send(out, error);
        });
        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 2_000);
        assertThat(connection.getResponseCode()).isEqualTo(429);
        InputStream in = connection.getErrorStream();
        assertThat(in.available()).isEqualTo(error.length());
        assertThat(text(in)).isEqualTo(error);

        server.answer(out -> send(out, headers(500, "content-length: 500\r\n") + error));
        HttpsURLConnection broken = whole(server.url("/v2/shipments"), 2_000);
        assertThat(broken.getResponseCode()).isEqualTo(500);
        assertThatThrownBy(() -> broken.getErrorStream().available()).isInstanceOf(WholeBodyConnection.IncompleteAnswer.class);
    }

    @Test
    @DisplayName("a body larger than the limit fails, announced or not")
    void oversizedBodyFails() throws Exception {
        String big = "x".repeat(4096);
        server.answer(out -> send(out, headers(200, "content-length: 4096\r\n") + big));
        HttpsURLConnection announced = whole(server.url("/v2/shipments"), 2_000, 1024);
        assertThat(announced.getResponseCode()).isEqualTo(200);
        assertThatThrownBy(announced::getInputStream).hasMessageContaining("limit of 1024");

        server.answer(out -> send(out, headers(200, "") + big));
        HttpsURLConnection unannounced = whole(server.url("/v2/shipments"), 2_000, 1024);
        assertThat(unannounced.getResponseCode()).isEqualTo(200);
        assertThatThrownBy(unannounced::getInputStream).hasMessageContaining("limit of 1024");
    }

    @Test
    @DisplayName("a body still trickling in when the read timeout has passed fails with a timeout")
    void trickleBeyondReadTimeoutFails() throws Exception {
        server.answer(out -> {
            send(out, headers(200, "content-length: " + BODY.length() + "\r\n"));
            for (char c : BODY.toCharArray()) {
                Thread.sleep(40);
                send(out, String.valueOf(c));
            }
        });
        HttpsURLConnection connection = whole(server.url("/v2/shipments"), 300);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        long started = System.nanoTime();
        assertThatThrownBy(connection::getInputStream).isInstanceOf(WholeBodyConnection.IncompleteAnswer.class)
                .hasCauseInstanceOf(SocketTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
    }

    @Test
    @DisplayName("with split writes the plain 8.2.0 client returns null for a shipment it did create; with the handler it returns the shipment")
    void simulatorSplitWritesNeedTheHandler() throws Exception {
        Vertx vertx = Vertx.vertx();
        String before = System.getProperty(WholeBodyStreamHandler.PROPERTY);
        try {
            EasyPostSimulator simulator = new EasyPostSimulator(vertx, new EasyPostConfig.Simulator(0, 0, 0, 0, true, 0, 0));
            simulator.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            EasyPostClient client = new EasyPostClient(EasyPostSimulator.API_KEY, 2_000, 2_000, simulator.apiBase());

            System.clearProperty(WholeBodyStreamHandler.PROPERTY);
            for (int i = 0; i < 3; i++) {
                assertThat(client.shipment.create(GatewayIT.shipmentParams())).isNull();
            }
            assertThat(simulator.shipmentIds()).as("EasyPost created them all the same").hasSize(3);

            WholeBodyStreamHandler.install();
            Shipment shipment = client.shipment.create(GatewayIT.shipmentParams());
            assertThat(shipment).isNotNull();
            assertThat(shipment.getRates()).hasSize(8);
            assertThat(simulator.shipmentIds()).hasSize(4).contains(shipment.getId());
        } finally {
            if (before == null) {
                System.clearProperty(WholeBodyStreamHandler.PROPERTY);
            } else {
                System.setProperty(WholeBodyStreamHandler.PROPERTY, before);
            }
            vertx.close();
        }
    }
}
